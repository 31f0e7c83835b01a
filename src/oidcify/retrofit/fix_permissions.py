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
from oidcify.workflows import callers
from oidcify.workflows.actions import line_comment
from oidcify.workflows.model import Job
from oidcify.workflows.nodes import MappingNode, ScalarNode, get, get_pair, pairs
from oidcify.workflows.permissions import LEVELS, SCOPES, Permissions

# The comment documents why the job may mint a token (zizmor's undocumented-permissions).
WHY = "OIDC for aws-actions/configure-aws-credentials"
ID_TOKEN: Entries = [("id-token", Value("write", "write", WHY))]


def _read_all() -> Entries:
    return [(s, plain("read")) for s in SCOPES if s != "id-token"] + ID_TOKEN


def _copy(ctx: FileContext, perms: Permissions, missing: dict[str, str]) -> Entries:
    """The workflow's scopes for a job's own block, each with its comment, raised to what is
    ``missing``."""
    if perms.kind == "read-all":
        return _raised(_read_all(), missing)
    entries: Entries = []
    for key, value in pairs(get(ctx.wf.node, "permissions")):
        if isinstance(value, ScalarNode):
            comment = line_comment(ctx.text.s, int(value.end_mark.index)).lstrip("# ")
            entries.append((str(key.value), Value(str(value.value), str(value.value), comment)))
    return _raised(entries, missing)


def _raised(entries: Entries, missing: dict[str, str]) -> Entries:
    """``entries`` with the ``missing`` scopes at their new levels, last."""
    kept = [(s, v) for s, v in entries if s not in missing]
    return kept + [(s, _value(s, v)) for s, v in missing.items()]


def _levels(perms: Permissions | None) -> dict[str, str]:
    """What a block grants, scope by scope (nothing for the repository default or invalid)."""
    if perms is None or perms.kind == "invalid":
        return {}
    if perms.kind == "map":
        return {s: v for s, v in perms.scopes.items() if v in LEVELS and v != "none"}
    return {s: perms.level(s) for s in SCOPES if perms.level(s) != "none"}


def _higher(a: str, b: str) -> str:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def _missing(effective: Permissions | None, wanted: dict[str, str]) -> dict[str, str]:
    if effective is None:
        return dict(wanted)
    return {
        scope: level
        for scope, level in wanted.items()
        if LEVELS.index(effective.level(scope)) < LEVELS.index(level)
    }


def _callers(ctx: FileContext) -> dict[str, dict[str, str]]:
    """Jobs calling a reusable workflow of this repository that now mints a token, with what
    that workflow's jobs ask of the token (the calling job must grant all of it)."""
    found = {}
    for job in ctx.wf.jobs.values():
        target = callers.own_target(job, ctx.options.repository)
        if target is not None and target in ctx.facts.callee_mints:
            ctx.minting.setdefault(job.id, job.line)  # its own callers need the grant too
            found[job.id] = dict(ctx.facts.callee_scopes.get(target, ()))
    return found


def plan(ctx: FileContext) -> None:
    wf = ctx.wf
    callers = _callers(ctx)
    after = {job.id: _levels(wf.effective_permissions(job)) for job in wf.jobs.values()}
    for job_id in dict(ctx.minting):
        job = wf.jobs[job_id]
        wanted = {**callers.get(job_id, {}), "id-token": "write"}
        effective = wf.effective_permissions(job)
        missing = _missing(effective, wanted)
        if not missing:
            continue
        after[job_id] = after[job_id] | missing
        if job.permissions is not None:
            _grant(ctx, job, missing, called=job_id in callers)
        elif wf.permissions is None:
            block = {"contents": "read", **wanted}
            after[job_id] = block
            _add_block(ctx, job, [(s, _value(s, v)) for s, v in block.items()])
            _narrowed(ctx, job, block)
        elif wf.permissions.kind == "invalid":
            ctx.warn(
                "OW008",
                job.line,
                f"job {job.id}: workflow permissions are not valid; add id-token: write by hand",
                job.id,
            )
        else:
            _add_block(ctx, job, _copy(ctx, wf.permissions, missing))
            ctx.fix(
                "OR004",
                job.line,
                f"job {job.id}: own permissions block (the workflow's scopes plus "
                f"{_shown(missing)})",
                job.id,
            )
    if wf.is_reusable:
        for levels in after.values():
            for scope, level in levels.items():
                ctx.requested[scope] = _higher(level, ctx.requested.get(scope, "none"))


def _value(scope: str, level: str) -> Value:
    return ID_TOKEN[0][1] if (scope, level) == ("id-token", "write") else plain(level)  # type: ignore[return-value]


def _shown(scopes: dict[str, str]) -> str:
    return ", ".join(f"{s}: {v}" for s, v in scopes.items())


def _grant(ctx: FileContext, job: Job, missing: dict[str, str], *, called: bool) -> None:
    """Make the job's own ``permissions:`` value grant what is ``missing``."""
    pair = get_pair(job.node, "permissions")
    assert pair is not None
    key, value = pair
    path = (*ctx.job_path(job), "permissions")
    line = key.start_mark.line + 1
    why = " (what the called workflow's jobs ask for)" if called and len(missing) > 1 else ""
    if isinstance(value, MappingNode):
        added: Entries = []
        for scope, level in missing.items():
            current = get(value, scope)
            if current is not None:
                ctx.patch.set_scalar(current, plain(level), (*path, scope))
            else:
                added.append((scope, _value(scope, level)))
        if added:
            ctx.patch.add_pairs(value, added, path, unit=ctx.unit(job))
        ctx.fix("OR004", line, f"job {job.id}: {_shown(missing)} added to permissions{why}", job.id)
    elif isinstance(value, ScalarNode) and value.value == "read-all":
        entries = _raised(_read_all(), missing)
        ctx.patch.scalar_to_block(key, value, entries, path=path, unit=ctx.unit(job))
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


def _narrowed(ctx: FileContext, job: Job, block: dict[str, str]) -> None:
    token_users = [
        s.label
        for s in job.steps
        if any(
            "github.token" in v or "GITHUB_TOKEN" in v
            for v in (*s.with_.values(), *s.env.values(), s.run or "")
        )
    ]
    ctx.fix("OR004", job.line, f"job {job.id}: permissions block added ({_shown(block)})", job.id)
    detail = f"; steps using GITHUB_TOKEN: {', '.join(token_users)}" if token_users else ""
    if ctx.wf.is_reusable and set(ctx.wf.triggers) == {"workflow_call"}:
        before = "had what the calling job grants"
        after = f"now asks for {_shown(block)}, which every caller must grant"
    else:
        before = "had the repository's default permissions"
        after = f"now has only {_shown(block)}"
    ctx.warn("OW003", job.line, f"job {job.id}: its token {before} and {after}{detail}", job.id)
