"""OR002: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from secrets in a
workflow, job or step ``env:`` are removed; each job that used them gets credentials from a
configure-aws-credentials step before the first step that needed them (OR003, ``fix_insert``).

A step-level entry is needed by its own step; a job- or workflow-level entry by the job's first
step that is not known to be credential-free (checkout, caches, artifacts, setup actions). A
scope is changed all or nothing. Left alone: values that are not one secret (OS002/OS009),
keys for S3-compatible services that are not AWS (OS004), keys read back through
``${{ env.AWS_... }}`` (OS006), keys given to a configure-aws-credentials step through env
(OS004), and jobs that would need a configure step but have no region (OS007).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oidcify.retrofit.context import (
    KEY_ENV,
    FileContext,
    Need,
    classify,
    credential_free,
    is_cac,
    looks_like_key,
)
from oidcify.retrofit.patch import DataPath
from oidcify.workflows import s3_compatible
from oidcify.workflows.model import Job, Step, location_label
from oidcify.workflows.nodes import MappingNode, Node, ScalarNode, get, get_pair, pairs

_ENV_READ = re.compile(r"\benv\s*\.\s*(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)")


@dataclass
class Scope:
    level: str  # workflow, job, step
    owner: MappingNode  # the mapping that holds `env:`
    env: MappingNode
    path: DataPath  # data path of the owner
    line: int
    jobs: list[tuple[Job, int | None]]  # affected jobs and the index of the step needing keys
    step: Step | None = None


def _first_needing(job: Job) -> int | None:
    return next((s.index for s in job.steps if not credential_free(s)), None)


def _scopes(ctx: FileContext) -> list[Scope]:
    found = []
    wf = ctx.wf
    if isinstance(env := get(wf.node, "env"), MappingNode):
        jobs = [(j, _first_needing(j)) for j in wf.jobs.values() if j.uses is None]
        found.append(Scope("workflow", wf.node, env, (), env.start_mark.line + 1, jobs))
    for job in wf.jobs.values():
        if isinstance(env := get(job.node, "env"), MappingNode):
            found.append(
                Scope(
                    "job",
                    job.node,
                    env,
                    ctx.job_path(job),
                    env.start_mark.line + 1,
                    [(job, _first_needing(job))],
                )
            )
        for step in job.steps:
            if isinstance(env := get(step.node, "env"), MappingNode):
                found.append(
                    Scope(
                        "step",
                        step.node,
                        env,
                        ctx.step_path(job, step),
                        step.line,
                        [(job, step.index)],
                        step,
                    )
                )
    return [s for s in found if any(get_pair(s.env, k) for k in KEY_ENV)]


def _texts(node: Node | None) -> list[str]:
    """Every scalar string under a node (for looking for uses of the keys)."""
    if isinstance(node, ScalarNode):
        return [str(node.value)]
    if isinstance(node, MappingNode):
        return [t for k, v in pairs(node) for t in _texts(k) + _texts(v)]
    return [t for item in getattr(node, "value", []) or [] for t in _texts(item)]


def _refusal(ctx: FileContext, scope: Scope) -> tuple[str, str] | None:
    """Why this scope must be left alone, as (skip code, reason); None when it can change."""
    for name in KEY_ENV:
        pair = get_pair(scope.env, name)
        if pair is None:
            continue
        kind, detail = classify(str(pair[1].value))
        if kind == "literal":
            if looks_like_key(str(pair[1].value)):
                ctx.warn("OW006", pair[0].start_mark.line + 1, f"{name} is written in the file")
            return "OS002", f"{name} is a literal, not a secret"
        if kind != "secret":
            return ("OS002" if kind == "runtime" else "OS009"), f"{name} comes from {detail}"
    if scope.step is not None and is_cac(scope.step):
        return "OS004", "keys given to configure-aws-credentials through env"
    texts = _texts(scope.env) + [t for job, _ in scope.jobs for t in _texts(job.node)]
    hint = s3_compatible.hint(texts)
    if hint:
        return "OS004", f"keys for an S3-compatible service that is not AWS ({hint.strip()})"
    read = next((m.group(0) for t in texts if (m := _ENV_READ.search(t))), None)
    if read:
        return "OS006", f"the keys are read back as {read}"
    return None


def plan(ctx: FileContext) -> None:
    for scope in _scopes(ctx):
        job_id = scope.jobs[0][0].id if scope.level != "workflow" else None
        where = location_label(job_id, scope.step)
        refusal = _refusal(ctx, scope)
        if refusal is None:
            refusal = _need_regions(ctx, scope)
        if refusal:
            ctx.skip(
                refusal[0],
                scope.line,
                f"{where} env: {refusal[1]}",
                job_id,
                path=(*scope.path, "env"),
            )
            continue
        _remove(ctx, scope, where, job_id)


def _need_regions(ctx: FileContext, scope: Scope) -> tuple[str, str] | None:
    for job, index in scope.jobs:
        if index is None or any(i < index for i in ctx.role_steps.get(job.id, ())):
            continue
        if ctx.region_for(job, index) is None:
            return "OS007", f"job {job.id} has no AWS_REGION or AWS_DEFAULT_REGION and no --region"
    return None


def _remove(ctx: FileContext, scope: Scope, where: str, job_id: str | None) -> None:
    names = [k for k in KEY_ENV if get_pair(scope.env, k)]
    env_path = (*scope.path, "env")
    if len(names) == len(scope.env.value):
        env_pair = get_pair(scope.owner, "env")
        assert env_pair is not None
        ctx.patch.delete_pair(scope.owner, env_pair[0], scope.path)
    else:
        for name in names:
            pair = get_pair(scope.env, name)
            assert pair is not None
            ctx.patch.delete_pair(scope.env, pair[0], env_path)
    key_id = None
    for name in names:
        ctx.handled.add((*env_path, name))
        secret = classify(str(get_pair(scope.env, name)[1].value))[1]  # type: ignore[index]
        ctx.key_secrets.add(secret.upper())
        if name == "AWS_ACCESS_KEY_ID":
            ctx.access_key_ids.add(secret.upper())
            key_id = secret
    for job, index in scope.jobs:
        if index is not None:
            ctx.add_need(job, Need(index, ctx.region_for(job, index), key_id))
    ctx.fix("OR002", scope.line, f"{where} env: removed {', '.join(names)}", job_id)
