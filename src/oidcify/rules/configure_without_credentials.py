"""OC110: a configure-aws-credentials step with neither a role nor keys.

Without ``role-to-assume`` (an input, or ``ROLE_TO_ASSUME`` in env), ``aws-access-key-id``
(an input, or ``AWS_ACCESS_KEY_ID`` in env) or ``web-identity-token-file``, the action can only
find credentials on the runner itself (a self-hosted runner's instance profile). A job on a
GitHub-hosted runner (``ubuntu-*``, ``windows-*``, ``macos-*``) has none, so the step fails
with "Credentials could not be loaded". Often ``role-to-assume`` is commented out; the message
says so. Jobs on other runners are not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.oidc import cac_input, env_value, is_cac, role_of
from oidcify.rules._scan import step_name
from oidcify.workflows.model import Job, Step, Workflow
from oidcify.workflows.nodes import get, is_scalar, is_sequence

INFO = RuleInfo(
    id="OC110",
    name="configure-without-credentials",
    severity="error",
    summary="configure-aws-credentials step with neither a role nor keys",
    help="On a GitHub-hosted runner the action has nothing to load credentials from. Give it "
    "`role-to-assume` (and `id-token: write` in the job), or remove the step if the job "
    "needs no AWS access.",
)
_HOSTED = re.compile(r"(ubuntu|windows|macos)-[\w.-]+")
_COMMENTED_ROLE = re.compile(r"^\s*#\s*role-to-assume\s*:", re.MULTILINE)


def _hosted(job: Job) -> bool:
    """Whether every label of ``runs-on`` is a GitHub-hosted image."""
    node = get(job.node, "runs-on")
    labels = [node] if is_scalar(node) else list(node.value) if is_sequence(node) else []
    values = [str(n.value) for n in labels if is_scalar(n)]
    return bool(values) and len(values) == len(labels) and all(map(_HOSTED.fullmatch, values))


def _credentials(wf: Workflow, job: Job, step: Step) -> bool:
    if role_of(wf, job, step) is not None:
        return True
    for name in ("aws-access-key-id", "web-identity-token-file"):
        if (cac_input(wf, job, step, name) or "").strip():
            return True
    return env_value(wf, job, step, "AWS_ACCESS_KEY_ID") is not None


def _step_text(wf: Workflow, step: Step) -> str:
    """The step's source, with the comment lines right after it that are indented into it."""
    text = wf.text[step.node.start_mark.index : step.node.end_mark.index]
    for line in wf.text[step.node.end_mark.index :].splitlines(keepends=True):
        stripped = line.strip()
        if stripped and (not stripped.startswith("#") or line.find("#") < step.column - 1):
            break
        text += line
    return text


def _commented_role(wf: Workflow, step: Step) -> int | None:
    text = _step_text(wf, step)
    match = _COMMENTED_ROLE.search(text)
    return step.line + text.count("\n", 0, match.start()) if match else None


def check(ctx: Context) -> Iterator[Finding]:
    for loaded, wf, _ in ctx.workflows():
        for job in wf.jobs.values():
            if not any(is_cac(step) for step in job.steps) or not _hosted(job):
                continue
            for step in job.steps:
                if not is_cac(step) or _credentials(wf, job, step):
                    continue
                line = _commented_role(wf, step)
                why = f" (role-to-assume is commented out, line {line})" if line else ""
                yield INFO.at(
                    loaded.source.display, step.line,
                    f"{step_name(job, step)} has no role-to-assume and no keys{why}: on a "
                    "GitHub-hosted runner it cannot load credentials",
                    column=step.column,
                )  # fmt: skip


EXAMPLE = Example(
    bad="""\
runs-on: ubuntu-latest
steps:
  - uses: aws-actions/configure-aws-credentials@v6
    with:
      # role-to-assume: arn:aws:iam::123456789012:role/deploy
      aws-region: us-east-1
""",
    good="""\
runs-on: ubuntu-latest
permissions: {id-token: write, contents: read}
steps:
  - uses: aws-actions/configure-aws-credentials@v6
    with:
      role-to-assume: arn:aws:iam::123456789012:role/deploy
      aws-region: us-east-1
""",
)
