"""Which role each repository of a batch assumes: a ``--role-arn`` template, a ``--roles-csv``
mapping, or (when neither names one) the repository's own configuration, as ``retrofit`` reads it.

Template placeholders (nothing else between braces is allowed):

- ``{owner}``: the GitHub owner (user or organisation) of the repository;
- ``{repo}``: the GitHub repository name, without the owner;
- ``{name}``: the name of the checkout's directory, whatever the repository is called.

The GitHub repository is the one the ``origin`` remote points at on github.com, else the
``github_owner``/``github_repo`` answers of the oidcify template. The CSV has a header row with
the columns ``repo`` and ``role_arn`` and, optionally, ``region``. A ``repo`` with a slash is a
GitHub ``OWNER/NAME`` (compared without regard to case, as GitHub does); without one it is a
checkout directory's name. A CSV row wins over the template. Everything is checked with the rules
of ``oidcify.names``; errors name the file and line.
"""

from __future__ import annotations

import csv
import io
import string
from dataclasses import dataclass, field
from pathlib import Path

from oidcify import aws, names
from oidcify.errors import InputError

PLACEHOLDERS = ("owner", "repo", "name")
_SAMPLE = {"owner": "octo-org", "repo": "app", "name": "app"}


@dataclass(frozen=True)
class Row:
    role_arn: str
    region: str | None
    where: str  # "FILE:LINE", for messages


@dataclass(frozen=True)
class RoleSource:
    """Picklable: sent once to every worker process."""

    template: str | None = None
    rows: dict[str, Row] = field(default_factory=dict)  # key: "owner/name" lowercased, or a dir

    def needs_identity(self) -> bool:
        return self.template is not None and any(
            f"{{{p}}}" in self.template for p in ("owner", "repo")
        )

    def lookup(self, directory: str, repository: tuple[str, str] | None) -> Row | None:
        if repository is not None:
            row = self.rows.get("/".join(repository).lower())
            if row is not None:
                return row
        return self.rows.get(directory)

    def render(
        self,
        directory: str,
        repository: tuple[str, str] | None,
        remedy: str = "use {name} or --roles-csv",
    ) -> str | None:
        """The template's ARN for one repository (checked), None without a template;
        ``remedy`` ends the message when the repository is unknown."""
        if self.template is None:
            return None
        if repository is None and self.needs_identity():
            raise InputError(
                "cannot tell the GitHub repository (no github.com origin remote, no "
                f"github_owner/github_repo in .copier-answers.yml) for {{owner}}/{{repo}}; "
                f"{remedy}",
                field="--role-arn",
            )
        owner, repo = repository or ("", "")
        arn = self.template.format(owner=owner, repo=repo, name=directory)
        return names.require_role_arn(arn, "--role-arn")


def parse_template(template: str) -> str:
    """Check a ``--role-arn`` template: known placeholders only, and an ARN once filled in."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as err:
        raise InputError(f"{template!r}: {err}", field="--role-arn") from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            raise InputError(
                f"unknown placeholder {{{name}}}; allowed: "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                field="--role-arn",
            )
    names.require_role_arn(template.format(**_SAMPLE), "--role-arn")
    return template


def _row(record: dict[str, str | None], where: str) -> tuple[str, Row]:
    key = (record.get("repo") or "").strip()
    if not key:
        raise InputError("empty repo", field=f"{where}: repo")
    if "/" in key:
        owner, _, name = key.partition("/")
        names.GITHUB_OWNER.require(owner, f"{where}: repo")
        names.GITHUB_REPO.require(name, f"{where}: repo")
        key = key.lower()
    role = names.require_role_arn((record.get("role_arn") or "").strip(), f"{where}: role_arn")
    region = (record.get("region") or "").strip() or None
    if region is not None:
        partition = aws.partition_of(region, f"{where}: region").name
        if partition != role.split(":")[1]:
            raise InputError(
                f"region {region} is in partition {partition}, the role in {role.split(':')[1]}",
                field=f"{where}: region",
            )
    return key, Row(role, region, where)


def parse_csv(text: str, source: str) -> dict[str, Row]:
    """The rows of a ``--roles-csv`` file, keyed for ``RoleSource.lookup``."""
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    missing = [c for c in ("repo", "role_arn") if c not in columns]
    unknown = [c for c in columns if c not in ("repo", "role_arn", "region")]
    if missing or unknown:
        raise InputError(
            "the header row must name the columns repo, role_arn and optionally region"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
            field=f"{source}:1",
        )
    rows: dict[str, Row] = {}
    for record in reader:
        where = f"{source}:{reader.line_num}"
        if not any((v or "").strip() for v in record.values()):
            continue
        key, row = _row(record, where)
        if key in rows:
            raise InputError(f"{key} is listed twice (first at {rows[key].where})", field=where)
        rows[key] = row
    return rows


def read_csv(path: str) -> dict[str, Row]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read: {err}", field="--roles-csv") from None
    return parse_csv(text, path)
