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
of ``oidcify.names``; errors name the file and line. A row that matches no checkout of the batch
is refused before any repository runs: a typo would send that repository to another role. So are
two rows that match one checkout (by directory name and by ``OWNER/NAME``) with different roles
or regions.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from oidcify import aws, names, tables
from oidcify.errors import InputError, describe_os_error
from oidcify.utf8 import decode_strict

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


def _row(record: dict[str, str], where: str) -> tuple[str, Row]:
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


def _header(cells: list[str] | None, source: str) -> list[str]:
    columns = [c.strip() for c in cells or []]
    missing = [c for c in ("repo", "role_arn") if c not in columns]
    unknown = [_shown(c) or "(empty)" for c in columns if c not in ("repo", "role_arn", "region")]
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if missing or unknown or twice:
        raise InputError(
            "the header row must name the columns repo, role_arn and optionally region, "
            "each once"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; more than once: {', '.join(twice)}" if twice else ""),
            field=f"{source}:1",
        )
    return columns


def parse_csv(text: str, source: str) -> dict[str, Row]:
    """The rows of a ``--roles-csv`` file, keyed for ``RoleSource.lookup``. Every row has as
    many cells as the header has columns: a cell too many or too few is a mistake in the file,
    never guessed around."""
    table = tables.rows(text, source)
    rows: dict[str, Row] = {}
    columns = _header(next(table, (1, []))[1], source)
    for line, cells in table:
        where = f"{source}:{line}"
        if len(cells) != len(columns):
            hint = "; quote a value that holds a comma" if len(cells) > len(columns) else ""
            raise InputError(
                f"{len(cells)} cell(s), the header has {len(columns)} ({', '.join(columns)}){hint}",
                field=where,
            )
        for column, cell in zip(columns, cells, strict=True):
            if not cell.isprintable():
                raise InputError(
                    f"{cell!r} holds a control character; only printable text is allowed",
                    field=f"{where}: {column}",
                )
        key, row = _row(dict(zip(columns, cells, strict=True)), where)
        if key in rows:
            raise InputError(f"{key} is listed twice (first at {rows[key].where})", field=where)
        rows[key] = row
    if not rows:
        raise InputError("no rows under the header: no repository would get a role", field=source)
    return rows


def unmatched(
    rows: dict[str, Row], checkouts: Iterable[tuple[str, tuple[str, str] | None]]
) -> list[tuple[str, Row]]:
    """The rows no checkout of the batch matches, by ``(directory, repository)``: each is a typo
    or a repository missing from the batch, and its repository would silently get the
    template's role (or none)."""
    found: set[str] = set()
    for directory, repository in checkouts:
        found.add(directory)
        if repository is not None:
            found.add("/".join(repository).lower())
    return [(key, row) for key, row in rows.items() if key not in found]


def conflicting(
    rows: dict[str, Row], checkouts: Iterable[tuple[str, tuple[str, str] | None]]
) -> list[tuple[str, Row, Row]]:
    """Checkouts (by directory) that a directory-name row and an ``OWNER/NAME`` row both match
    with a different role or region, and those two rows: neither may quietly win."""
    found: list[tuple[str, Row, Row]] = []
    for directory, repository in checkouts:
        by_name = rows.get(directory)
        by_repo = rows.get("/".join(repository).lower()) if repository is not None else None
        if (
            by_name
            and by_repo
            and (by_name.role_arn, by_name.region)
            != (
                by_repo.role_arn,
                by_repo.region,
            )
        ):
            first, second = sorted((by_name, by_repo), key=_line_of)
            found.append((directory, first, second))
    return found


def _line_of(row: Row) -> int:
    return int(row.where.rpartition(":")[2])


def read_csv(path: str) -> dict[str, Row]:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        reason = describe_os_error(err)
        raise InputError(f"cannot read {path}: {reason}", field="--roles-csv") from None
    return parse_csv(decode_strict(data, "--roles-csv", path=path, drop_bom=True), path)


def _shown(text: str) -> str:
    """``text`` for a message: quoted and escaped when it holds control characters."""
    return text if text.isprintable() else repr(text)
