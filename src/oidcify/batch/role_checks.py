"""Checks of the batch's roles before any repository runs: an expression role that
``--trust-out`` cannot name, and ``--roles-csv`` rows that match no checkout or conflict."""

from __future__ import annotations

from pathlib import Path

from oidcify.batch import roles
from oidcify.batch.outcome import Target
from oidcify.batch.roles import Row
from oidcify.batch.worker import checkout_repository
from oidcify.errors import InputError
from oidcify.retrofit import role_value


def check_named(
    template: str | None,
    name: str | None,
    role_for: tuple[tuple[str, str], ...],
    rows: dict[str, Row],
) -> None:
    """--trust-out writes roles by name: an expression role needs --role-name."""
    if template and role_value.is_expression(template) and name is None:
        raise InputError(
            f"--role-arn {template} names no role; pass --role-name NAME (placeholders "
            "{owner}, {repo}, {name} allowed) so that --trust-out can name it",
            field="--role-name",
        )
    others = [(f"--role-for {s}", r) for s, r in role_for] + [
        (f"{row.where}: role_arn", r)
        for row in rows.values()
        for r in (row.role_arn, *(r for _, r in row.role_for))
        if r
    ]
    for where, role in others:
        if role_value.is_expression(role):
            raise InputError(
                f"{role} names no role, so --trust-out cannot write it; give an ARN there, "
                "or leave out --trust-out",
                field=where,
            )


def check_rows(rows: dict[str, Row], found: list[Target]) -> None:
    """Refuse, before any repository runs, ``--roles-csv`` rows that match no checkout, and two
    rows with different roles that match the same checkout."""
    if not rows:
        return
    checkouts = [(t.directory, checkout_repository(Path(t.path))) for t in found]
    for directory, first, second in roles.conflicting(rows, checkouts):
        raise InputError(
            f"the checkout {directory} matches this row and the row at {second.where} (by "
            f"directory name and by github.com repository), with different roles or regions "
            f"({shown(first)} and {shown(second)}); keep one",
            field=f"{first.where}: repo",
        )
    missing = roles.unmatched(rows, checkouts)
    if missing:
        (key, row), rest = missing[0], [r.where for _, r in missing[1:]]
        raise InputError(
            f"{key} matches no repository of the batch (by github.com origin remote, template "
            "answers or checkout directory name); fix the typo or drop the row, so that no "
            "repository falls back to another role"
            + (f" (also: {', '.join(rest)})" if rest else ""),
            field=f"{row.where}: repo",
        )


def shown(row: Row) -> str:
    """A CSV row's roles for a message."""
    text = row.role_arn or "no default role"
    text += f" in {row.region}" if row.region else ""
    return text + "".join(f", {s}={r}" for s, r in row.role_for)
