"""oidcify's own ``check`` rules, one module each, found by listing this package.

A rule module defines ``INFO`` (a ``RuleInfo``: stable id, name, severity, one-line summary,
help) and ``check(ctx: Context) -> Iterable[Finding]``. Rules with ``default=False`` run only
when ``--enable``d or ``--select``ed. IDs: OC1xx judge workflow files, OC2xx a trust policy and
its coverage of the workflows. A rule that reads actionlint's findings (``ctx.actionlint``)
sets ``AFTER_ACTIONLINT = True``: it runs once actionlint has finished, the others while it
still runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast

from oidcify.check.context import Context
from oidcify.check.findings import Finding, RuleInfo
from oidcify.errors import InputError


class Rule(Protocol):
    INFO: RuleInfo

    def check(self, ctx: Context) -> Iterable[Finding]: ...


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, ordered by id."""
    # A directory listing, as in cli.py: pkgutil.iter_modules imports inspect (~5 ms).
    names = {p.stem for folder in __path__ for p in Path(folder).glob("[!_]*.py")}
    modules: list[ModuleType] = [importlib.import_module(f"{__name__}.{n}") for n in names]
    rules = [cast(Rule, m) for m in modules]
    return tuple(sorted(rules, key=lambda r: r.INFO.id))


def after_actionlint(rule: Rule) -> bool:
    return bool(getattr(rule, "AFTER_ACTIONLINT", False))


def _ids(values: Iterable[str], field: str) -> set[str]:
    """Rule ids (or names) from repeated and comma-separated flag values."""
    by_key = {key: r.INFO.id for r in all_rules() for key in (r.INFO.id.upper(), r.INFO.name)}
    found: set[str] = set()
    for value in values:
        for item in filter(None, (part.strip() for part in value.split(","))):
            rule = by_key.get(item.upper()) or by_key.get(item.lower())
            if rule is None:
                known = ", ".join(r.INFO.id for r in all_rules())
                raise InputError(f"unknown rule {item!r}; rules: {known}", field=field)
            found.add(rule)
    return found


def selected(
    enable: Iterable[str] = (), disable: Iterable[str] = (), select: Iterable[str] = ()
) -> list[Rule]:
    """The rules a check runs: ``select`` alone if given, else the defaults plus ``enable``,
    less ``disable``."""
    chosen = _ids(select, "--select")
    if not chosen:
        chosen = {r.INFO.id for r in all_rules() if r.INFO.default} | _ids(enable, "--enable")
    chosen -= _ids(disable, "--disable")
    return [r for r in all_rules() if r.INFO.id in chosen]
