"""Which repository the checked workflows belong to, and the ``sub`` form it emits.

The repository comes from ``--repo``, else the checkout's ``origin`` remote, else (with a note)
the one repository the trust policies name. The form is ``--subject-format``, else immutable
when a policy names this repository in the immutable form (``repo:OWNER@ID/REPO@ID``, whose
ids are then taken from the policy), else legacy. ``both`` judges every run in each form: while
a repository moves between them GitHub may send either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from oidcify import names, repoinfo, subjects
from oidcify.check.policies import TrustPolicy
from oidcify.errors import InputError

_REPO = re.compile(r"^repo:([A-Za-z0-9-]+)(?:@(\d+))?/([A-Za-z0-9._-]+?)(?:@(\d+))?:", re.ASCII)


@dataclass(frozen=True)
class Identity:
    repo: subjects.Repo
    forms: tuple[subjects.SubjectForm, ...]  # the forms every run is judged in

    @property
    def full_name(self) -> str:
        return self.repo.full_name

    def prefix(self, form: subjects.SubjectForm) -> str:
        return self.repo.prefix(form)

    @property
    def prefixes(self) -> tuple[str, ...]:
        return tuple(self.repo.prefix(form) for form in self.forms)

    def names_this_repo(self, value: str) -> bool:
        match = _REPO.match(value)
        return match is not None and (
            f"{match.group(1)}/{match.group(3)}".lower() == self.full_name.lower()
        )


def sub_values(policies: list[TrustPolicy]) -> list[str]:
    """Every value the policies' Allow statements compare ``sub`` with."""
    return [
        value
        for p in policies
        for _, condition in p.policy.conditions("Allow")
        if condition.key.lower().endswith(":sub")
        for value in condition.values
    ]


def _named_repos(values: list[str]) -> dict[str, tuple[str, str, str | None, str | None]]:
    found: dict[str, tuple[str, str, str | None, str | None]] = {}
    for value in values:
        match = _REPO.match(value)
        if match:
            owner, owner_id, name, repo_id = match.groups()
            found.setdefault(f"{owner}/{name}".lower(), (owner, name, owner_id, repo_id))
    return found


def _ids(owner: str, name: str, values: list[str]) -> tuple[int, int] | None:
    for owner_, name_, owner_id, repo_id in _named_repos(values).values():
        if (owner_.lower(), name_.lower()) == (owner.lower(), name.lower()) and owner_id \
                and repo_id:  # fmt: skip
            return int(owner_id), int(repo_id)
    return None


def resolve(
    *,
    repo: str | None,
    root: Path | None,
    policies: list[TrustPolicy],
    subject_format: str | None = None,
    ids: tuple[int, int] | None = None,
    notes: list[str],
) -> Identity:
    values = sub_values(policies)
    if repo:
        owner, name = names.parse_repository(repo)
    elif root is not None and (origin := repoinfo.origin_repository(root)):
        owner, name = origin
    else:
        named = _named_repos(values)
        if len(named) != 1:
            raise InputError(
                "cannot tell which repository the workflows belong to (no GitHub 'origin' "
                "remote, and the trust policy names "
                f"{len(named) or 'no'} repositories); pass --repo OWNER/REPO",
                field="--repo",
            )
        owner, name = next(iter(named.values()))[:2]
        notes.append(
            f"assuming the workflows belong to {owner}/{name}, the repository the trust policy "
            "names; pass --repo to check that it names the right one"
        )
    from_policy = _ids(owner, name, values)
    forms: tuple[subjects.SubjectForm, ...]
    if subject_format is not None:
        forms = subjects.forms(subject_format)
    else:
        forms = ("immutable",) if from_policy else ("legacy",)
    owner_id, repo_id = ids or from_policy or (None, None)
    if "immutable" in forms and owner_id is None:
        raise InputError(
            f"{subject_format} needs --owner-id and --repo-id (the immutable sub carries both "
            "ids), or a trust policy naming this repository by id",
            field="--subject-format",
        )
    return Identity(subjects.Repo(owner, name, owner_id, repo_id), forms)
