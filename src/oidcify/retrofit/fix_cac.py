"""OR001, OR007, OR008: configure-aws-credentials steps that take static keys from secrets.

The key inputs are replaced by ``role-to-assume`` on the line of the first one (its comment
stays), ``aws-region`` is kept or added from env / ``--region``, and the step keeps every other
input. Left alone, with the reason: keys that are not plain secrets (OS002/OS009), a step that
also assumes a role (OS003, unless ``--role-chaining``), a key step that is the ``if:``
alternative of an OIDC step in the same job (OS005), and a job with no region (OS007).
"""

from __future__ import annotations

from oidcify.retrofit.context import (
    KEY_INPUTS,
    FileContext,
    Need,
    classify,
    is_cac,
    looks_like_key,
)
from oidcify.retrofit.patch import Entries, Value, copied, plain
from oidcify.workflows.model import Job, Step, location_label
from oidcify.workflows.nodes import MappingNode, Node, ScalarNode, get, get_pair

OIDC_SINCE = (1, 6)  # first configure-aws-credentials release that reads GitHub's OIDC token
CHAINING_SINCE = (2, 1)  # first release with the role-chaining input
TRUE = Value("true", ("tag:yaml.org,2002:bool", "true"))


NODE16_SINCE = (1, 7)  # v1.7.0 moved from node12 to node16


def too_old(step: Step) -> bool:
    """A v1 release on node12, which current runners no longer run (actionlint: "too old")."""
    ref = step.uses
    if ref is None or ref.version is None or "node16" in ref.raw:
        return False
    version = ref.version
    return version[0] == 1 and (len(version) == 1 or version < NODE16_SINCE)


def supports(version: tuple[int, ...] | None, since: tuple[int, ...]) -> bool:
    """Whether a ref gets a feature; ``v1`` means the newest v1, so majors compare alone."""
    if version is None:
        return True  # unknown (a bare SHA): assume current rather than rewrite blindly
    if len(version) == 1:
        return version[0] >= since[0]
    return version >= since


def upgrade(ctx: FileContext, job: Job, step: Step, *, why: str) -> None:
    """OR007: point ``uses:`` at the pinned release, with its version comment."""
    if (job.id, step.index) in ctx.upgraded or step.uses is None:
        return
    node = get(step.node, "uses")
    assert isinstance(node, ScalarNode)
    action, _, comment = ctx.pin.uses().partition(" # ")
    quote = node.style if node.style in ("'", '"') else ""
    ctx.patch.set_scalar(
        node, Value(f"{quote}{action}{quote}", action), (*ctx.step_path(job, step), "uses")
    )
    end = int(node.end_mark.index)
    line_end = ctx.text.line_end(end)
    rest = ctx.text.s[end:line_end].rstrip("\r\n")
    hash_at = rest.find("#")
    if hash_at >= 0 and not rest[:hash_at].strip():
        ctx.patch.edit(end + hash_at, end + len(rest), f"# {comment}")
    else:
        ctx.patch.edit(end, end, f" # {comment}")
    ctx.upgraded.add((job.id, step.index))
    old = step.uses.version
    ctx.fix(
        "OR007", step.line, f"job {job.id}: {step.uses.raw} -> {ctx.pin.version} ({why})", job.id
    )
    if old is not None and old[0] != int(ctx.pin.major.lstrip("v")):
        ctx.warn(
            "OW007",
            step.line,
            f"job {job.id}: configure-aws-credentials v{old[0]} -> "
            f"{ctx.pin.major}; review its changelog",
            job.id,
        )


def _oidc_steps(job: Job) -> list[Step]:
    return [
        s
        for s in job.steps
        if is_cac(s) and "role-to-assume" in s.with_ and not set(KEY_INPUTS) & set(s.with_)
    ]


def plan(ctx: FileContext) -> None:
    for job in ctx.wf.jobs.values():
        oidc = _oidc_steps(job)
        for step in oidc:
            if not step.if_:
                ctx.role_steps.setdefault(job.id, set()).add(step.index)
        for step in job.steps:
            if is_cac(step) and set(KEY_INPUTS) & set(step.with_):
                _plan_step(ctx, job, step, bool(oidc))
        if ctx.options.upgrade_actions:
            for step in job.steps:
                version = step.uses.version if is_cac(step) and step.uses else None
                if version is not None and version[0] < int(ctx.pin.major.lstrip("v")):
                    upgrade(ctx, job, step, why="--upgrade-actions")


