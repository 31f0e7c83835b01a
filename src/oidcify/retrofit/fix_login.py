"""OR006: docker/login-action against ECR with the key secrets as username and password.

With a configure-aws-credentials step before it, login-action logs in to ECR with the OIDC
credentials, so username and password go; a configure step is inserted when none precedes
(OR003). The region for that step comes from the registry host (``public.ecr.aws`` is
us-east-1).
"""

from __future__ import annotations

import re

from oidcify.retrofit.context import FileContext, Need, classify
from oidcify.retrofit.patch import Value, plain
from oidcify.workflows.model import Job, Step, location_label
from oidcify.workflows.nodes import MappingNode, get, get_pair

LOGIN = "docker/login-action"
_PRIVATE = re.compile(r".+\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/?")
_PUBLIC = re.compile(r"public\.ecr\.aws(?:/.*)?")


def ecr_region(registry: str) -> tuple[bool, Value | None]:
    """Whether ``registry`` is ECR, and its region when the host names one literally."""
    registry = registry.strip()
    if _PUBLIC.fullmatch(registry):
        return True, plain("us-east-1")
    match = _PRIVATE.fullmatch(registry)
    if not match:
        return False, None
    region = match.group(1)
    return True, plain(region) if "$" not in region else None


def plan(ctx: FileContext) -> None:
    for job in ctx.wf.jobs.values():
        for step in job.steps:
            if step.uses and step.uses.kind == "action" and step.uses.action == LOGIN:
                _plan_step(ctx, job, step)


def _plan_step(ctx: FileContext, job: Job, step: Step) -> None:
    is_ecr, region = ecr_region(step.with_.get("registry", ""))
    creds = {k: step.with_[k] for k in ("username", "password") if k in step.with_}
    if not is_ecr or not creds:
        return
    kinds = {k: classify(v) for k, v in creds.items()}
    if any(kind != "secret" for kind, _ in kinds.values()) or len(creds) < 2:
        return  # e.g. username AWS with a password from `aws ecr get-login-password`
    where = location_label(job.id, step)
    ctx.key_secrets.update(name.upper() for _, name in kinds.values())
    ctx.access_key_ids.add(kinds["username"][1].upper())
    region = region or ctx.region_for(job, step.index)
    preceded = any(i < step.index for i in ctx.role_steps.get(job.id, ()))
    if region is None and not preceded:
        ctx.skip_step("OS007", job, step, "no region for a configure step")
        return
    with_node = get(step.node, "with")
    assert isinstance(with_node, MappingNode)
    path = (*ctx.step_path(job, step), "with")
    for name in ("username", "password"):
        pair = get_pair(with_node, name)
        assert pair is not None
        ctx.patch.delete_pair(with_node, pair[0], path)
        ctx.handled.add((*path, name))
    ctx.add_need(job, Need(step.index, region, kinds["username"][1]))
    ctx.fix("OR006", step.line, f"{where}: username/password dropped; ECR login uses OIDC", job.id)
