"""OC111: a job that runs a pull request's code with AWS access, on a trigger that gives it.

``pull_request_target`` and ``workflow_run`` run in the base repository's context, with its
secrets and a token that may have ``id-token: write``, for pull requests from anyone's fork. A
job there that checks out the pull request's code (``ref: ${{ github.event.pull_request.head.sha
}}``, ``github.head_ref``, ``github.event.workflow_run.head_sha``, ``refs/pull/...``, ``gh pr
checkout``) and then runs anything from it (a later ``run:`` step or local action: build
scripts, package installs, tests) hands that code the job's AWS access: its keys from secrets,
or a token it can exchange for the role. The "pwn request".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import Repo, is_action
from oidcify.check.token_use import has_static_keys
from oidcify.workflows.model import Job, Step, Workflow

INFO = RuleInfo(
    id="OC111",
    name="untrusted-code-with-aws",
    severity="error",
    summary="pull request code runs with AWS access (pull_request_target, workflow_run)",
    help="Anyone who opens a pull request can change the code this job checks out and runs, "
    "and so use its AWS keys or mint a token for its role. Build and test pull requests on "
    "`pull_request` (no secrets, no token for forks); keep AWS access in a separate job or "
    "workflow that never checks out the pull request's head.",
)
_EVENTS = ("pull_request_target", "workflow_run")
_HEAD = re.compile(
    r"github\.event\.pull_request\.head|github\.head_ref|github\.event\.workflow_run\.head_"
    r"|refs/pull/|github\.event\.pull_request\.merge_commit_sha|github\.event\.number",
)
_SHELL_CHECKOUT = re.compile(r"gh\s+pr\s+checkout|git\s+(?:fetch|pull)\b[^\n]*\bpull/")


def _pr_checkout(step: Step) -> bool:
    if is_action(step, "actions/checkout"):
        return any(_HEAD.search(step.with_.get(k, "")) for k in ("ref", "repository"))
    return bool(step.run and _SHELL_CHECKOUT.search(step.run))


def _runs_code(step: Step) -> bool:
    return bool(step.run) or (step.uses is not None and step.uses.kind == "local")


def _aws_access(repo: Repo, wf: Workflow, job: Job) -> str | None:
    perms = wf.effective_permissions(job)
    if repo.job_mints(wf, job):
        return "assumes an AWS role with OIDC"
    if perms is not None and perms.grants_id_token():
        return "holds id-token: write"
    if has_static_keys(wf, job):
        return "has AWS keys from secrets"
    return None


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, repo in ctx.workflows():
        events = [e for e in _EVENTS if e in wf.triggers]
        if not events:
            continue
        for job in wf.jobs.values():
            checkout = next((s for s in job.steps if _pr_checkout(s)), None)
            if checkout is None:
                continue
            after = [s for s in job.steps if s.index > checkout.index and _runs_code(s)]
            access = _aws_access(repo, wf, job) if after else None
            if access is None:
                continue
            yield INFO.at(
                loaded.source.display, checkout.line,
                f"job {job.id} runs on {' and '.join(events)}, {access}, and checks out the pull "
                f"request's code (step {checkout.label!r}) and runs it (step {after[0].label!r}): "
                "anyone's pull request gets the job's AWS access",
                column=checkout.column,
            )  # fmt: skip


EXAMPLE = Example(
    bad="""\
on: pull_request_target
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm run build
      - run: aws s3 sync build s3://previews/${{ github.event.number }}
        env:
          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
""",
    good="""\
on: pull_request  # build the pull request without secrets or a token
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm run build
      - uses: actions/upload-artifact@v4
        with: {name: site, path: build}
# a workflow_run workflow downloads the artifact and uploads it, never running its code
""",
)
