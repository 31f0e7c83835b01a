"""OC201: the role's trust policy refuses a job that assumes it (with ``--trust-policy`` or
``--terraform``).

Each run the job can have (``workflows.runs``: triggers, branch and tag filters, environments, pull
requests, callers of reusable workflows, the job's ``if:``) presents a ``sub`` claim, judged by
``oidcify.iam.evaluate`` as STS would (``check.coverage``). The finding is on the configure
step and names the condition that fails. A trigger with no branch or tag filter is refused only
when no branch or tag at all is admitted.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo

INFO = RuleInfo(
    id="OC201",
    name="role-refuses-job",
    severity="error",
    summary="the role's trust policy refuses a job that assumes it",
    help="STS will answer 'Not authorized to perform sts:AssumeRoleWithWebIdentity'. Either "
    "admit the job's subject in the trust policy (the message names it and the condition that "
    "fails; `oidcify simulate` explains one token in full) or stop the job from running where "
    "it is refused (a narrower trigger filter, an `if:`, or the environment the policy admits).",
    tags=("trust",),
)


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.coverage is None:
        return
    for refusal in ctx.coverage.refusals:
        yield INFO.at(
            refusal.path, refusal.line,
            f"job {refusal.job} ({refusal.scope}): {refusal.reason}",
            column=refusal.column,
        )  # fmt: skip


EXAMPLE = Example(
    bad="""\
"Condition": {
  "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
  "StringLike": {
    "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"
  }
}
""",
    good="""\
"Condition": {
  "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
  "StringLike": {"token.actions.githubusercontent.com:sub": [
    "repo:octo-org/app:ref:refs/heads/main",
    "repo:octo-org/app:environment:production"
  ]}
}
""",
    lang="json",
)
