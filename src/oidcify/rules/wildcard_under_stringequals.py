"""OC204: ``*`` or ``?`` in a value compared with StringEquals (or StringNotEquals).

Only StringLike and StringNotLike treat them as wildcards; under StringEquals
``repo:octo-org/app:ref:refs/heads/*`` matches that exact text and nothing a token carries, so
the statement silently admits (or, in a Deny, blocks) nothing. Every value is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo

INFO = RuleInfo(
    id="OC204",
    name="wildcard-under-stringequals",
    severity="error",
    summary="wildcard in a StringEquals condition value",
    help="Use StringLike for values with '*' or '?' (put exact values and patterns in separate "
    "statements, or all under StringLike), or remove the wildcard.",
    tags=("trust",),
)
_EQUALS = ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
           "StringNotEqualsIgnoreCase")  # fmt: skip


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.policies:
        return
    from oidcify.iam.wildcards import VARIABLE

    for policy in ctx.policies:
        for statement, condition in policy.policy.conditions(effect=None):
            if condition.operator.base not in _EQUALS:
                continue
            for value in condition.values:
                if any(c in VARIABLE.sub("", value) for c in "*?"):
                    place = policy.locator.value(value)
                    yield INFO.at(
                        place.path, place.line,
                        f"{policy.label}: {condition.claim} value {value!r} is compared with "
                        f"{condition.operator.name} ({statement.label}), where '*' and '?' are "
                        "literal; use StringLike",
                        column=place.column,
                    )  # fmt: skip


EXAMPLE = Example(
    bad="""\
"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:octo-org/app:*"}
""",
    good="""\
"StringLike": {
  "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/*"
}
""",
    lang="json",
)
