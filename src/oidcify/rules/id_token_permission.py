"""OC101: a job assumes a role with OIDC but its token cannot have ``id-token: write``.

configure-aws-credentials then finds no ``ACTIONS_ID_TOKEN_REQUEST_TOKEN`` and fails with
"Credentials could not be loaded". Permissions follow GitHub's rules (``workflows.permissions``):
a job-level block replaces the workflow's; with neither, the repository default applies, which
never includes ``id-token``; ``read-all`` excludes it, ``write-all`` includes it. A reusable
workflow with no block of its own inherits its caller's token, so the finding is on the caller
in this repository that does not grant it; one called only from elsewhere is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import Repo, minting_steps
from oidcify.workflows.model import Job, Workflow
from oidcify.workflows.permissions import Permissions

INFO = RuleInfo(
    id="OC101",
    name="id-token-permission",
    severity="error",
    summary="job assumes a role with OIDC without an effective id-token: write",
    help="Grant the token in the job (or the workflow): `permissions: {id-token: write, "
    "contents: read}`. A job-level `permissions:` replaces the workflow-level one, so add "
    "id-token there too; `read-all` does not include it. A job that calls a reusable workflow "
    "which assumes a role must grant it, because a called workflow can only narrow its "
    "caller's token.",
)


def lacks(perms: Permissions | None, wf: Workflow, job: Job) -> str | None:
    """Why the job's token has no ``id-token: write``, or None when it has (or may have) it."""
    if perms is not None and (perms.grants_id_token() or perms.kind == "invalid"):
        return None
    if perms is None:
        return "no permissions block: the repository's default token never has id-token: write"
    if perms.kind == "read-all":
        return f"permissions: read-all (line {perms.line}) does not include id-token"
    if job.permissions is None:
        return f"the workflow's permissions (line {perms.line}) do not grant it"
    if wf.permissions is not None and wf.permissions.grants_id_token():
        return (f"the job's permissions (line {perms.line}) replace the workflow's, which "
                "granted it")  # fmt: skip
    return f"the job's permissions (line {perms.line}) do not grant it"


def _why_no_id_token(wf: Workflow, job: Job) -> str | None:
    """Why the job's token lacks ``id-token: write``; None when it has it, or when a reusable
    workflow with no permissions of its own inherits its caller's token (judged there)."""
    perms = wf.effective_permissions(job)
    if perms is None and wf.is_reusable and set(wf.triggers) == {"workflow_call"}:
        return None
    return lacks(perms, wf, job)


def _direct(path: str, wf: Workflow, job: Job) -> Finding | None:
    steps = minting_steps(wf, job)
    why = _why_no_id_token(wf, job) if steps else None
    if why is None:
        return None
    return INFO.at(
        path, job.line,
        f"job {job.id} assumes a role with OIDC (step {steps[0].label!r}, line {steps[0].line}) "
        f"but its token lacks id-token: write: {why}",
    )  # fmt: skip


def _caller(path: str, wf: Workflow, job: Job, repo: Repo) -> Finding | None:
    callee = repo.callee(job)
    if callee is None or not repo.job_mints(wf, job):
        return None
    why = _why_no_id_token(wf, job)
    if why is None:
        return None
    return INFO.at(
        path, job.line,
        f"job {job.id} calls {callee.path}, which assumes a role with OIDC, but its token "
        f"lacks id-token: write: {why}",
    )  # fmt: skip


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, repo in ctx.workflows():
        for job in wf.jobs.values():
            found = _direct(loaded.source.display, wf, job) or _caller(
                loaded.source.display, wf, job, repo
            )
            if found:
                yield found


EXAMPLE = Example(
    bad="""\
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: us-east-1
""",
    good="""\
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
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
