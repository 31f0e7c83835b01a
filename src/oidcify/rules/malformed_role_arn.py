"""OC104: a role ARN or an AWS account id that cannot be right.

Checked: configure-aws-credentials' ``role-to-assume`` and ``allowed-account-ids``, and
amazon-ecr-login's ``registries``. Parts written as expressions (``arn:aws:iam::${{
vars.ACCOUNT_ID }}:role/deploy``) are taken on trust and only the literal parts are judged; a
value that is one expression is not judged. With OIDC a bare role name is an error:
configure-aws-credentials builds the ARN from the account of the credentials it already has,
and an OIDC job has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oidcify import names
from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import ECR_LOGIN, is_action, is_cac, mints
from oidcify.rules._scan import step_name
from oidcify.workflows.model import Step
from oidcify.workflows.nodes import get, get_pair

INFO = RuleInfo(
    id="OC104",
    name="malformed-role-arn",
    severity="error",
    summary="malformed role ARN or AWS account id",
    help="A role ARN is arn:PARTITION:iam::ACCOUNT_ID:role/[PATH/]NAME: partition aws, aws-cn "
    "or aws-us-gov, no region, a 12-digit account id (leading zeros kept: quote it in YAML), "
    "and role/ before the name. Copy it from `aws iam get-role --query Role.Arn` or from the "
    "Terraform output; an account id is exactly 12 digits.",
)
_EXPR = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)
_HOLE = "\0"
_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def _field_problem(index: int, part: str) -> str | None:
    if _HOLE in part and index != 5:
        return None
    if index == 0 and part != "arn":
        return f"starts with {part!r}, not 'arn'"
    if index == 1 and part not in _PARTITIONS:
        return f"partition {part!r} is not one of {', '.join(_PARTITIONS)}"
    if index == 2 and part != "iam":
        return f"service {part!r} is not 'iam' (an assumed-role or user ARN is not a role)"
    if index == 3 and part:
        return f"has region {part!r}; IAM ARNs have none (arn:aws:iam::ACCOUNT_ID:role/NAME)"
    if index == 4 and not names.AWS_ACCOUNT_ID.ok(part):
        return f"account id {part!r} is not 12 digits"
    if index == 5:
        known = part.split(_HOLE, 1)[0]
        if not ("role/".startswith(known) or known.startswith("role/")):
            return f"resource {known!r} is not role/NAME"
        if _HOLE not in part and not names.IAM_ROLE_NAME.ok(part.rsplit("/", 1)[-1]):
            name = part.rsplit("/", 1)[-1]
            return f"role name {name!r} is not valid ({names.IAM_ROLE_NAME.allowed})"
    return None


def arn_problem(value: str, *, oidc: bool) -> str | None:
    """What is wrong with ``value`` as ``role-to-assume``, or None."""
    text = _EXPR.sub(_HOLE, value.strip())
    if not text or text == _HOLE:
        return None
    if not text.startswith("arn:") and _HOLE not in text:
        if names.IAM_ROLE_NAME.ok(text):
            return ("is a role name: with OIDC configure-aws-credentials needs the full ARN "
                    "(arn:aws:iam::ACCOUNT_ID:role/NAME)") if oidc else None  # fmt: skip
        return "is not a role ARN (arn:PARTITION:iam::ACCOUNT_ID:role/NAME)"
    parts = text.split(":")
    if len(parts) != 6:
        return None if _HOLE in text else (
            f"has {len(parts)} ':'-separated parts; a role ARN has 6 "
            "(arn:PARTITION:iam::ACCOUNT_ID:role/NAME)"
        )  # fmt: skip
    return next((p for i, part in enumerate(parts) if (p := _field_problem(i, part))), None)


def account_problems(value: str) -> list[str]:
    """Account ids in a comma-separated list that are not 12 digits (expressions skipped)."""
    items = [item.strip() for item in value.split(",")]
    return [i for i in items if i and "${{" not in i and not names.AWS_ACCOUNT_ID.ok(i)]


def _line(step: Step, key: str) -> tuple[int, int]:
    pair = get_pair(get(step.node, "with"), key)
    if pair is None:
        return step.line, step.column
    return pair[0].start_mark.line + 1, pair[0].start_mark.column + 1


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, _ in ctx.workflows():
        path = loaded.source.display
        for job in wf.jobs.values():
            for step in job.steps:
                checks: list[tuple[str, str]] = []
                if is_cac(step):
                    role = step.with_.get("role-to-assume", "")
                    problem = arn_problem(role, oidc=mints(wf, job, step)) if role else None
                    if problem:
                        message = f"role-to-assume {role.strip()!r} {problem}"
                        checks.append(("role-to-assume", message))
                    bad = account_problems(step.with_.get("allowed-account-ids", ""))
                    checks += [("allowed-account-ids", f"allowed-account-ids: {b!r} is not a "
                                "12-digit account id") for b in bad]  # fmt: skip
                if is_action(step, ECR_LOGIN):
                    bad = account_problems(step.with_.get("registries", ""))
                    checks += [("registries", f"registries: {b!r} is not a 12-digit account id")
                               for b in bad]  # fmt: skip
                for key, message in checks:
                    line, column = _line(step, key)
                    yield INFO.at(path, line, f"{step_name(job, step)}: {message}", column=column)


EXAMPLE = Example(
    bad="""\
with:
  role-to-assume: arn:aws:iam::12345:user/deploy
  aws-region: us-east-1
""",
    good="""\
with:
  role-to-assume: arn:aws:iam::123456789012:role/deploy
  aws-region: us-east-1
""",
)
