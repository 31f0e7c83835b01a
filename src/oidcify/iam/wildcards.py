"""Value matching for string condition operators: ``*``/``?`` wildcards and policy variables.

Policy variables (``${key}``, ``${key, 'default'}``) are replaced from the request context when the
policy's Version is 2012-10-17; with the older version (or none) they are plain text, as IAM
documents. ``${*}``, ``${?}`` and ``${$}`` stand for a literal ``*``, ``?`` and ``$``. A variable
whose key is missing (and has no default) or holds several values cannot be resolved; IAM says
this "might cause the entire statement to be invalid", and oidcify makes the condition that uses
it fail (see conditions.py), which never widens what an Allow admits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

VARIABLE = re.compile(r"\$\{\s*([^,}]+?)\s*(?:,\s*'((?:[^']|'')*)'\s*)?\}")
_LITERALS = {"*": "*", "?": "?", "$": "$"}
Lookup = Callable[[str], str | None]


@dataclass(frozen=True)
class Unresolved(Exception):
    """A policy variable with no single value in the request."""

    variable: str


def has_variables(value: str) -> bool:
    return VARIABLE.search(value) is not None


def _pieces(value: str, lookup: Lookup | None) -> list[tuple[bool, str]]:
    """``value`` as (is_literal_text, text) pieces; variable values and ``${*}`` are literal."""
    if lookup is None:
        return [(False, value)]
    pieces: list[tuple[bool, str]] = []
    last = 0
    for match in VARIABLE.finditer(value):
        pieces.append((False, value[last : match.start()]))
        name, default = match.group(1), match.group(2)
        if name in _LITERALS:
            pieces.append((True, _LITERALS[name]))
        elif (found := lookup(name)) is not None:
            pieces.append((True, found))
        elif default is not None:
            pieces.append((True, default.replace("''", "'")))
        else:
            raise Unresolved(match.group(0))
        last = match.end()
    pieces.append((False, value[last:]))
    return pieces


def _glob(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


@lru_cache(maxsize=4096)
def _compile(
    pieces: tuple[tuple[bool, str], ...], like: bool, ignore_case: bool
) -> re.Pattern[str]:
    body = "".join(
        _glob(text) if like and not literal else re.escape(text) for literal, text in pieces
    )
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def matches(
    pattern: str,
    value: str,
    *,
    like: bool = False,
    ignore_case: bool = False,
    lookup: Lookup | None = None,
) -> bool:
    """Whether request ``value`` matches policy ``pattern``; raises Unresolved for a variable
    that has no value. ``lookup`` is None when policy variables are not in force."""
    pieces = tuple(_pieces(pattern, lookup))
    if not like and not ignore_case:
        return "".join(text for _, text in pieces) == value
    return _compile(pieces, like, ignore_case).fullmatch(value) is not None


def like(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's ``*``/``?`` match without policy variables (Action names, principals)."""
    return matches(pattern, value, like=True, ignore_case=ignore_case)


@lru_cache(maxsize=1024)
def _union(patterns: tuple[str, ...], like: bool, ignore_case: bool) -> re.Pattern[str]:
    body = "|".join(_glob(p) if like else re.escape(p) for p in patterns)
    return re.compile(f"(?:{body})", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


_Index = tuple[frozenset[str], dict[int, dict[str, list[re.Pattern[str]]]]]


@lru_cache(maxsize=1024)
def _index(patterns: tuple[str, ...]) -> _Index:
    """StringLike patterns as the exact ones, and the others by the literal text after their
    last wildcard: a value can only match a pattern whose tail it ends with."""
    exact = frozenset(p for p in patterns if not _WILD.search(p))
    tails: dict[int, dict[str, list[re.Pattern[str]]]] = {}
    for pattern in patterns:
        if pattern not in exact:
            tail = _WILD.split(pattern)[-1]
            compiled = re.compile(_glob(pattern), re.DOTALL)
            tails.setdefault(len(tail), {}).setdefault(tail, []).append(compiled)
    return exact, tails


_WILD = re.compile(r"[*?]")


@lru_cache(maxsize=1024)
def has_any_variables(patterns: tuple[str, ...]) -> bool:
    return any(has_variables(p) for p in patterns)


def any_matches(
    patterns: tuple[str, ...], value: str, *, like: bool, ignore_case: bool, variables: bool
) -> bool:
    """Whether ``value`` may match one of ``patterns``: False only when none matches. Patterns
    with policy variables (when in force) are not resolved here, so they count as a maybe."""
    if variables and has_any_variables(patterns):
        return True
    if not like and not ignore_case:
        return value in patterns
    if ignore_case:
        return _union(patterns, like, ignore_case).fullmatch(value) is not None
    exact, tails = _index(patterns)
    if value in exact:
        return True
    for size, by_tail in tails.items():
        if size <= len(value):
            for compiled in by_tail.get(value[len(value) - size :], ()):
                if compiled.fullmatch(value):
                    return True
    return False
