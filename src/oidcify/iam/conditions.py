"""IAM condition operators: parse ``[ForAllValues:|ForAnyValue:]Operator[IfExists]`` and decide one
condition (operator, key, values) against a request context, with a sentence saying why.

Rules, from the IAM User Guide ("Condition operators", "Conditions with multiple context keys or
values", "Single-valued vs. multivalued context keys"):

- Condition key names are case-insensitive; values are case-sensitive unless the operator ends
  in ``IgnoreCase``. Several values for one key are OR-ed; for a negated operator
  (``StringNotEquals``, ``StringNotLike``, ...) they are NOR-ed: no value may match.
- A key missing from the request makes the condition false, except: a negated operator is true;
  ``...IfExists`` is true; ``ForAllValues:`` is true (vacuously: the classic trap in an Allow);
  ``ForAnyValue:`` is false; ``Null`` tests presence itself.
- ``ForAnyValue:`` holds when at least one request value satisfies the operator, ``ForAllValues:``
  when every one does. A multi-valued key without a qualifier is read as "any value matches" for
  positive operators and "no value matches" for negated ones (oidcify's choice; IAM says such keys
  need a qualifier; single-valued keys, which GitHub's claims are, behave the same either way).
- An empty list in the request counts as a missing key (IAM's "null data set").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from oidcify.errors import InputError
from oidcify.iam import wildcards
from oidcify.iam.sts_keys import never_in_request
from oidcify.names import is_wildcard

QUALIFIERS = ("ForAllValues", "ForAnyValue")
# name: (negated, ignore_case, like)
STRING_OPERATORS: dict[str, tuple[bool, bool, bool]] = {
    "StringEquals": (False, False, False),
    "StringNotEquals": (True, False, False),
    "StringEqualsIgnoreCase": (False, True, False),
    "StringNotEqualsIgnoreCase": (True, True, False),
    "StringLike": (False, False, True),
    "StringNotLike": (True, False, True),
    "Bool": (False, True, False),
}
SUPPORTED = (*STRING_OPERATORS, "Null")
# Real IAM operators oidcify does not evaluate: refused with a message that says so.
UNSUPPORTED = tuple(
    f"{family}{name}"
    for family, names in (
        ("Numeric", ("Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan",
                     "GreaterThanEquals")),
        ("Date", ("Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan",
                  "GreaterThanEquals")),
        ("Arn", ("Equals", "NotEquals", "Like", "NotLike")),
        ("", ("BinaryEquals", "IpAddress", "NotIpAddress")),
    )
    for name in names
)  # fmt: skip

NormalContext = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Operator:
    name: str
    base: str
    qualifier: str | None = None
    if_exists: bool = False

    @property
    def negated(self) -> bool:
        return STRING_OPERATORS.get(self.base, (False, False, False))[0]

    @property
    def ignore_case(self) -> bool:
        return STRING_OPERATORS.get(self.base, (False, False, False))[1]

    @property
    def like(self) -> bool:
        return STRING_OPERATORS.get(self.base, (False, False, False))[2]

    @property
    def lists_admitted(self) -> bool:
        """Whether the condition's values are what it admits: neither negated nor ``Null``
        (which tests that a key is present or absent, whatever its value)."""
        return not self.negated and self.base != "Null"


def parse_operator(name: str, field: str) -> Operator:
    """The operator written as ``name``; unknown or unsupported operators are an InputError."""
    qualifier, _, rest = name.rpartition(":")
    if qualifier and qualifier not in QUALIFIERS:
        raise InputError(
            f"{qualifier!r} is not a set operator; use ForAllValues or ForAnyValue", field=field
        )
    base = rest.removesuffix("IfExists")
    if base not in SUPPORTED:
        raise InputError(_unknown(base), field=field)
    if base == "Null" and (qualifier or base != rest):
        raise InputError("Null takes neither IfExists nor a set operator", field=field)
    return Operator(name, base, qualifier or None, base != rest)


def _unknown(base: str) -> str:
    if base in UNSUPPORTED:
        return (
            f"{base} is an IAM operator oidcify does not evaluate; "
            f"supported: {', '.join(SUPPORTED)}"
        )
    hint = next((s for s in SUPPORTED if s.lower() == base.lower()), None)
    did_you_mean = f" (did you mean {hint}?)" if hint else ""
    return f"unknown condition operator {base!r}{did_you_mean}; supported: {', '.join(SUPPORTED)}"


@dataclass(frozen=True)
class Condition:
    """One key of one operator block: the unit IAM ANDs together."""

    operator: Operator
    key: str
    values: tuple[str, ...]
    path: str = ""

    @property
    def claim(self) -> str:
        """The key as people say it: ``sub`` for ``token.actions.githubusercontent.com:sub``;
        lower case, as IAM compares key names without case (``...:SUB`` is ``sub``)."""
        prefix, sep, name = self.key.rpartition(":")
        return (name if sep and "." in prefix else self.key).lower()


@dataclass(frozen=True)
class ConditionResult:
    condition: Condition
    held: bool
    reason: str


def normalize_context(context: Mapping[str, str | list[str]]) -> dict[str, tuple[str, ...]]:
    """Context keys folded to lower case (IAM key names are case-insensitive), values as tuples."""
    return {
        key.lower(): (value,) if isinstance(value, str) else tuple(value)
        for key, value in context.items()
    }


def _quote(values: tuple[str, ...]) -> str:
    if len(values) == 1:
        return repr(values[0])
    return "any of " + ", ".join(repr(v) for v in values)


def _first_match(cond: Condition, value: str, lookup: wildcards.Lookup | None) -> str | None:
    op = cond.operator
    if not wildcards.any_matches(cond.values, value, like=op.like, ignore_case=op.ignore_case,
                                 variables=lookup is not None):  # fmt: skip
        return None  # one combined test first: a condition may list hundreds of values
    for pattern in cond.values:
        if wildcards.matches(
            pattern, value, like=op.like, ignore_case=op.ignore_case, lookup=lookup
        ):
            return pattern
    return None


def _missing(cond: Condition) -> ConditionResult:
    op, name = cond.operator, cond.claim
    absent = f"{name} is absent"
    if never_in_request(cond.key):
        absent = f"{name} is never present in STS's request (STS evaluates no such key)"
    if op.base == "Null":
        held = "true" in cond.values
        return ConditionResult(cond, held, f"{absent} (Null {_quote(cond.values)})")
    if op.if_exists:
        why = f"{absent}, so {op.name} holds"
    elif op.qualifier == "ForAllValues":
        why = f"{absent}, and ForAllValues holds for a missing key"
    elif op.qualifier == "ForAnyValue":
        return ConditionResult(cond, False, f"{absent}; ForAnyValue needs a value")
    elif op.negated:
        why = f"{absent}, and a negated operator ({op.base}) holds for a missing key"
    else:
        return ConditionResult(cond, False, f"{absent}; {op.name} needs it")
    return ConditionResult(cond, True, why)


def _wildcard_hint(cond: Condition) -> str:
    op = cond.operator
    if op.like or op.base == "Bool" or not any(is_wildcard(v) for v in cond.values):
        return ""
    return f"; '*' and '?' are literal under {op.base}, only StringLike treats them as wildcards"


def _present(
    cond: Condition, values: tuple[str, ...], lookup: wildcards.Lookup | None
) -> ConditionResult:
    op, name = cond.operator, cond.claim
    if op.base == "Null":
        held = "false" in cond.values
        return ConditionResult(cond, held, f"{name} is present (Null {_quote(cond.values)})")
    matched = [_first_match(cond, v, lookup) for v in values]
    held = _combine(op, [(m is None) if op.negated else (m is not None) for m in matched])
    parts = [
        f"{v!r} matches {m!r}" if m is not None else f"{v!r} does not match {_quote(cond.values)}"
        for v, m in zip(values, matched, strict=True)
    ]
    subject = name if len(values) == 1 else f"{op.qualifier or 'any value of'} {name}:"
    reason = f"{subject} {'; '.join(parts)} ({op.name})"
    return ConditionResult(cond, held, reason if held else reason + _wildcard_hint(cond))


def _combine(op: Operator, ok: list[bool]) -> bool:
    """Each request value's verdict combined as the operator's qualifier says."""
    if op.qualifier == "ForAllValues" or (op.qualifier is None and op.negated):
        return all(ok)
    return any(ok)


def condition_holds(cond: Condition, context: NormalContext, *, variables: bool = True) -> bool:
    """``evaluate_condition(...).held`` without building the reason: for callers that decide
    many requests (OC203's probes) and only need the verdict."""
    values = context.get(cond.key.lower(), ())
    if not values or cond.operator.base == "Null":
        return evaluate_condition(cond, context, variables=variables).held

    def lookup(name: str) -> str | None:
        found = context.get(name.lower(), ())
        return found[0] if len(found) == 1 else None

    op = cond.operator
    if not variables or not wildcards.has_any_variables(cond.values):
        hits = [wildcards.any_matches(cond.values, v, like=op.like, ignore_case=op.ignore_case,
                                      variables=False) for v in values]  # fmt: skip
    else:
        try:
            hits = [_first_match(cond, v, lookup) is not None for v in values]
        except wildcards.Unresolved:
            return False
    return _combine(op, [not hit if op.negated else hit for hit in hits])


def evaluate_condition(
    cond: Condition, context: NormalContext, *, variables: bool = True
) -> ConditionResult:
    """Whether ``cond`` holds for ``context`` (from ``normalize_context``), and why.

    ``variables`` is False for policies older than Version 2012-10-17, where ``${...}`` is text.
    """
    values = context.get(cond.key.lower(), ())
    if not values:
        return _missing(cond)

    def lookup(name: str) -> str | None:
        found = context.get(name.lower(), ())
        return found[0] if len(found) == 1 else None

    try:
        return _present(cond, values, lookup if variables else None)
    except wildcards.Unresolved as err:
        return ConditionResult(
            cond, False, f"policy variable {err.variable} has no single value in the request"
        )
