"""Parse and normalise an IAM role trust policy into Statements of Conditions.

``parse_policy`` accepts the text (or dict) forms ``document.py`` knows, checks the grammar a
trust policy may use, and refuses anything it cannot evaluate faithfully with an InputError that
names the element (``Statement[1].Condition.StringEquals``). Resource/NotResource and
NotPrincipal are refused: IAM rejects them in a role trust policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from oidcify.errors import InputError
from oidcify.iam.conditions import Condition, parse_operator
from oidcify.iam.document import load_document

VERSIONS = ("2012-10-17", "2008-10-17")
_STATEMENT_ELEMENTS = (
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Condition",
)  # fmt: skip


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str | None
    effect: str  # "Allow" or "Deny"
    principals: dict[str, tuple[str, ...]]  # everyone: {"*": ("*",)}
    actions: tuple[str, ...] | None  # None: NotAction is used
    not_actions: tuple[str, ...] | None
    conditions: tuple[Condition, ...]

    @property
    def label(self) -> str:
        """The Sid when there is one, else the statement's position."""
        return self.sid or f"Statement[{self.index}]"


@dataclass(frozen=True)
class Policy:
    version: str
    statements: tuple[Statement, ...]

    @property
    def variables(self) -> bool:
        """Policy variables are substituted only under Version 2012-10-17."""
        return self.version == "2012-10-17"

    def conditions(self, effect: str | None = None) -> Iterator[tuple[Statement, Condition]]:
        for statement in self.statements:
            if effect is None or statement.effect == effect:
                for condition in statement.conditions:
                    yield statement, condition

    def principal_identifiers(self, kind: str, effect: str | None = "Allow") -> list[str]:
        """Identifiers of one Principal type (e.g. every Federated provider ARN), in order."""
        found: list[str] = []
        for statement in self.statements:
            if effect is None or statement.effect == effect:
                for identifier in (statement.principals or {}).get(kind, ()):
                    if identifier not in found:
                        found.append(identifier)
        return found

    def condition_values(
        self, key: str, effect: str | None = "Allow"
    ) -> list[tuple[Statement, Condition, str]]:
        """Every value a condition on ``key`` (case-insensitive) lists, e.g. the sub patterns."""
        return [
            (statement, condition, value)
            for statement, condition in self.conditions(effect)
            if condition.key.lower() == key.lower()
            for value in condition.values
        ]


def _strings(value: Any, field: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item for item in items):
        raise InputError("expected a non-empty string or list of non-empty strings", field=field)
    return tuple(items)


