"""State shared by the fixes while one file is planned: the model, the patch being built, the
findings, and what each job needs (credentials before a step, a token).

Fix modules read the model, record edits in ``ctx.patch`` and findings with ``ctx.fix`` /
``ctx.skip`` / ``ctx.warn``; they never touch the text directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from oidcify.pins import Pin
from oidcify.retrofit import selectors
from oidcify.retrofit.layout import Text, anchored, indent_unit, is_flow
from oidcify.retrofit.options import Options
from oidcify.retrofit.patch import DataPath, Patch, Value, copied, plain
from oidcify.retrofit.result import Finding
from oidcify.workflows.aws_keys import CAC, KEY_ENV, KEY_INPUTS, is_cac
from oidcify.workflows.expressions import contexts, secret_of
from oidcify.workflows.model import Job, Step, Workflow, location_label
from oidcify.workflows.nodes import NULL_TAG, MappingNode, ScalarNode, get

__all__ = ["CAC", "KEY_ENV", "KEY_INPUTS", "is_cac"]  # the fixes take the vocabulary from here
REGION_ENV = ("AWS_REGION", "AWS_DEFAULT_REGION")
ROLE_INPUT = "role-to-assume"
INPUT_ROLE = f"${{{{ inputs.{ROLE_INPUT} }}}}"


def credential_free(step: Step) -> bool:
    """Steps that never need AWS credentials: checkout, caches, artifacts, tool setup, and
    configure-aws-credentials itself. Anything else (every run step) might."""
    ref = step.uses
    if ref is None or ref.kind != "action":
        return False
    if ref.action == CAC or ref.action in _FREE:
        return True
    last = (ref.path or ref.repo).rsplit("/", 1)[-1].lower()
    return last.startswith("setup-") or last == "action-setup"


_FREE = frozenset(
    {"actions/checkout", "actions/cache", "actions/upload-artifact", "actions/download-artifact",
     "docker/metadata-action"}
)  # fmt: skip


_KEY_LITERAL = re.compile(r"\s*['\"]?(?:(?:AKIA|ASIA)[A-Z0-9]{16}|[A-Za-z0-9/+=]{40})['\"]?\s*")


def looks_like_key(value: str) -> bool:
    """An access key id (AKIA/ASIA...) or a 40-character secret written out literally."""
    return _KEY_LITERAL.fullmatch(value) is not None


def classify(value: str) -> tuple[str, str]:
    """Where a credential value comes from: ``secret`` (with its name), ``literal``,
    ``runtime`` (step outputs, inputs, env, needs) or ``complex`` (any other expression)."""
    name = secret_of(value)
    if name:
        return "secret", name
    used = contexts(value)
    if "${{" not in value:
        return "literal", value
    if used & {"steps", "needs", "env", "inputs", "jobs"}:
        return "runtime", value.strip()
    return "complex", value.strip()


def declarable(wf: Workflow) -> bool:
    """Whether ``on.workflow_call`` can take a new input: a block mapping key whose value is
    empty (null, written as nothing) or a block mapping with no ``inputs`` or block ones."""
    on = get(wf.node, "on")
    call = get(on, "workflow_call") if isinstance(on, MappingNode) and not is_flow(on) else None
    if isinstance(call, ScalarNode):
        return call.tag == NULL_TAG and call.value == "" and not call.style
    if not isinstance(call, MappingNode) or is_flow(call):
        return False
    inputs = get(call, "inputs")
    return inputs is None or (isinstance(inputs, MappingNode) and not is_flow(inputs))


@dataclass(frozen=True)
class Need:
    """Job ``job`` needs credentials from step ``index`` on (a region for a step to insert)."""

    index: int
    region: Value | None
    secret: str | None = None  # the access key secret it used, for ``--role-for secret:``


@dataclass(frozen=True)
class RepoFacts:
    """What the other files of the repository contribute to this file's plan."""

    present: frozenset[str] = frozenset()
    callee_dropped: dict[str, frozenset[str]] = field(default_factory=dict)
    callee_mints: frozenset[str] = frozenset()
    # reusable workflow -> what its jobs ask of the token after the change (scope -> level):
    # a calling job must grant at least that, or GitHub refuses the run.
    callee_scopes: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # reusable workflows (workflow_call only) that no workflow of this repository calls
    external: frozenset[str] = frozenset()


