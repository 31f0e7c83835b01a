"""OC102: long-lived AWS access keys taken from secrets (or written into the file).

Found wherever a value hands a secret to AWS: configure-aws-credentials' key inputs, the
``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` / ``AWS_SESSION_TOKEN`` variables in any
``env``, and any input, variable, reusable-workflow secret or run script that uses a secret
named like an AWS key (``AWS_SECRET``, ``PROD_AWS_ACCESS_KEY_ID``, ``IAM_USER_ACCESS_KEY``).
A literal access key id (``AKIA...``) is reported too. Keys made at run time (step outputs)
are not secrets and are not reported; nor are ``if:`` tests of whether a secret is set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Finding, RuleInfo
from oidcify.rules._scan import Scalar, scalars, step_name
from oidcify.workflows.aws_keys import ACCESS_KEY_ID, KEY_ENV, KEY_INPUTS, KEY_NAME
from oidcify.workflows.expressions import secret_refs
from oidcify.workflows.model import Workflow

INFO = RuleInfo(
    id="OC102",
    name="static-aws-keys",
    severity="warning",
    summary="long-lived AWS access keys from secrets",
    help="Keys in secrets never expire and work from anywhere once leaked. Let the job assume "
    "an IAM role with its OIDC token instead: `permissions: {id-token: write}` and "
    "configure-aws-credentials with `role-to-assume`, then delete the secrets and the IAM "
    "user's keys. `oidcify retrofit` makes the change in place.",
)
# Every value that can be a finding holds one of these (a secret's use, a literal key id).
_CANDIDATE = re.compile("secrets|AKIA|ASIA")


def _where(wf: Workflow, path: tuple[str | int, ...]) -> str:
    job = wf.jobs.get(str(path[1])) if len(path) >= 2 and path[0] == "jobs" else None
    if job is None:
        return "workflow"
    step = next((s for s in job.steps if len(path) >= 4 and s.index == path[3]), None)
    return step_name(job, step) if step and path[2] == "steps" else f"job {job.id}"


def _finding(display: str, wf: Workflow, item: Scalar) -> Finding | None:
    path = item.path
    key = str(path[-1]) if path else ""
    parent = str(path[-2]) if len(path) >= 2 else ""
    if key == "if" or path[:3] == ("on", "workflow_call", "secrets"):
        return None
    names = secret_refs(item.value)
    keyish = [n for n in names if KEY_NAME.search(n)]
    where = _where(wf, path)
    if names and parent == "env" and key.upper() in KEY_ENV:
        what = f"env {key} comes from secrets.{names[0]}"
    elif names and parent == "with" and key.lower() in KEY_INPUTS:
        what = f"input {key} comes from secrets.{names[0]}"
    elif keyish:
        kind = "a run script" if key == "run" else f"{parent or 'value'} {key}".strip()
        what = f"{kind} uses secrets.{keyish[0]}"
    elif ACCESS_KEY_ID.search(item.value):
        what = f"{parent or 'value'} {key} is a literal access key id".strip()
    else:
        return None
    return INFO.at(
        display, item.line, f"{where}: {what}: a long-lived AWS key; assume a role with OIDC",
        column=item.column,
    )  # fmt: skip


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, _ in ctx.workflows():
        if not _CANDIDATE.search(loaded.text or ""):
            continue
        for item in scalars(wf.node, _CANDIDATE.search):
            found = _finding(loaded.source.display, wf, item)
            if found:
                yield found
