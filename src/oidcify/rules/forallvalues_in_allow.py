"""OC206: ``ForAllValues:`` in an Allow statement.

``ForAllValues`` holds when the key is missing from the request, so an Allow that relies on it
admits tokens that lack the claim altogether; GitHub's claims are single-valued anyway, so the
qualifier adds nothing but the hole. IAM Access Analyzer warns about the same pattern.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo

INFO = RuleInfo(
    id="OC206",
    name="forallvalues-in-allow",
    severity="error",
    summary="ForAllValues: qualifier in an Allow statement",
    help="Drop the qualifier (StringEquals / StringLike on the claim itself), or use "
    "ForAnyValue: for a genuinely multi-valued key.",
    tags=("trust",),
)


def check(ctx: Context) -> Iterator[Finding]:
    for policy in ctx.policies:
        for statement, condition in policy.policy.conditions("Allow"):
            if condition.operator.qualifier == "ForAllValues":
                place = policy.locator.condition(statement, condition)
                yield INFO.at(
                    place.path, place.line,
                    f"{policy.label}: {condition.operator.name} on {condition.claim} "
                    f"({statement.label}) holds when the claim is missing",
                    column=place.column,
                )  # fmt: skip


EXAMPLE = Example(
    bad="""\
"Effect": "Allow",
"Condition": {"ForAllValues:StringLike": {
  "token.actions.githubusercontent.com:sub": "repo:octo-org/app:*"
}}
""",
    good="""\
"Effect": "Allow",
"Condition": {"StringLike": {
  "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"
}}
""",
    lang="json",
)