@dataclass
class FileContext:
    wf: Workflow
    options: Options
    pin: Pin
    facts: RepoFacts = field(default_factory=RepoFacts)
    fixes: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    handled: set[DataPath] = field(default_factory=set)
    minting: dict[str, int] = field(default_factory=dict)
    role_steps: dict[str, set[int]] = field(default_factory=dict)
    needs: dict[str, list[Need]] = field(default_factory=dict)
    dropped_declared: set[str] = field(default_factory=set)
    key_secrets: set[str] = field(default_factory=set)
    access_key_ids: set[str] = field(default_factory=set)
    upgraded: set[tuple[str, int]] = field(default_factory=set)
    explained: set[DataPath] = field(default_factory=set)
    chosen: dict[str, str] = field(default_factory=dict)  # job -> the role it now assumes
    requested: dict[str, str] = field(default_factory=dict)  # reusable: scopes its jobs ask
    key_roles: dict[str, set[str]] = field(default_factory=dict)  # role -> access key secrets

    def __post_init__(self) -> None:
        self.text = Text(self.wf.text)
        shared = anchored(self.wf.node) if "&" in self.wf.text else {}
        self.patch = Patch(self.text, shared=shared)

    # -- findings --------------------------------------------------------------------------
    def fix(self, code: str, line: int, message: str, job: str | None = None) -> None:
        self.fixes.append(Finding(code, line, message, job))

    def skip(
        self, code: str, line: int, message: str, job: str | None = None, *, path: DataPath = ()
    ) -> None:
        """Record a leave-alone reason; ``path`` marks the part of the file it explains."""
        self.skipped.append(Finding(code, line, message, job))
        if path:
            self.explained.add(path)

    def skip_step(self, code: str, job: Job, step: Step, message: str) -> None:
        """A leave-alone reason about one step (it explains everything under the step)."""
        where = location_label(job.id, step)
        self.skip(code, step.line, f"{where}: {message}", job.id, path=self.step_path(job, step))

    def warn(self, code: str, line: int, message: str, job: str | None = None) -> None:
        if not any((w.code, w.line, w.message) == (code, line, message) for w in self.warnings):
            self.warnings.append(Finding(code, line, message, job))

    # -- helpers for the fixes -------------------------------------------------------------
    def role_for(self, job: Job, secret: str | None) -> Value:
        """The role a step of ``job`` that used the key secret ``secret`` now assumes."""
        if self.options.role_input and self.wf.path in self.facts.external and declarable(self.wf):
            role = INPUT_ROLE  # only the calling repository knows its role
        else:
            role = selectors.choose(
                self.options.role_for,
                self.options.role,
                job=job.id,
                secret=secret,
                environment=job.environment,
            )
        self.chosen.setdefault(job.id, role)
        if secret:
            self.key_roles.setdefault(role, set()).add(secret.upper())
        return plain(role)

    def unit(self, job: Job) -> int:
        return indent_unit(self.text, job.node, default=indent_unit(self.text, self.wf.node))

    def region_for(self, job: Job, index: int | None) -> Value | None:
        """The region a configure step at ``index`` of ``job`` should use: the step's own
        AWS_REGION / AWS_DEFAULT_REGION, else the job's or workflow's env, else ``--region``."""
        step = next((s for s in job.steps if s.index == index), None)
        if step is not None:
            env = get(step.node, "env")
            for name in REGION_ENV:
                node = get(env, name)
                if isinstance(node, ScalarNode) and node.value:
                    return copied(self.text, node)
        for name in REGION_ENV:
            if name in job.env or name in self.wf.env:
                return plain(f"${{{{ env.{name} }}}}")
        return plain(self.options.region) if self.options.region else None

    def job_path(self, job: Job) -> DataPath:
        return ("jobs", job.id)

    def step_path(self, job: Job, step: Step) -> DataPath:
        return ("jobs", job.id, "steps", step.index)

    def mint(self, job: Job, step_index: int, *, unconditional: bool) -> None:
        self.minting.setdefault(job.id, job.line)
        if unconditional:
            self.role_steps.setdefault(job.id, set()).add(step_index)

    def add_need(self, job: Job, need: Need) -> None:
        self.needs.setdefault(job.id, []).append(need)
