"""Do two IAM string patterns admit a common value, and which? For comparing a policy's ``sub``
patterns with the ``sub`` patterns a job can present.

A pattern is a sequence of tokens: ``STAR`` (any text, ``*`` under StringLike or a policy
variable whose value is not known), ``ANY`` (one character, ``?`` under StringLike) or a literal
character. ``witness`` searches the product of the two patterns for a shortest common string,
which is exact (no sampling): two patterns intersect exactly when a witness exists.
"""

from __future__ import annotations

from functools import cache, lru_cache

from oidcify.iam.wildcards import VARIABLE

STAR = "\x00*"
ANY = "\x00?"
# A star in a job's subject: the text of a ref or an environment name, which never contains the
# wildcard characters themselves (git forbids them in ref names).
NAME_STAR = "\x00n"
_STARS = (STAR, NAME_STAR)
_WILD = frozenset("*?")
Pattern = tuple[str, ...]
_FILL = "x"


def subject(value: str) -> Pattern:
    """A job's subject pattern (``*`` standing for any ref or environment text)."""
    return tuple(NAME_STAR if c == "*" else c for c in value)


def tokens(value: str, *, like: bool, ignore_case: bool = False) -> Pattern:
    """``value`` as a pattern; ``like`` for StringLike semantics (``*`` and ``?`` are wildcards).
    Policy variables become STAR, except ``${*}``/``${?}``/``${$}``, which are literal."""
    text = value.casefold() if ignore_case else value
    out: list[str] = []
    pos = 0
    for match in VARIABLE.finditer(text):
        out += _chars(text[pos : match.start()], like)
        name = match.group(1)
        out += [name] if name in ("*", "?", "$") else [STAR]
        pos = match.end()
    out += _chars(text[pos:], like)
    return tuple(out)


def _chars(text: str, like: bool) -> list[str]:
    if not like:
        return list(text)
    return [STAR if c == "*" else ANY if c == "?" else c for c in text]


def fold(pattern: Pattern) -> Pattern:
    """``pattern`` with its literal characters case-folded (for ``...IgnoreCase`` operators)."""
    return tuple(t if t in (STAR, NAME_STAR, ANY) else t.casefold() for t in pattern)


def literal(value: str) -> Pattern:
    return tuple(value)


def is_exact(pattern: Pattern) -> bool:
    return not any(t in (STAR, NAME_STAR, ANY) for t in pattern)


def fixed_prefix(pattern: Pattern) -> str:
    """The literal text before the first wildcard: what every value of ``pattern`` starts with."""
    wild = next((i for i, t in enumerate(pattern) if t in (STAR, NAME_STAR, ANY)), len(pattern))
    return "".join(pattern[:wild])


def witness(a: Pattern, b: Pattern) -> str | None:
    """A string both patterns match, or None when they share none."""
    return _witness(a, b)


@lru_cache(maxsize=8192)
def _witness(a: Pattern, b: Pattern) -> str | None:
    @cache
    def walk(i: int, j: int) -> str | None:
        if i == len(a) and j == len(b):
            return ""
        x = a[i] if i < len(a) else None
        y = b[j] if j < len(b) else None
        options: list[tuple[str, int, int]] = []
        if x in _STARS:
            options.append(("", i + 1, j))
        if y in _STARS:
            options.append(("", i, j + 1))
        if x is not None and y is not None and not (x in _STARS and y in _STARS):
            if x in _STARS:
                if not (x == NAME_STAR and y in _WILD):
                    options.append((_FILL if y == ANY else y, i, j + 1))
            elif y in _STARS:
                if not (y == NAME_STAR and x in _WILD):
                    options.append((_FILL if x == ANY else x, i + 1, j))
            elif ANY in (x, y) or x == y:
                char = y if x == ANY else x
                options.append((_FILL if char == ANY else char, i + 1, j + 1))
        for char, ni, nj in options:
            rest = walk(ni, nj)
            if rest is not None:
                return char + rest
        return None

    return walk(0, 0)


def instance(pattern: Pattern, fill: str = "example") -> str:
    """One concrete value of ``pattern``."""
    return "".join(fill if t in _STARS else _FILL if t == ANY else t for t in pattern)
