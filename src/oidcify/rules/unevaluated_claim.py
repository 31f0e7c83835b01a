"""OC207: a trust-policy condition on a GitHub token claim that AWS STS does not evaluate.

STS puts only ``aud``, ``sub`` and a fixed list of GitHub claims (``oidcify.iam.sts_keys``) into
the request. A condition on any other claim (``repository_owner``, ``event_name``,
``ref_type``, ``workflow_ref``, ``runner_environment`` ...) finds no key: a positive test never
holds, so an Allow requiring it refuses every job and a Deny on it never applies; a negated test
(or ``...IfExists``, ``Null: true``) always holds and restricts nothing. Either way the policy
does not do what it says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo

if TYPE_CHECKING:
    from oidcify.check.policies import Place, TrustPolicy
    from oidcify.iam import Condition, Statement

INFO = RuleInfo(
    id="OC207",
    name="unevaluated-claim",
    severity="error",
    summary="condition on a token claim AWS STS does not evaluate",
    help="Test a claim STS evaluates instead: aud, sub, actor, actor_id, enterprise_id, "
    "environment, job_workflow_ref, ref, repository, repository_id, repository_owner_id or "
    "workflow (repository_owner: pin sub or repository_owner_id; event_name: the sub's "
    "context; workflow_ref: job_workflow_ref).",
    tags=("trust",),
)


def _effect(held: bool, effect: str) -> str:
    if held:
        return "always holds and restricts nothing"
    if effect == "Deny":
        return "never holds, so the Deny never applies"
    return "never holds, so the statement admits no one"


def _place(policy: TrustPolicy, statement: Statement, condition: Condition) -> Place:
    """Where the condition's key is written: its first mention after the statement's."""
    from oidcify.check.policies import Place

    start = policy.locator.statement(statement)
    needle = json.dumps(condition.key)
    for path, text in policy.locator.texts:
        if path == start.path:
            offset = sum(len(line) for line in text.splitlines(keepends=True)[: start.line - 1])
            at = text.find(needle, offset)
            if at >= 0:
                return Place(path, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
    return policy.locator.condition(statement, condition)


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.policies:
        return
    from oidcify.iam.conditions import evaluate_condition
    from oidcify.iam.sts_keys import never_in_request

    for policy in ctx.policies:
        for statement, condition in policy.policy.conditions(effect=None):
            if not never_in_request(condition.key):
                continue
            held = evaluate_condition(condition, {}, variables=False).held
            place = _place(policy, statement, condition)
            yield INFO.at(
                place.path, place.line,
                f"{policy.label}: {condition.claim} is no condition key STS evaluates, it is "
                f"never in the request: {condition.operator.name} on it ({statement.label}) "
                f"{_effect(held, statement.effect)}",
                column=place.column,
            )  # fmt: skip


EXAMPLE = Example(
    bad="""\
"StringEquals": {"token.actions.githubusercontent.com:repository_owner": "octo-org"}
""",
    good="""\
"StringEquals": {"token.actions.githubusercontent.com:repository_owner_id": "1234567"}
""",
    lang="json",
)
