"""OC103: a job that assumes a role with OIDC runs for pull requests from forks.

On ``pull_request`` a fork's run gets no OIDC token (nor secrets), so the job fails for every
outside contributor. On ``pull_request_target`` it does get one, in the base repository's
context and with its secrets, while the pull request's code is one checkout away: the classic
"pwn request". A job (or its configure step) whose ``if:`` is false for fork pull requests, such
as ``github.event.pull_request.head.repo.full_name == github.repository``, or only for refs a
pull request is not on (``github.ref == 'refs/heads/main'``), is not reported: the runs are
``oidcify.workflows.runs``.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import minting_steps
from oidcify.workflows.model import Job, Workflow

INFO = RuleInfo(
    id="OC103",
    name="fork-pr-token",
    severity="error",
    summary="OIDC token minted in a job that fork pull requests can trigger",
    help="pull_request_target runs with the base repository's token and secrets for any fork's "
    "pull request: never assume an AWS role there; deploy from push or workflow_run instead. "
    "On pull_request, forks get no token and the job fails: skip the job for forks with "
    "`if: github.event.pull_request.head.repo.full_name == github.repository`.",
)
_MESSAGES = {
    "pull_request_target": (
        "error",
        "runs on pull_request_target: a fork's pull request gets a token for this role, in "
        "the base repository's context; never assume AWS roles next to pull request code",
    ),
    "pull_request": (
        "warning",
        "runs on pull_request: runs from forks get no OIDC token and fail; skip them with "
        "`if: github.event.pull_request.head.repo.full_name == github.repository`",
    ),
}


def _condition(wf: Workflow, job: Job) -> str | None:
    steps = minting_steps(wf, job)
    return steps[0].if_ if steps and all(s.if_ for s in steps) else None


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, repo in ctx.workflows():
        events = [event for event in _MESSAGES if event in wf.triggers]
        if not events:
            continue
        for job in wf.jobs.values():
            if not repo.job_mints(wf, job):
                continue
            # The run model loads only for a minting job that pull requests run.
            from oidcify.workflows.ifexpr import may_run
            from oidcify.workflows.runs import trigger_runs

            condition = _condition(wf, job)
            forks = {
                run.event
                for run in trigger_runs(wf, job, repository=repo.name)
                if run.fork and may_run(condition, run.facts(repo.name))
            }
            for event in events:
                if event not in forks:
                    continue
                severity, text = _MESSAGES[event]
                yield INFO.at(
                    loaded.source.display, job.line,
                    f"job {job.id} assumes an AWS role with OIDC and {text}",
                    severity="error" if severity == "error" else "warning",
                )  # fmt: skip


EXAMPLE = Example(
    bad="""\
on: pull_request_target
jobs:
  plan:
    runs-on: ubuntu-latest
    permissions: {id-token: write, contents: read}
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with: {role-to-assume: "arn:aws:iam::123456789012:role/plan", aws-region: us-east-1}
""",
    good="""\
on: pull_request
jobs:
  plan:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions: {id-token: write, contents: read}
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with: {role-to-assume: "arn:aws:iam::123456789012:role/plan", aws-region: us-east-1}
""",
)
