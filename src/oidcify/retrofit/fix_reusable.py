"""OR005: reusable workflows and their callers in the same repository.

A ``workflow_call`` workflow whose AWS key secrets are no longer used drops them from
``on.workflow_call.secrets``; each caller in the repository drops them from its ``secrets:``
(``secrets: inherit`` is left alone). A caller forwarding key secrets to a workflow outside the
repository, or to one that still needs them, is left alone (OS008). The engine repeats the plan
until no file drops anything new, so chains of reusable workflows settle.
"""

from __future__ import annotations

from oidcify.retrofit.context import FileContext
from oidcify.retrofit.layout import is_flow
from oidcify.retrofit.patch import Op
from oidcify.retrofit.refs import is_key_name, secret_uses, under
from oidcify.workflows import callers
from oidcify.workflows.model import Job
from oidcify.workflows.nodes import NULL_TAG, MappingNode, get, get_pair

DECLARED = ("on", "workflow_call", "secrets")


def plan(ctx: FileContext) -> None:
    for job in ctx.wf.jobs.values():
        if job.uses is not None and isinstance(get(job.node, "secrets"), MappingNode):
            _caller(ctx, job)
    if ctx.wf.is_reusable:
        _declarations(ctx)


def _caller(ctx: FileContext, job: Job) -> None:
    assert job.uses is not None
    secrets = get(job.node, "secrets")
    assert isinstance(secrets, MappingNode)
    target = callers.own_target(job, ctx.options.repository)
    dropped = ctx.facts.callee_dropped.get(target, frozenset()) if target else frozenset()
    path = (*ctx.job_path(job), "secrets")
    drop = [k for k, _ in secrets.value if str(k.value).upper() in dropped]
    if not drop:
        return
    if len(drop) == len(secrets.value):
        pair = get_pair(job.node, "secrets")
        assert pair is not None
        ctx.patch.delete_pair(job.node, pair[0], ctx.job_path(job))
    else:
        for key in drop:
            ctx.patch.delete_pair(secrets, key, path)
    ctx.handled.update((*path, str(k.value)) for k in drop)
    names = ", ".join(str(k.value) for k in drop)
    ctx.fix("OR005", job.line, f"job {job.id}: no longer passes {names} to {target}", job.id)


def _declarations(ctx: FileContext) -> None:
    declared = get(get(get(ctx.wf.node, "on"), "workflow_call"), "secrets")
    if not isinstance(declared, MappingNode):
        return
    uses = [u for u in secret_uses(ctx.wf.node) if not under(u.path, {DECLARED})]
    used_before = {name for use in uses for name in use.names}
    still_used = {name for use in uses if use.path not in ctx.handled for name in use.names}
    # Only what this change made unused: a declaration nobody used is the callers' business.
    drop = [
        k
        for k, _ in declared.value
        if is_key_name(str(k.value), ctx.key_secrets)
        and str(k.value).upper() in used_before - still_used
    ]
    if not drop:
        return
    if len(drop) == len(declared.value):
        owner = get(get(ctx.wf.node, "on"), "workflow_call")
        assert isinstance(owner, MappingNode)
        pair = get_pair(owner, "secrets")
        assert pair is not None
        ctx.patch.delete_pair(owner, pair[0], DECLARED[:2])
        inputs_added = any(op.path[:3] == (*DECLARED[:2], "inputs") for op in ctx.patch.ops)
        if len(owner.value) == 1 and not is_flow(owner) and not inputs_added:
            # `workflow_call:` alone, as valid as before: its value is now null, not {}
            ctx.patch.ops.append(Op("set", DECLARED[:2], (NULL_TAG, "")))
    else:
        for key in drop:
            ctx.patch.delete_pair(declared, key, DECLARED)
    ctx.dropped_declared.update(str(k.value).upper() for k in drop)
    names = ", ".join(str(k.value) for k in drop)
    ctx.fix("OR005", drop[0].start_mark.line + 1, f"on.workflow_call.secrets: dropped {names}")
    ctx.warn(
        "OW004",
        drop[0].start_mark.line + 1,
        f"callers in other repositories must stop passing {names}",
    )
