"""OC102: long-lived AWS access keys taken from secrets (or written into the file).

Found wherever a value hands a secret to AWS: configure-aws-credentials' key inputs, the
``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` / ``AWS_SESSION_TOKEN`` variables in any
``env``, and any input, variable, reusable-workflow secret or run script that uses a secret
named like an AWS key (``AWS_SECRET``, ``PROD_AWS_ACCESS_KEY_ID``, ``IAM_USER_ACCESS_KEY``).
A literal access key id (``AKIA...``) is reported too, and secrets read by a computed name
(``secrets[format('AWS_SECRET_ACCESS_KEY_{0}', matrix.env)]``). One finding for each step (or
job, or workflow ``env``) names every key it holds. Keys made at run time (step outputs) are not
secrets and are not reported; nor are ``if:`` tests of whether a secret is set, nor keys for
S3-compatible storage that is not AWS (Cloudflare R2, DigitalOcean Spaces ...: the job or
workflow names its endpoint; ``workflows/s3_compatible``, as the retrofit's OS004).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.rules._scan import Scalar, scalars, step_name
from oidcify.workflows import s3_compatible
from oidcify.workflows.aws_keys import ACCESS_KEY_ID, KEY_ENV, KEY_INPUTS, KEY_NAME
from oidcify.workflows.expressions import formatted_secrets, secret_refs
from oidcify.workflows.model import Workflow
from oidcify.workflows.s3_compatible import auto_region

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
_PLACEHOLDER = re.compile(r"\{\d+\}")


def _where(wf: Workflow, path: tuple[str | int, ...]) -> str:
    job = wf.jobs.get(str(path[1])) if len(path) >= 2 and path[0] == "jobs" else None
    if job is None:
        return "workflow"
    step = next((s for s in job.steps if len(path) >= 4 and s.index == path[3]), None)
    return step_name(job, step) if step and path[2] == "steps" else f"job {job.id}"


def _what(item: Scalar) -> str | None:
    """What makes ``item`` a static key, or None."""
    path = item.path
    key = str(path[-1]) if path else ""
    parent = str(path[-2]) if len(path) >= 2 else ""
    if key == "if" or path[:3] == ("on", "workflow_call", "secrets"):
        return None
    # (name to match, as shown): secrets.NAME, and secrets[format('NAME_{0}', ...)]
    names = [(n, f"secrets.{n}") for n in secret_refs(item.value)] + [
        (_PLACEHOLDER.sub("X", t), f"secrets[format('{t}', …)]")
        for t in formatted_secrets(item.value)
    ]
    keyish = [shown for name, shown in names if KEY_NAME.search(name)]
    if names and parent == "env" and key.upper() in KEY_ENV:
        return f"env {key} comes from {names[0][1]}"
    if names and parent == "with" and key.lower() in KEY_INPUTS:
        return f"input {key} comes from {names[0][1]}"
    if keyish:
        kind = "a run script" if key == "run" else f"{parent or 'value'} {key}".strip()
        return f"{kind} uses {keyish[0]}"
    if ACCESS_KEY_ID.search(item.value):
        return f"{parent or 'value'} {key} is a literal access key id".strip()
    return None


def _scope(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The step, job or workflow a value belongs to: one finding for each."""
    if len(path) >= 4 and path[0] == "jobs" and path[2] == "steps":
        return path[:4]
    return path[:2] if len(path) >= 2 and path[0] == "jobs" else ()


def _s3_compatible(wf: Workflow, scope: tuple[str | int, ...]) -> bool:
    """Keys for S3-compatible storage that is not AWS (R2, Spaces ...): they cannot use OIDC."""
    job = wf.jobs.get(str(scope[1])) if scope else None
    step = next((s for s in job.steps if s.index == scope[3]), None) if job and scope[3:] else None
    env = {**wf.env, **(job.env if job else {}), **(step.env if step else {})}
    regions = [env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")]
    if any(auto_region(r) for r in [*regions, step.with_.get("aws-region") if step else None]):
        return True
    node = job.node if job else wf.node  # its source text: keys, values and comments
    return s3_compatible.hint([wf.text[node.start_mark.index : node.end_mark.index]]) is not None


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, _ in ctx.workflows():
        if not _CANDIDATE.search(loaded.text or ""):
            continue
        grouped: dict[tuple[str | int, ...], list[tuple[Scalar, str]]] = {}
        for item in scalars(wf.node, _CANDIDATE.search):
            what = _what(item)
            if what:
                grouped.setdefault(_scope(item.path), []).append((item, what))
        for scope, items in grouped.items():
            if _s3_compatible(wf, scope):
                continue
            first = items[0][0]
            whats = "; ".join(dict.fromkeys(what for _, what in items))
            several = "long-lived AWS keys" if len(items) > 1 else "a long-lived AWS key"
            yield INFO.at(
                loaded.source.display, first.line,
                f"{_where(wf, first.path)}: {whats}: {several}; assume a role with OIDC",
                column=first.column,
            )  # fmt: skip


EXAMPLE = Example(
    bad="""\
steps:
  - uses: aws-actions/configure-aws-credentials@v6
    with:
      aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
      aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
      aws-region: us-east-1
""",
    good="""\
permissions:
  id-token: write
  contents: read
steps:
  - uses: aws-actions/configure-aws-credentials@v6
    with:
      role-to-assume: arn:aws:iam::123456789012:role/deploy
      aws-region: us-east-1
""",
)
