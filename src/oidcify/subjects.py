"""GitHub's OIDC ``sub`` claim: how it is built for a repository and a run context.

Context rules (GitHub docs, "OpenID Connect reference"): a job that names an environment gets
``environment:NAME`` whatever triggered it; otherwise a ``pull_request`` run gets
``pull_request``; otherwise the run's ref, ``ref:refs/heads/B`` or ``ref:refs/tags/T``.
A ``:`` inside a value is written as ``%3A`` so the claim stays splittable.

Two forms of the repository part exist: ``legacy`` (``repo:OWNER/REPO``) and ``immutable``
(``repo:OWNER@OWNER_ID/REPO@REPO_ID``), which repositories created after 2026-07-15 (or opted in)
emit. ``both`` means a trust policy admits either while a repository moves between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oidcify.errors import InputError
from oidcify.sub_contexts import (
    PULL_REQUEST_CONTEXT,
    branch_context,
    context_for,
    encode,
    environment_context,
    ref_context,
    tag_context,
)

__all__ = [
    "PULL_REQUEST_CONTEXT",
    "SUBJECT_FORMATS",
    "Repo",
    "SubjectForm",
    "branch_context",
    "context_for",
    "encode",
    "environment_context",
    "forms",
    "ref_context",
    "subject",
    "subjects",
    "tag_context",
]

SubjectForm = Literal["legacy", "immutable"]
SUBJECT_FORMATS: dict[str, tuple[SubjectForm, ...]] = {
    "legacy": ("legacy",),
    "immutable": ("immutable",),
    "both": ("legacy", "immutable"),
}


@dataclass(frozen=True)
class Repo:
    owner: str
    name: str
    owner_id: int | None = None
    repo_id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def prefix(self, form: SubjectForm = "legacy") -> str:
        """``repo:OWNER/REPO`` or, in the immutable form, ``repo:OWNER@ID/REPO@ID``."""
        if form == "legacy":
            return f"repo:{self.owner}/{self.name}"
        if self.owner_id is None or self.repo_id is None:
            raise InputError(
                "the immutable subject form needs github_owner_id and github_repo_id",
                field="subject_format",
            )
        return f"repo:{self.owner}@{self.owner_id}/{self.name}@{self.repo_id}"


def forms(subject_format: str) -> tuple[SubjectForm, ...]:
    try:
        return SUBJECT_FORMATS[subject_format]
    except KeyError:
        raise InputError(
            f"{subject_format!r} is not one of: {', '.join(SUBJECT_FORMATS)}",
            field="subject_format",
        ) from None


def subject(repo: Repo, context: str, form: SubjectForm = "legacy") -> str:
    return f"{repo.prefix(form)}:{context}"


def subjects(repo: Repo, contexts: list[str], subject_format: str) -> list[str]:
    """Every ``sub`` value for ``contexts`` in each form ``subject_format`` admits, in order."""
    return [subject(repo, c, form) for form in forms(subject_format) for c in contexts]
