"""OR003: one pinned configure-aws-credentials step per job that needs credentials, before the
first step that needs them, unless a step that assumes a role without condition already runs
earlier in the job. The step copies the style of the step it precedes (dash on its own line or
not, indentation, blank lines between steps) and uses the file's line endings.
"""

from __future__ import annotations

from oidcify.retrofit.context import FileContext
from oidcify.retrofit.layout import CannotEdit
from oidcify.retrofit.patch import Entries, Value, plain
from oidcify.workflows.nodes import SequenceNode, get

STEP_NAME = "Configure AWS credentials"


def plan(ctx: FileContext) -> None:
    uses_text = ctx.pin.uses()
    uses = Value(uses_text, uses_text.partition(" # ")[0])
    for job_id, needs in ctx.needs.items():
        job = ctx.wf.jobs[job_id]
        first = min(needs, key=lambda n: n.index)
        if any(i < first.index for i in ctx.role_steps.get(job_id, ())):
            ctx.minting.setdefault(job_id, job.line)
            continue
        region = next(
            (n.region for n in sorted(needs, key=lambda n: n.index) if n.region), None
        ) or ctx.region_for(job, first.index)
        if region is None:
            raise CannotEdit(f"job {job_id}: no region for the configure step")
        seq = get(job.node, "steps")
        if not isinstance(seq, SequenceNode):
            raise CannotEdit(f"job {job_id}: steps is not a list")
        secret = next((n.secret for n in sorted(needs, key=lambda n: n.index) if n.secret), None)
        inputs: Entries = [("role-to-assume", ctx.role_for(job, secret)), ("aws-region", region)]
        if ctx.options.role_session_name:
            inputs.append(("role-session-name", plain(ctx.options.role_session_name)))
        entries: Entries = [("name", plain(STEP_NAME)), ("uses", uses), ("with", inputs)]
        ctx.patch.insert_item(
            seq, first.index, entries, path=(*ctx.job_path(job), "steps"), unit=ctx.unit(job)
        )
        step = next(s for s in job.steps if s.index == first.index)
        ctx.minting.setdefault(job_id, job.line)
        ctx.fix(
            "OR003",
            step.line,
            f"job {job_id}: configure-aws-credentials "
            f"({ctx.pin.version}) inserted before step {step.label!r}",
            job_id,
        )
