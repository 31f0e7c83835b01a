"""One role per environment, key secret or job: ``--role-for SELECTOR=ROLE`` and the ``[roles]``
table of ``.oidcify.toml``.

A selector is ``environment:NAME`` (the job's ``environment:``), ``secret:NAME`` (the access key
secret the step used; case-insensitive, as GitHub's secret names are) or ``job:ID``. When several
match a step, the most specific wins: job, then secret, then environment. Steps no selector
matches assume the default role (``--role-arn``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oidcify.errors import InputError
from oidcify.retrofit import role_value

KINDS = ("job", "secret", "environment")  # most specific first
Mapping_ = tuple[tuple[str, str], ...]  # ((selector, role), ...): picklable, ordered


def parse_selector(selector: str, field: str) -> str:
    """``KIND:NAME`` with a known kind and a non-empty name, normalised (secrets upper-cased)."""
    kind, sep, name = selector.strip().partition(":")
    kind, name = kind.strip(), name.strip()
    if not sep or kind not in KINDS or not name:
        raise InputError(
            f"{selector!r} is not a selector; allowed: environment:NAME, secret:NAME, job:ID",
            field=field,
        )
    return f"{kind}:{name.upper() if kind == 'secret' else name}"


def parse_flag(value: str) -> tuple[str, str]:
    """One ``--role-for SELECTOR=ROLE``."""
    selector, sep, role = value.partition("=")
    if not sep:
        raise InputError(f"{value!r}: expected SELECTOR=ROLE", field="--role-for")
    return parse_selector(selector, "--role-for"), role_value.require(role.strip(), "--role-for")


def parse_table(table: Mapping[str, object], where: str) -> Mapping_:
    """A ``[roles]`` table: selector keys, role values."""
    found: list[tuple[str, str]] = []
    for key, role in table.items():
        field = f"{where}: {key}"
        if not isinstance(role, str):
            raise InputError(f"expected a string, {ALLOWED_ROLE}", field=field)
        found.append((parse_selector(key, field), role_value.require(role, field)))
    return tuple(found)


ALLOWED_ROLE = "a role ARN or an expression"


def merged(*mappings: Iterable[tuple[str, str]]) -> Mapping_:
    """Mappings, most important first: a selector keeps its first role."""
    found: dict[str, str] = {}
    for mapping in mappings:
        for selector, role in mapping:
            found.setdefault(selector, role)
    return tuple(found.items())


def choose(
    mapping: Mapping_, default: str, *, job: str, secret: str | None, environment: str | None
) -> str:
    """The role one step assumes."""
    if not mapping:
        return default
    table = dict(mapping)
    for selector in (
        f"job:{job}",
        f"secret:{secret.upper()}" if secret else None,
        f"environment:{environment}" if environment else None,
    ):
        if selector and selector in table:
            return table[selector]
    return default
