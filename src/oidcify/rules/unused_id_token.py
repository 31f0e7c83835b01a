"""OC109: ``id-token: write`` granted to jobs that never ask for a token.

A workflow-level grant reaches every job without a ``permissions:`` block of its own: test,
lint and scan jobs, callers of reusable workflows (with ``secrets: inherit`` or not) and
third-party reusable workflows, each of which could then mint a token for any role that trusts
the repository. A job-level grant in a job that never uses it is reported too. A job uses the
token when a step assumes a role with configure-aws-credentials (not with keys: a file that
still uses keys needs no grant), uses a local action or an action known to exchange the token
(cloud logins, publishing with provenance, signing, Pages ...), names it in a script or input,
or calls a reusable workflow of this repository that does (``check/token_use``). A job-level
grant on a call of a third-party reusable workflow is taken as deliberate (that workflow may
need it).
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import Repo
from oidcify.check.token_use import job_uses_token
from oidcify.workflows.model import Job, Workflow
from oidcify.workflows.nodes import Node, get, get_pair

INFO = RuleInfo(
    id="OC109",
    name="unused-id-token",
    severity="warning",
    summary="id-token: write granted to jobs that never ask for a token",
    help="Every job that holds `id-token: write` can mint a token for any role that trusts "
    "the repository, and so can any action or script it runs. Grant it only in the jobs that "
    "assume a role: `permissions: {contents: read}` at the workflow level, and "
    "`permissions: {id-token: write, contents: read}` in the deploying job.",
)


def _line(owner: Node, fallback: int) -> int:
    """The line of ``id-token:`` in ``owner``'s permissions, else ``fallback``."""
    pair = get_pair(get(owner, "permissions"), "id-token")
    return pair[0].start_mark.line + 1 if pair else fallback


def _unused(repo: Repo, wf: Workflow, jobs: list[Job]) -> list[Job]:
    return [job for job in jobs if not job_uses_token(repo, wf, job)]


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, repo in ctx.workflows():
        path = loaded.source.display
        if wf.permissions is not None and wf.permissions.grants_id_token():
            inherit = [job for job in wf.jobs.values() if job.permissions is None]
            idle = _unused(repo, wf, inherit)
            if idle:
                names = ", ".join(job.id for job in idle)
                none = " (no job uses it)" if len(idle) == len(wf.jobs) else ""
                yield INFO.at(
                    path, _line(wf.node, wf.permissions.line),
                    f"the workflow grants id-token: write to every job{none}, but "
                    f"{'job' if len(idle) == 1 else 'jobs'} {names} never "
                    f"{'asks' if len(idle) == 1 else 'ask'} for a token: "
                    "grant it only in the jobs that assume a role",
                )  # fmt: skip
        for job in wf.jobs.values():
            perms = job.permissions
            if perms is None or not perms.grants_id_token():
                continue
            if job.uses is not None and job.uses.kind == "workflow":
                continue  # a third-party reusable workflow may need it
            if not job_uses_token(repo, wf, job):
                yield INFO.at(
                    path, _line(job.node, perms.line),
                    f"job {job.id} is granted id-token: write but never asks for a token",
                )  # fmt: skip


EXAMPLE = Example(
    bad="""\
permissions:
  id-token: write
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with: {role-to-assume: "arn:aws:iam::123456789012:role/deploy", aws-region: us-east-1}
""",
    good="""\
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
  deploy:
    runs-on: ubuntu-latest
    permissions: {id-token: write, contents: read}
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with: {role-to-assume: "arn:aws:iam::123456789012:role/deploy", aws-region: us-east-1}
""",
)
