"""Which role each repository of a batch assumes: a ``--role-arn`` template, a ``--roles-csv``
mapping, or (when neither names one) the repository's own configuration, as ``retrofit`` reads it.

Template placeholders (nothing else between braces is allowed):

- ``{owner}``: the GitHub owner (user or organisation) of the repository;
- ``{repo}``: the GitHub repository name, without the owner;
- ``{name}``: the name of the checkout's directory, whatever the repository is called.

A role may also be a GitHub expression (``${{ vars.AWS_ROLE_ARN }}``, see
``oidcify.retrofit.role_value``), taken as it is for every repository; ``--role-name`` (a
template with the same placeholders) then names the role for ``--trust-out``.

The GitHub repository is the one the ``origin`` remote points at on github.com, else the
``github_owner``/``github_repo`` answers of the oidcify template. The CSV has a header row with
the columns ``repo`` and ``role_arn`` and, optionally, ``region`` and ``selector``. A row with a
selector (``environment:NAME``, ``secret:NAME``, ``job:ID``) gives that repository's matching
steps their own role, as ``--role-for`` does; a repository may have one row without a selector
and any number with one. A ``repo`` with a slash is a
GitHub ``OWNER/REPO`` (compared without regard to case, as GitHub does); without one it is a
checkout directory's name. A CSV row wins over the template. Everything is checked with the rules
of ``oidcify.names``; errors name the file and line. A row that matches no checkout of the batch
is refused before any repository runs: a typo would send that repository to another role. So are
two rows that match one checkout (by directory name and by ``OWNER/REPO``) with different roles
or regions.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from oidcify import aws, names, tables
from oidcify.errors import InputError, describe_os_error
from oidcify.retrofit import role_value, selectors
from oidcify.utf8 import decode_strict

PLACEHOLDERS = ("owner", "repo", "name")
COLUMNS = ("repo", "role_arn", "region", "selector")
_SAMPLE = {"owner": "octo-org", "repo": "app", "name": "app"}


@dataclass(frozen=True)
class Row:
    role_arn: str | None  # None: the repository has only rows with a selector
    region: str | None
    where: str  # "FILE:LINE", for messages
    role_for: tuple[tuple[str, str], ...] = ()  # (selector, role) from rows with a selector


@dataclass(frozen=True)
class RoleSource:
    """Picklable: sent once to every worker process."""

    template: str | None = None
    rows: dict[str, Row] = field(default_factory=dict)  # key: "owner/name" lowercased, or a dir
    role_for: tuple[tuple[str, str], ...] = ()  # --role-for, for every repository
    role_name: str | None = None  # --role-name template: the name of an expression role

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
        if role_value.is_expression(self.template):
            return self.template
        owner, repo = repository or ("", "")
        arn = self.template.format(owner=owner, repo=repo, name=directory)
        return names.require_role_arn(arn, "--role-arn")

    def name_for(self, directory: str, repository: tuple[str, str] | None) -> str | None:
        """The ``--role-name`` template filled in, None without one or when it needs the
        GitHub repository and that is unknown."""
        if self.role_name is None:
            return None
        if repository is None and any(f"{{{p}}}" in self.role_name for p in ("owner", "repo")):
            return None
        owner, repo = repository or ("", "")
        name = self.role_name.format(owner=owner, repo=repo, name=directory)
        return names.IAM_ROLE_NAME.require(name, "--role-name")


def _placeholders(template: str, field: str) -> None:
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as err:
        raise InputError(f"{template!r}: {err}", field=field) from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            raise InputError(
                f"unknown placeholder {{{name}}}; allowed: "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                field=field,
            )


def parse_template(template: str) -> str:
    """Check a ``--role-arn`` template: an expression as it is (never formatted: its braces are
    GitHub's), else known placeholders only, and an ARN once filled in."""
    if "${{" in template:
        return role_value.require(template, "--role-arn")
    _placeholders(template, "--role-arn")
    names.require_role_arn(template.format(**_SAMPLE), "--role-arn")
    return template


def parse_name_template(template: str) -> str:
    """Check a ``--role-name`` template: known placeholders, a role name once filled in."""
    _placeholders(template, "--role-name")
    names.IAM_ROLE_NAME.require(template.format(**_SAMPLE), "--role-name")
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
    role = role_value.require((record.get("role_arn") or "").strip(), f"{where}: role_arn")
    region = (record.get("region") or "").strip() or None
    if region is not None:
        partition = aws.partition_of(region, f"{where}: region").name
        role_partition = role_value.partition(role)
        if role_partition is not None and partition != role_partition:
            raise InputError(
                f"region {region} is in partition {partition}, the role in {role_partition}",
                field=f"{where}: region",
            )
    selector = (record.get("selector") or "").strip()
    if selector:
        if region is not None:
            raise InputError("a row with a selector takes no region", field=f"{where}: region")
        return key, Row(None, None, where, ((selectors.parse_selector(selector, where), role),))
    return key, Row(role, region, where)


def _add(rows: dict[str, Row], key: str, row: Row) -> None:
    """Merge one CSV row into the rows of its repository."""
    old = rows.get(key)
    if old is None:
        rows[key] = row
        return
    if row.role_arn is not None and old.role_arn is not None:
        raise InputError(f"{key} is listed twice (first at {old.where})", field=row.where)
    for selector, _ in row.role_for:
        if selector in dict(old.role_for):
            raise InputError(
                f"{key} {selector} is listed twice (first at {old.where})", field=row.where
            )
    first = old if old.role_arn is not None or row.role_arn is None else row
    rows[key] = Row(first.role_arn, first.region, first.where, old.role_for + row.role_for)


def _header(cells: list[str] | None, source: str) -> list[str]:
    columns = [c.strip() for c in cells or []]
    missing = [c for c in ("repo", "role_arn") if c not in columns]
    unknown = [_shown(c) or "(empty)" for c in columns if c not in COLUMNS]
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if missing or unknown or twice:
        raise InputError(
            "the header row must name the columns repo, role_arn and optionally region and "
            "selector, each once"
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
        _add(rows, key, row)
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
    """Checkouts (by directory) that a directory-name row and an ``OWNER/REPO`` row both match
    with a different role or region, and those two rows: neither may quietly win."""
    found: list[tuple[str, Row, Row]] = []
    for directory, repository in checkouts:
        by_name = rows.get(directory)
        by_repo = rows.get("/".join(repository).lower()) if repository is not None else None
        if (
            by_name
            and by_repo
            and (by_name.role_arn, by_name.region, by_name.role_for)
            != (by_repo.role_arn, by_repo.region, by_repo.role_for)
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
