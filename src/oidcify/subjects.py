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


def encode(value: str) -> str:
    return value.replace(":", "%3A")


def ref_context(ref: str) -> str:
    return f"ref:{encode(ref)}"


def branch_context(branch: str) -> str:
    return ref_context(f"refs/heads/{branch}")


def tag_context(tag: str) -> str:
    return ref_context(f"refs/tags/{tag}")


def environment_context(environment: str) -> str:
    return f"environment:{encode(environment)}"


PULL_REQUEST_CONTEXT = "pull_request"


def context_for(
    *, ref: str | None = None, environment: str | None = None, event: str | None = None
) -> str:
    """The context part of ``sub`` for one run, by GitHub's precedence rules."""
    if environment:
        return environment_context(environment)
    if event == "pull_request":
        return PULL_REQUEST_CONTEXT
    if not ref:
        raise InputError("a ref (refs/heads/... or refs/tags/...) is needed", field="ref")
    return ref_context(ref)


def subject(repo: Repo, context: str, form: SubjectForm = "legacy") -> str:
    return f"{repo.prefix(form)}:{context}"


def subjects(repo: Repo, contexts: list[str], subject_format: str) -> list[str]:
    """Every ``sub`` value for ``contexts`` in each form ``subject_format`` admits, in order."""
    return [subject(repo, c, form) for form in forms(subject_format) for c in contexts]
