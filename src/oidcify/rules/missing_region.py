"""OC105: a configure-aws-credentials step with no region, or one that cannot be a region.

The action requires ``aws-region`` (it fails with "Input required and not supplied:
aws-region"); since v5 it also reads ``AWS_REGION`` from the environment, so a region in the
step's, job's or workflow's ``env`` counts, and so does any expression. ``AWS_DEFAULT_REGION``
alone does not: the action does not read it. A literal region must match the action's own test
(``^[a-z0-9-]+$``) and look like a region (``us-east-1``, ``us-gov-west-1``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oidcify import aws
from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import cac_input, env_value, is_cac
from oidcify.rules._scan import step_name
from oidcify.workflows.model import Job, Step, Workflow

INFO = RuleInfo(
    id="OC105",
    name="missing-region",
    severity="error",
    summary="configure-aws-credentials step without a valid region",
    help="Give the step `aws-region: us-east-1` (or `${{ vars.AWS_REGION }}`), or set "
    "AWS_REGION in the job's env. AWS_DEFAULT_REGION is not read by configure-aws-credentials.",
)
_ACTION_TEST = re.compile(r"[a-z0-9-]+")
_SHAPE = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d+")


def problem(wf: Workflow, job: Job, step: Step) -> str | None:
    region = (cac_input(wf, job, step, "aws-region") or "").strip()
    if not region:
        default = env_value(wf, job, step, "AWS_DEFAULT_REGION")
        extra = " (AWS_DEFAULT_REGION is set, but the action does not read it)" if default else ""
        return "has no aws-region input and no AWS_REGION in env" + extra
    if "${{" in region:
        return None
    if not _ACTION_TEST.fullmatch(region):
        return f"region {region!r} fails the action's check (lower-case letters, digits, '-')"
    if region not in aws.REGIONS and not _SHAPE.fullmatch(region):
        return f"region {region!r} is not an AWS region (e.g. us-east-1)"
    return None


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, _ in ctx.workflows():
        for job in wf.jobs.values():
            for step in job.steps:
                if is_cac(step) and (why := problem(wf, job, step)):
                    yield INFO.at(loaded.source.display, step.line, f"{step_name(job, step)} {why}",
                                  column=step.column)  # fmt: skip


EXAMPLE = Example(
    bad="""\
env:
  AWS_DEFAULT_REGION: us-east-1
steps:
  - uses: aws-actions/configure-aws-credentials@v6
    with:
      role-to-assume: arn:aws:iam::123456789012:role/deploy
""",
    good="""\
steps:
  - uses: aws-actions/configure-aws-credentials@v6
    with:
      role-to-assume: arn:aws:iam::123456789012:role/deploy
      aws-region: us-east-1
""",
)
