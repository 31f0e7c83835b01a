"""OR004: ``id-token: write`` made effective for every job that now mints a token, including
jobs in this repository that call a reusable workflow that now mints one.

- The job has its own ``permissions:`` mapping: ``id-token: write`` is added to it (or an
  ``id-token: none`` value becomes ``write``); ``read-all`` becomes the equivalent block plus
  ``id-token: write``; ``write-all`` already grants it.
- The job inherits the workflow's block: the job gets its own copy of the workflow's scopes
  (with their comments) plus ``id-token: write``. The workflow level is never widened: every
  other job keeps exactly what it had, and ``id-token: write`` at the workflow level is what
  zizmor calls excessive.
- No block anywhere: the token has the repository default, and a job-level block must narrow
  it. The safe minimum is ``contents: read`` (checkout keeps working in private repositories)
  plus ``id-token: write``; reported as OW003 naming the steps that use GITHUB_TOKEN.
"""

from __future__ import annotations

from oidcify.retrofit.context import FileContext
from oidcify.retrofit.layout import CannotEdit
from oidcify.retrofit.patch import Entries, Value, plain
from oidcify.workflows.actions import line_comment
from oidcify.workflows.model import Job
from oidcify.workflows.nodes import MappingNode, ScalarNode, get, get_pair, pairs
from oidcify.workflows.permissions import SCOPES, Permissions

# The comment documents why the job may mint a token (zizmor's undocumented-permissions).
WHY = "OIDC for aws-actions/configure-aws-credentials"
ID_TOKEN: Entries = [("id-token", Value("write", "write", WHY))]


def _read_all() -> Entries:
    return [(s, plain("read")) for s in SCOPES if s != "id-token"] + ID_TOKEN


def _copy(ctx: FileContext, perms: Permissions) -> Entries:
    """The workflow's scopes for a job's own block, each with its comment."""
    if perms.kind == "read-all":
        return _read_all()
    entries: Entries = []
    for key, value in pairs(get(ctx.wf.node, "permissions")):
        if isinstance(value, ScalarNode) and key.value != "id-token":
            comment = line_comment(ctx.text.s, int(value.end_mark.index)).lstrip("# ")
            entries.append((str(key.value), Value(str(value.value), str(value.value), comment)))
    return entries + ID_TOKEN


def plan(ctx: FileContext) -> None:
    wf = ctx.wf
    need = dict(ctx.minting)
    for job in wf.jobs.values():
        if (
            job.uses
            and job.uses.kind == "local-workflow"
            and job.uses.path in ctx.facts.callee_mints
        ):
            need.setdefault(job.id, job.line)
            ctx.minting.setdefault(job.id, job.line)  # its own callers need the grant too
    for job_id in need:
        job = wf.jobs[job_id]
        effective = wf.effective_permissions(job)
        if effective is not None and effective.grants_id_token():
            continue
        if job.permissions is not None:
            _grant(ctx, job)
        elif wf.permissions is None:
            _add_block(ctx, job, [("contents", plain("read")), *ID_TOKEN])
            _narrowed(ctx, job)
        elif wf.permissions.kind == "invalid":
            ctx.warn(
                "OW008",
                job.line,
                f"job {job.id}: workflow permissions are not valid; add id-token: write by hand",
                job.id,
            )
        else:
            _add_block(ctx, job, _copy(ctx, wf.permissions))
            ctx.fix(
                "OR004",
                job.line,
                f"job {job.id}: own permissions block (the workflow's scopes plus id-token: write)",
                job.id,
            )


def _grant(ctx: FileContext, job: Job) -> None:
    """Make the job's own ``permissions:`` value grant ``id-token: write``."""
    pair = get_pair(job.node, "permissions")
    assert pair is not None
    key, value = pair
    path = (*ctx.job_path(job), "permissions")
    line = key.start_mark.line + 1
    if isinstance(value, MappingNode):
        current = get(value, "id-token")
        if current is not None:
            ctx.patch.set_scalar(current, plain("write"), (*path, "id-token"))
        else:
            ctx.patch.add_pairs(value, ID_TOKEN, path, unit=ctx.unit(job))
        ctx.fix("OR004", line, f"job {job.id}: id-token: write added to permissions", job.id)
    elif isinstance(value, ScalarNode) and value.value == "read-all":
        ctx.patch.scalar_to_block(key, value, _read_all(), path=path, unit=ctx.unit(job))
        ctx.fix("OR004", line, f"job {job.id}: read-all spelled out with id-token: write", job.id)
    elif isinstance(value, ScalarNode) and value.value == "":
        raise CannotEdit(f"line {line}: empty permissions value")
    else:
        ctx.warn(
            "OW008",
            line,
            f"job {job.id}: permissions are not a mapping or "
            "read-all/write-all; add id-token: write by hand",
            job.id,
        )


def _add_block(ctx: FileContext, job: Job, entries: Entries) -> None:
    steps = get_pair(job.node, "steps")
    path = ctx.job_path(job)
    if steps is not None:
        ctx.patch.add_block_before(
            job.node, steps[0], "permissions", entries, path=path, unit=ctx.unit(job)
        )
    else:
        ctx.patch.add_pairs(job.node, [("permissions", entries)], path, unit=ctx.unit(job))


def _narrowed(ctx: FileContext, job: Job) -> None:
    token_users = [
        s.label
        for s in job.steps
        if any(
            "github.token" in v or "GITHUB_TOKEN" in v
            for v in (*s.with_.values(), *s.env.values(), s.run or "")
        )
    ]
    ctx.fix(
        "OR004",
        job.line,
        f"job {job.id}: permissions block added (contents: read, id-token: write)",
        job.id,
    )
    detail = f"; steps using GITHUB_TOKEN: {', '.join(token_users)}" if token_users else ""
    ctx.warn(
        "OW003",
        job.line,
        f"job {job.id}: its token had the repository's default "
        f"permissions and now has only contents: read and id-token: write{detail}",
        job.id,
    )
