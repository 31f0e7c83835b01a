"""OC205: an Allow statement trusting GitHub's OIDC provider without a condition on ``aud``.

The audience says which service a token was minted for. Without the condition any token of the
provider is accepted whatever its audience, including ones a workflow requested for another
cloud or service (``core.getIDToken('api://AzureADTokenExchange')``) and may have handed on.
A ``ForAllValues:`` condition does not count: it holds when the key is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo

INFO = RuleInfo(
    id="OC205",
    name="missing-aud",
    severity="error",
    summary="no aud condition in a statement trusting GitHub's OIDC provider",
    help='Add `"StringEquals": {"token.actions.githubusercontent.com:aud": '
    '"sts.amazonaws.com"}` (sts.amazonaws.com.cn in China) to the statement.',
    tags=("trust",),
)


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.policies:
        return
    from oidcify.check.policies import GITHUB_PROVIDER

    for policy in ctx.policies:
        for statement in policy.policy.statements:
            ids = [i for v in (statement.principals or {}).values() for i in v]
            if statement.effect != "Allow" or not any(i.endswith(GITHUB_PROVIDER) for i in ids):
                continue
            pins_aud = any(
                c.claim == "aud" and not c.operator.negated and c.operator.base != "Null"
                and c.operator.qualifier != "ForAllValues"
                for c in statement.conditions
            )  # fmt: skip
            if not pins_aud:
                place = policy.locator.statement(statement)
                yield INFO.at(place.path, place.line, f"{policy.label}: {statement.label} trusts "
                              "GitHub's OIDC provider without a condition on aud",
                              column=place.column)  # fmt: skip


EXAMPLE = Example(
    bad="""\
"Condition": {
  "StringEquals": {
  "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"
}
}
""",
    good="""\
"Condition": {
  "StringEquals": {
    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
    "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"
  }
}
""",
    lang="json",
)
