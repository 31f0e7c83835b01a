"""GitHub Actions expressions, as far as the retrofit needs them: which secrets a value uses.

Secret names are case-insensitive on GitHub, so names are compared upper-cased.
"""

from __future__ import annotations

import re

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_SECRET = rf"secrets\s*(?:\.\s*({_NAME})|\[\s*['\"]({_NAME})['\"]\s*\])"
_ONLY_SECRET = re.compile(rf"\s*\$\{{\{{\s*{_SECRET}\s*\}}\}}\s*")
# A context name starts an expression path: the ``secrets`` in ``steps.wait-for-secrets.outputs``
# ends a step id and reads no secret.
_ROOT = r"(?<![\w.-])"
_ANY_SECRET = re.compile(rf"{_ROOT}{_SECRET}")
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_ONLY_EXPRESSION = re.compile(r"\s*\$\{\{(.*?)\}\}\s*", re.DOTALL)
_SECRETS_ROOT = re.compile(rf"{_ROOT}secrets\b")
_NAMED_SECRET = re.compile(_SECRET)
_FORMATTED_SECRET = re.compile(rf"{_ROOT}secrets\s*\[\s*format\(\s*'([^']*)'")
_CONTEXT = re.compile(rf"{_ROOT}(secrets|steps|env|inputs|vars|needs|matrix|github|jobs)\b\s*[.\[]")


def secret_of(value: str | None) -> str | None:
    """``NAME`` when ``value`` is exactly ``${{ secrets.NAME }}`` (any spacing, index form)."""
    if value is None:
        return None
    match = _ONLY_SECRET.fullmatch(value)
    if not match:
        return None
    return match.group(1) or match.group(2)


def secret_refs(value: str | None) -> list[str]:
    """Upper-cased names of the secrets the expressions in ``value`` read, in order of first use."""
    if not value or "secrets" not in value or "${{" not in value:
        return []
    found = [
        (m.group(1) or m.group(2)).upper()
        for expression in _EXPRESSION.finditer(value)
        for m in _ANY_SECRET.finditer(expression.group(1))
    ]
    return list(dict.fromkeys(found))


def formatted_secrets(value: str | None) -> list[str]:
    """The format strings of secrets read by a computed name: ``AWS_KEY_{0}`` for
    ``secrets[format('AWS_KEY_{0}', x)]``."""
    if not value or "format" not in value or "${{" not in value:
        return []
    return [
        m.group(1)
        for expression in _EXPRESSION.finditer(value)
        for m in _FORMATTED_SECRET.finditer(expression.group(1))
    ]


def whole_secrets(value: str | None) -> str | None:
    """The first expression in ``value`` that reads the secrets context as a whole or by a
    computed name (``toJSON(secrets)``, ``secrets[matrix.name]``): it may read any secret."""
    if not value or "secrets" not in value or "${{" not in value:
        return None
    for expression in _EXPRESSION.finditer(value):
        inner = expression.group(1)
        for match in _SECRETS_ROOT.finditer(inner):
            if not _NAMED_SECRET.match(inner, match.start()):
                return inner.strip()
    return None


def contexts(value: str | None) -> set[str]:
    """The contexts (``secrets``, ``steps``, ``env`` ...) that the expressions in ``value`` read."""
    if not value or "${{" not in value:
        return set()
    found: set[str] = set()
    for match in _EXPRESSION.finditer(value):
        found.update(m.group(1) for m in _CONTEXT.finditer(match.group(1)))
    return found


def only_expression(value: str | None) -> str | None:
    """The inside of ``${{ ... }}`` when ``value`` is one expression and nothing else."""
    if value is None:
        return None
    match = _ONLY_EXPRESSION.fullmatch(value)
    return match.group(1).strip() if match and "${{" not in match.group(1) else None


def is_literal(value: str | None) -> bool:
    return value is not None and "${{" not in value
