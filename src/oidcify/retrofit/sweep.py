"""After the fixes: every AWS key secret still mentioned gets a reported reason, and the
warnings about the jobs that now mint tokens are added.

Reasons by where the secret still is: a run script or condition (OS006), a reusable-workflow
call (OS008), an input of another action or an env variable the AWS tools do not read (OS004).
A file whose only AWS configuration already assumes roles is reported as already on OIDC
(OS001).
"""

from __future__ import annotations

from oidcify.retrofit.context import KEY_ENV, KEY_INPUTS, FileContext, classify, is_cac
from oidcify.retrofit.patch import DataPath
from oidcify.retrofit.refs import is_key_name, secret_uses, under
from oidcify.workflows import callers
from oidcify.workflows.model import Job, location_label
from oidcify.workflows.runs import trigger_runs


def _reason(ctx: FileContext, path: DataPath, names: str) -> tuple[str, str, str | None]:
    job: Job | None = ctx.wf.jobs.get(str(path[1])) if len(path) > 1 and path[0] == "jobs" else None
    job_id = job.id if job else None
    step = None
    if job and len(path) > 3 and path[2] == "steps":
        step = next((s for s in job.steps if s.index == path[3]), None)
    where = location_label(job_id, step)
    tail = path[-1]
    if tail == "run":
        return "OS006", f"{where}: {names} used inside the run script; rewrite it by hand", job_id
    if tail == "if":
        return "OS006", f"{where}: {names} used in a condition", job_id
    if job and job.uses is not None and len(path) > 2 and path[2] in ("secrets", "with"):
        own = callers.own_target(job, ctx.options.repository)
        target = own or job.uses.raw
        here = own is not None and own in ctx.facts.present
        why = "still needs them" if here else "is not in this repository"
        return "OS008", f"{where}: {names} forwarded to {target}, which {why}", job_id
    if len(path) > 1 and path[-2] == "with":
        return (
            "OS004",
            f"{where}: {names} passed as input {tail!r} to an action oidcify does not know",
            job_id,
        )
    if len(path) > 1 and path[-2] == "env" and tail not in KEY_ENV:
        return "OS004", f"{where}: {names} in env {tail}, which AWS tools do not read", job_id
    return "OS004", f"{where}: {names} used at {'.'.join(map(str, path))}", job_id


def plan(ctx: FileContext, known: frozenset[str]) -> None:
    keys = known | ctx.key_secrets
    declared = ("on", "workflow_call", "secrets")
    for use in secret_uses(ctx.wf.node):
        if use.path in ctx.handled or under(use.path, ctx.explained | {declared}):
            continue
        names = sorted(n for n in use.names if is_key_name(n, keys))
        if names:
            code, message, job = _reason(ctx, use.path, ", ".join(names))
            ctx.skip(code, use.line, message, job, path=use.path)
    _runtime_keys(ctx)
    _warnings(ctx)
    if not ctx.fixes and not ctx.skipped:
        oidc = [
            s
            for j in ctx.wf.jobs.values()
            for s in j.steps
            if is_cac(s) and "role-to-assume" in s.with_
        ]
        if oidc:
            ctx.skip(
                "OS001",
                oidc[0].line,
                f"already on OIDC ({len(oidc)} configure-aws-"
                "credentials step(s) with role-to-assume, no static keys)",
            )


def _runtime_keys(ctx: FileContext) -> None:
    """Key inputs made at run time (step outputs of a created key, say) on any action."""
    for job in ctx.wf.jobs.values():
        for step in job.steps:
            path = ctx.step_path(job, step)
            if under(path, ctx.explained) or is_cac(step):
                continue
            for key in KEY_INPUTS:
                kind, detail = classify(step.with_.get(key, ""))
                if kind == "runtime":
                    ctx.skip(
                        "OS002",
                        step.line,
                        f"{location_label(job.id, step)}: {key} "
                        f"comes from {detail} (created at run time)",
                        job.id,
                        path=path,
                    )
                    break


def _fork_prs_run(ctx: FileContext, job: Job | None, event: str) -> bool:
    """Whether a fork's ``event`` (a pull request) can run the job, its runs read as
    ``oidcify check`` reads them (``workflows.runs``: the trigger's refs, the job's ``if:``)."""
    if job is None:
        return True
    return any(run.fork and run.event == event for run in trigger_runs(ctx.wf, job))


def _warnings(ctx: FileContext) -> None:
    triggers = ctx.wf.triggers
    for job_id, line in ctx.minting.items():
        job = ctx.wf.jobs.get(job_id)
        if "pull_request" in triggers and _fork_prs_run(ctx, job, "pull_request"):
            ctx.warn(
                "OW001",
                line,
                f"job {job_id} runs on pull_request: runs from forks get no "
                "OIDC token (nor secrets) and will fail at the configure step",
                job_id,
            )
        if "pull_request_target" in triggers and _fork_prs_run(ctx, job, "pull_request_target"):
            ctx.warn(
                "OW001",
                line,
                f"job {job_id} runs on pull_request_target: it mints a token "
                "for fork PRs in the base repository's context; never run PR code with it",
                job_id,
            )
    if ctx.wf.is_reusable and ctx.minting:
        first = min(ctx.minting.values())
        ctx.warn(
            "OW004",
            first,
            "reusable workflow now mints tokens: callers in other "
            "repositories must grant id-token: write",
        )
