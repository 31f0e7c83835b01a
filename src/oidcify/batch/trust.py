"""``--trust-out``: per IAM role the batch assigned (by ``--role-arn`` or ``--roles-csv``), the
``sub`` claims of every job in the batch that assumes it, for the template's ``batch_roles``.

Written as ``*.tfvars.json`` (``{"batch_roles": {NAME: {"subjects": [...]}}}``, plus ``path``
for a role under a path, ``repository_id`` when the role serves one repository whose numeric id
the template's answers give, and the ``policy_arns`` an earlier file gave the role, kept) or, for
any other ``*.json``, as plain JSON with each role's ARN, account, repositories, repository id
and the claims left out. A Terraform configuration creates roles in one account, so roles of
several accounts need ``{account}`` in the file name (one file per account); otherwise nothing is
written and the accounts are named. Claims that are guesses (callers outside the repository, an
environment from an expression) and repositories whose GitHub name is unknown are left out and
listed, never widened into a pattern the workflows did not ask for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oidcify.batch.outcome import CHANGED, UNCHANGED, Outcome
from oidcify.batch.summary import write_atomically
from oidcify.errors import InputError
from oidcify.retrofit import role_value

BATCH_SOURCES = ("--role-arn", "--roles-csv")
GUESSES = ("*", "environment:*")
# One repository, named without wildcards: what the template's batch_roles validation demands.
SUBJECT = re.compile(r"repo:[^/:*?]+/[^/:*?]+:.+")


@dataclass
class Role:
    arn: str  # or an expression (``${{ vars.X }}``), then named by ``given_name``
    subjects: set[str] = field(default_factory=set)
    repositories: set[str] = field(default_factory=set)
    left_out: list[str] = field(default_factory=list)
    given_name: str | None = None
    repository_ids: dict[str, str | None] = field(default_factory=dict)  # by OWNER/REPO

    @property
    def repository_id(self) -> str | None:
        """The id the role's trust policy pins: the one repository whose jobs assume the role,
        when its id is known. A role shared by several repositories pins none (one value would
        refuse the others)."""
        ids = set(self.repository_ids.values())
        return ids.pop() if len(self.repository_ids) == 1 and None not in ids else None

    @property
    def partition(self) -> str:
        return self.arn.split(":")[1] if self.given_name is None else ""

    @property
    def account(self) -> str:
        return self.arn.split(":")[4] if self.given_name is None else ""

    @property
    def path(self) -> str:
        if self.given_name is not None:
            return "/"
        return "/" + "".join(f"{p}/" for p in self.arn.split(":", 5)[5].split("/")[1:-1])

    @property
    def name(self) -> str:
        return self.given_name or self.arn.rsplit("/", 1)[-1]


def _batch_roles(outcome: Outcome) -> dict[str, str]:
    """The roles the batch gave one repository (default and --role-for), keyed by what its
    claims name, each with the key it is collected under (an expression's under its name)."""
    found = [outcome.role_arn, *(role for _, role in outcome.role_for)]
    return {
        role: f"{role} as {outcome.role_names[role]}" if role in outcome.role_names else role
        for role in found
        if role and (role in outcome.role_names or not role_value.is_expression(role))
    }


def collect(outcomes: list[Outcome]) -> dict[str, Role]:
    """The roles the batch assigned that some job assumes, each with the subjects of every job
    in the batch that assumes it (also jobs that already did, so a trust policy written for a
    later run of the same batch still admits them)."""
    roles = {
        key: Role(arn, given_name=o.role_names.get(arn))
        for o in outcomes
        if o.role_arn and o.role_source in BATCH_SOURCES and o.status in (CHANGED, UNCHANGED)
        for arn, key in _batch_roles(o).items()
    }
    for outcome in outcomes:
        keys = _batch_roles(outcome)
        for claim in outcome.claims:
            role = roles.get(keys.get(claim["role"], ""))
            if role is None or outcome.status not in (CHANGED, UNCHANGED):
                continue
            where = f"{outcome.repository or outcome.label} {claim['path']} job {claim['job']}"
            if outcome.repository is None:
                role.left_out.append(f"{where}: the GitHub repository is unknown")
                continue
            role.repositories.add(outcome.repository)
            role.repository_ids[outcome.repository] = outcome.repository_id
            for context, subject in zip(claim["contexts"], claim["subjects"], strict=True):
                if context in GUESSES or not SUBJECT.fullmatch(subject):
                    role.left_out.append(f"{where}: {subject} ({', '.join(claim['notes'])})")
                else:
                    role.subjects.add(subject)
    return {arn: role for arn, role in roles.items() if role.subjects or role.left_out}


def _groups(roles: dict[str, Role], target: str) -> dict[Path, list[Role]]:
    accounts = sorted({(r.partition, r.account) for r in roles.values()})
    if len(accounts) > 1 and "{account}" not in target:
        raise InputError(
            "the roles are in several AWS accounts ("
            + ", ".join(a for _, a in accounts)
            + "); a Terraform configuration creates roles in one: put {account} in the file "
            "name to write one file per account",
            field="--trust-out",
        )
    groups: dict[Path, list[Role]] = {}
    for role in sorted(roles.values(), key=lambda r: (r.account, r.name.lower())):
        groups.setdefault(Path(target.replace("{account}", role.account)), []).append(role)
    for path, members in groups.items():
        seen: dict[str, Role] = {}
        for role in members:
            other = seen.setdefault(role.name.lower(), role)
            if other is not role:
                raise InputError(
                    f"{other.arn} and {role.arn} are the same IAM role name in one account",
                    field=f"--trust-out {path}",
                )
    return groups


def _kept_policies(path: Path) -> dict[str, list[str]]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    roles = data.get("batch_roles") if isinstance(data, dict) else None
    kept = {}
    for name, value in (roles or {}).items() if isinstance(roles, dict) else ():
        arns = value.get("policy_arns") if isinstance(value, dict) else None
        if isinstance(arns, list) and all(isinstance(a, str) for a in arns):
            kept[name] = arns
    return kept


def tfvars(roles: list[Role], kept: dict[str, list[str]]) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for role in roles:
        entry: dict[str, Any] = {"subjects": sorted(role.subjects)}
        if role.repository_id is not None:
            entry["repository_id"] = role.repository_id
        if role.path != "/":
            entry["path"] = role.path
        if role.name in kept:
            entry["policy_arns"] = kept[role.name]
        entries[role.name] = entry
    return {"batch_roles": entries}


def plain(roles: list[Role]) -> dict[str, Any]:
    return {
        "roles": [
            {
                "arn": r.arn,
                "account_id": r.account,
                "partition": r.partition,
                "name": r.name,
                "path": r.path,
                "subjects": sorted(r.subjects),
                "repositories": sorted(r.repositories),
                "repository_id": r.repository_id,
                "left_out": r.left_out,
            }
            for r in roles
        ]
    }


def check_target(target: str) -> str:
    if not target.endswith(".json"):
        raise InputError(
            "must end in .tfvars.json (Terraform variables) or .json (plain JSON)",
            field="--trust-out",
        )
    return target


def write(outcomes: list[Outcome], target: str) -> tuple[dict[Path, list[Role]], list[Role]]:
    """Write the file(s); what went into each, and the roles no subject could be found for
    (not written: a trust policy without subjects admits no one)."""
    roles = collect(outcomes)
    empty = [r for r in roles.values() if not r.subjects]
    groups = _groups({a: r for a, r in roles.items() if r.subjects}, target)
    for path, members in groups.items():
        is_tfvars = path.name.endswith(".tfvars.json")
        data = tfvars(members, _kept_policies(path)) if is_tfvars else plain(members)
        write_atomically(path, json.dumps(data, indent=2) + "\n", "--trust-out")
    return groups, empty