def _scalar(value: Any, field: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise InputError("condition values must be strings, numbers or booleans", field=field)


def _principal(value: Any, field: str) -> dict[str, tuple[str, ...]]:
    if value == "*":
        return {"*": ("*",)}
    if not isinstance(value, dict) or not value:
        raise InputError(
            'expected "*" or an object such as {"Federated": "arn:...:oidc-provider/..."}',
            field=field,
        )
    allowed = ("AWS", "Federated", "Service", "CanonicalUser")
    for kind in value:
        if kind not in allowed:
            raise InputError(f"{kind!r} is not one of {', '.join(allowed)}", field=field)
    return {kind: _strings(ids, f"{field}.{kind}") for kind, ids in value.items()}


def _condition_values(values: Any, base: str, field: str) -> tuple[str, ...]:
    items = values if isinstance(values, list) else [values]
    if not items:
        raise InputError("needs at least one value", field=field)
    out = tuple(_scalar(item, field) for item in items)
    if base in ("Null", "Bool") and any(v.lower() not in ("true", "false") for v in out):
        raise InputError(f"{base} takes 'true' or 'false'", field=field)
    return tuple(v.lower() for v in out) if base in ("Null", "Bool") else out


def _conditions(block: Any, field: str) -> tuple[Condition, ...]:
    if not isinstance(block, dict):
        raise InputError("expected an object of {operator: {key: values}}", field=field)
    out: list[Condition] = []
    for name, keys in block.items():
        where = f"{field}.{name}"
        operator = parse_operator(name, where)
        if not isinstance(keys, dict) or not keys:
            raise InputError("expected an object of {condition key: values}", field=where)
        seen: dict[str, str] = {}
        for key, values in keys.items():
            if (other := seen.setdefault(key.lower(), key)) != key:
                raise InputError(
                    f"condition keys {other!r} and {key!r} differ only in case; IAM key names "
                    "are case-insensitive, so merge them",
                    field=where,
                )
            found = _condition_values(values, operator.base, f"{where}.{key}")
            out.append(Condition(operator, key, found, f"{where}.{key}"))
    return tuple(out)


def _either(raw: dict[str, Any], name: str, field: str) -> tuple[Any, Any]:
    plain, negated = raw.get(name), raw.get(f"Not{name}")
    if (plain is None) == (negated is None):
        raise InputError(f"needs exactly one of {name} and Not{name}", field=field)
    return plain, negated


def _statement(raw: Any, index: int) -> Statement:
    field = f"Statement[{index}]"
    if not isinstance(raw, dict):
        raise InputError("expected an object", field=field)
    for element in raw:
        if element not in _STATEMENT_ELEMENTS:
            why = (
                "IAM refuses it in a trust policy"
                if element in ("Resource", "NotResource")
                else f"allowed: {', '.join(_STATEMENT_ELEMENTS)}"
            )
            raise InputError(f"unexpected element {element!r}; {why}", field=field)
    if "NotPrincipal" in raw:
        # IAM refuses it in a role trust policy; with Allow it would admit every principal
        # but the ones named, anonymous ones included.
        raise InputError(
            "IAM does not accept NotPrincipal in a role trust policy; name who may assume the "
            "role with Principal",
            field=f"{field}.NotPrincipal",
        )
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise InputError(f"{effect!r} is not 'Allow' or 'Deny'", field=f"{field}.Effect")
    if raw.get("Principal") is None:
        raise InputError("needs a Principal: who may assume the role", field=field)
    action, not_action = _either(raw, "Action", field)
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise InputError("expected a string", field=f"{field}.Sid")
    return Statement(
        index=index,
        sid=sid or None,
        effect=effect,
        principals=_principal(raw["Principal"], f"{field}.Principal"),
        actions=None if action is None else _strings(action, f"{field}.Action"),
        not_actions=None if not_action is None else _strings(not_action, f"{field}.NotAction"),
        conditions=_conditions(raw.get("Condition", {}), f"{field}.Condition")
        if raw.get("Condition") is not None
        else (),
    )


def _checked(doc: dict[str, Any]) -> Policy:
    for element in doc:
        if element not in ("Version", "Id", "Statement"):
            raise InputError(f"unexpected element {element!r}; allowed: Version, Id, Statement",
                             field="policy")  # fmt: skip
    if "Id" in doc and not isinstance(doc["Id"], str):
        raise InputError("expected a string", field="Id")
    version = doc.get("Version", "2008-10-17")
    if version not in VERSIONS:
        raise InputError(f"{version!r} is not one of {', '.join(VERSIONS)}", field="Version")
    raw = doc["Statement"]
    statements = raw if isinstance(raw, list) else [raw]
    if not statements:
        raise InputError("a policy needs at least one statement", field="Statement")
    return Policy(version, tuple(_statement(s, i) for i, s in enumerate(statements)))


def parse_policy(text: str | dict[str, Any], origin: str | None = None) -> Policy:
    """The trust policy in ``text``; ``origin`` (e.g. the file name) prefixes error fields."""
    doc = load_document(text, origin or "policy")
    try:
        return _checked(doc)
    except InputError as err:
        if origin is None:
            raise
        raise InputError(err.message, field=f"{origin} at {err.field}") from None