def _plan_step(ctx: FileContext, job: Job, step: Step, has_oidc_step: bool) -> None:
    keys = {k: step.with_[k] for k in KEY_INPUTS if k in step.with_}
    for key, value in keys.items():
        kind, detail = classify(value)
        if kind == "literal":
            if looks_like_key(value):
                ctx.warn("OW006", step.line, f"job {job.id}: {key} is written in the file", job.id)
            ctx.skip_step("OS002", job, step, f"{key} is a literal, not a secret")
            return
        if kind != "secret":
            code = "OS002" if kind == "runtime" else "OS009"
            ctx.skip_step(code, job, step, f"{key} comes from {detail}")
            return
        ctx.key_secrets.add(detail.upper())
    if "role-to-assume" in step.with_:
        if ctx.options.role_chaining:
            _chain(ctx, job, step)
        else:
            ctx.skip_step(
                "OS003",
                job,
                step,
                "keys plus role-to-assume (role chaining); pass "
                "--role-chaining to replace the keys with an OIDC first hop",
            )
        return
    if step.if_ and has_oidc_step:
        ctx.skip_step(
            "OS005", job, step, f"the alternative (if: {step.if_}) of an OIDC step in the same job"
        )
        return
    region = None
    if "aws-region" not in step.with_:
        region = ctx.region_for(job, step.index)
        if region is None:
            ctx.skip_step("OS007", job, step, "no aws-region, AWS_REGION or --region")
            return
    _convert(ctx, job, step, region)


def _key_pairs(step: Step) -> tuple[MappingNode, list[tuple[Node, Node]]]:
    with_node = get(step.node, "with")
    assert isinstance(with_node, MappingNode)
    found = [p for k in KEY_INPUTS if (p := get_pair(with_node, k))]
    return with_node, sorted(found, key=lambda p: int(p[0].start_mark.index))


def _convert(ctx: FileContext, job: Job, step: Step, region: Value | None) -> None:
    with_node, key_pairs = _key_pairs(step)
    path = (*ctx.step_path(job, step), "with")
    first_key, first_value = key_pairs[0]
    key_id = classify(step.with_.get("aws-access-key-id", ""))
    secret = key_id[1] if key_id[0] == "secret" else None
    role = ctx.role_for(job, secret)
    ctx.patch.replace_pair(first_key, first_value, "role-to-assume", role, path=path)
    for key, _ in key_pairs[1:]:
        ctx.patch.delete_pair(with_node, key, path)
    added: Entries = [("aws-region", region)] if region is not None else []
    session = ctx.options.role_session_name
    if session and "role-session-name" not in step.with_:
        added.append(("role-session-name", plain(session)))
    if added:
        ctx.patch.add_pairs(with_node, added, path, after=first_key)
    ctx.handled.update((*path, str(k.value)) for k, _ in key_pairs)
    if secret:
        ctx.access_key_ids.add(secret.upper())
    names = ", ".join(sorted(str(k.value) for k, _ in key_pairs))
    ctx.fix(
        "OR001",
        step.line,
        f"{location_label(job.id, step)}: {names} -> role-to-assume"
        + (f", aws-region: {region.text}" if region else ""),
        job.id,
    )
    if not supports(step.uses.version if step.uses else None, OIDC_SINCE):
        upgrade(ctx, job, step, why="its version cannot use OIDC")
    elif too_old(step) and not ctx.options.keep_action_versions:
        upgrade(ctx, job, step, why="v1 runs on node12, too old for current runners")
    ctx.mint(job, step.index, unconditional=not step.if_)


def _chain(ctx: FileContext, job: Job, step: Step) -> None:
    """OR008: an OIDC step assumes our role first; this step chains from it."""
    region_node = get(get(step.node, "with"), "aws-region")
    region = ctx.region_for(job, step.index)
    if isinstance(region_node, ScalarNode):
        region = copied(ctx.text, region_node)
    if region is None:
        ctx.skip_step("OS007", job, step, "no region for the OIDC first hop")
        return
    with_node, key_pairs = _key_pairs(step)
    path = (*ctx.step_path(job, step), "with")
    for key, _ in key_pairs:
        ctx.patch.delete_pair(with_node, key, path)
        ctx.handled.add((*path, str(key.value)))
    ctx.patch.add_pairs(with_node, [("role-chaining", TRUE)], path)
    key_id = classify(step.with_.get("aws-access-key-id", ""))
    ctx.add_need(job, Need(step.index, region, key_id[1] if key_id[0] == "secret" else None))
    ctx.fix(
        "OR008",
        step.line,
        f"{location_label(job.id, step)}: keys -> OIDC first hop then role-chaining",
        job.id,
    )
    ctx.warn(
        "OW009",
        step.line,
        f"job {job.id}: the chained role must trust the first role and "
        "allow sts:TagSession (or set role-skip-session-tagging: true)",
        job.id,
    )
    if not supports(step.uses.version if step.uses else None, CHAINING_SINCE):
        upgrade(ctx, job, step, why="role-chaining needs v2.1 or later")
    ctx.mint(job, step.index, unconditional=not step.if_)
