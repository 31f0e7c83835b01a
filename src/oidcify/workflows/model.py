"""A read-only model of one workflow file: triggers, permissions, env, jobs and steps with their
positions. Built from composed nodes, so every part keeps a reference to its node for tools that
edit the text (the retrofit) and a 1-based line for tools that report (``oidcify check``).
"""

from __future__ import annotations

from typing import Any

from oidcify.errors import InputError
from oidcify.workflows import permissions, triggers
from oidcify.workflows.actions import ActionRef, line_comment, parse_uses
from oidcify.workflows.nodes import (
    MappingNode,
    Node,
    compose,
    fields,
    get,
    is_mapping,
    is_scalar,
    is_sequence,
    pairs,
    scalar,
    to_data,
)
from oidcify.workflows.permissions import Permissions
from oidcify.workflows.triggers import Trigger


def _strings(node: Node | None) -> dict[str, str]:
    """A mapping's scalar entries as ``{key: value}`` (collections and odd keys skipped)."""
    return {
        str(k.value): str(v.value) for k, v in pairs(node) if k.id == "scalar" and v.id == "scalar"
    }


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


# Plain classes, not dataclasses: importing ``dataclasses`` (it loads inspect, ast and dis) and
# making one cost oidcify check some 10 ms, more than building every model of the corpus. Each
# object is its own (equality is identity), as with ``@dataclass(eq=False)`` before.
class Step:
    """One step of a job, its inputs and environment as written."""

    __slots__ = ("column", "env", "id", "if_", "index", "line", "name", "node", "run", "uses",
                 "with_")  # fmt: skip

    def __init__(
        self, *, index: int, line: int, column: int, name: str | None, id: str | None,
        uses: ActionRef | None, with_: dict[str, str], env: dict[str, str], run: str | None,
        if_: str | None, node: MappingNode,
    ) -> None:  # fmt: skip
        self.index = index
        self.line = line
        self.column = column
        self.name = name
        self.id = id
        self.uses = uses
        self.with_ = with_
        self.env = env
        self.run = run
        self.if_ = if_
        self.node = node

    def __repr__(self) -> str:
        return f"Step({self.index}, line {self.line}: {self.label!r})"

    @property
    def label(self) -> str:
        """How a person recognises the step: its name, id, action, command or position."""
        for label in (self.name, self.id, self.uses.raw if self.uses else None):
            if label:
                return label
        first = (self.run or "").strip().split("\n", 1)[0]
        return f"run: {first[:40]}" if first else f"step {self.index + 1}"


def location_label(job_id: str | None, step: Step | None = None) -> str:
    """How every message names a place in a workflow: ``job build, step 'Check out'``,
    ``job build``, or ``workflow`` (no job)."""
    where = f"job {job_id}" if job_id else "workflow"
    return f"{where}, step {step.label!r}" if step is not None else where


class Job:
    """One job: its steps, or the reusable workflow it calls."""

    __slots__ = ("env", "environment", "id", "if_", "line", "name", "node", "permissions",
                 "secrets", "steps", "strategy", "uses", "with_")  # fmt: skip

    def __init__(
        self, *, id: str, line: int, name: str | None, uses: ActionRef | None,
        with_: dict[str, str], secrets: dict[str, str] | str | None,
        permissions: Permissions | None, env: dict[str, str], environment: str | None,
        steps: list[Step], strategy: Any, if_: str | None, node: MappingNode,
    ) -> None:  # fmt: skip
        self.id = id
        self.line = line
        self.name = name
        self.uses = uses  # a reusable-workflow call
        self.with_ = with_
        self.secrets = secrets  # str: "inherit"
        self.permissions = permissions
        self.env = env
        self.environment = environment
        self.steps = steps
        self.strategy = strategy
        self.if_ = if_
        self.node = node

    def __repr__(self) -> str:
        return f"Job({self.id!r}, line {self.line})"


class Workflow:
    """One workflow file: its triggers, permissions, env and jobs."""

    __slots__ = ("env", "jobs", "name", "node", "path", "permissions", "text", "triggers")

    def __init__(
        self, *, path: str, text: str, name: str | None, triggers: dict[str, Trigger],
        permissions: Permissions | None, env: dict[str, str], jobs: dict[str, Job],
        node: MappingNode,
    ) -> None:  # fmt: skip
        self.path = path
        self.text = text
        self.name = name
        self.triggers = triggers
        self.permissions = permissions
        self.env = env
        self.jobs = jobs
        self.node = node

    def __repr__(self) -> str:
        return f"Workflow({self.path!r}, jobs {list(self.jobs)})"

    @property
    def is_reusable(self) -> bool:
        return "workflow_call" in self.triggers

    def effective_permissions(self, job: Job) -> Permissions | None:
        return permissions.effective(self.permissions, job.permissions)


def _uses(text: str, node: Node | None) -> ActionRef | None:
    if not is_scalar(node) or not node.value:
        return None
    return parse_uses(str(node.value), line_comment(text, node.end_mark.index))


def _step(text: str, index: int, node: MappingNode) -> Step:
    values = fields(node)
    return Step(
        index=index,
        line=_line(node),
        column=int(node.start_mark.column) + 1,
        name=scalar(values.get("name")),
        id=scalar(values.get("id")),
        uses=_uses(text, values.get("uses")),
        with_=_strings(values.get("with")),
        env=_strings(values.get("env")),
        run=scalar(values.get("run")),
        if_=scalar(values.get("if")),
        node=node,
    )


def _data(node: Node | None) -> Any:
    try:
        return to_data(node) if node is not None else None
    except ValueError:  # duplicate keys: GitHub rejects the file; the model just drops the part
        return None


def _environment(node: Node | None) -> str | None:
    if is_mapping(node):
        node = get(node, "name")
    return scalar(node) or None


def _job(text: str, key: Node, node: MappingNode) -> Job:
    values = fields(node)
    steps_node = values.get("steps")
    items = steps_node.value if is_sequence(steps_node) else []
    secrets_node = values.get("secrets")
    return Job(
        id=str(key.value),
        line=_line(key),
        name=scalar(values.get("name")),
        uses=_uses(text, values.get("uses")),
        with_=_strings(values.get("with")),
        secrets=scalar(secrets_node) if is_scalar(secrets_node)
        else _strings(secrets_node) if secrets_node is not None else None,
        permissions=permissions.parse(values.get("permissions")),
        env=_strings(values.get("env")),
        environment=_environment(values.get("environment")),
        steps=[_step(text, i, s) for i, s in enumerate(items) if is_mapping(s)],
        strategy=_data(values.get("strategy")),
        if_=scalar(values.get("if")),
        node=node,
    )  # fmt: skip


def build(path: str, text: str, root: Node) -> Workflow:
    """The model of a composed workflow document."""
    if not is_mapping(root):
        raise InputError("not a workflow: the document is not a mapping", field=path)
    values = fields(root)
    jobs = {
        str(k.value): _job(text, k, v)
        for k, v in pairs(values.get("jobs"))
        if is_scalar(k) and is_mapping(v)
    }
    return Workflow(
        path=path,
        text=text,
        name=scalar(values.get("name")),
        triggers=triggers.parse(values.get("on")),
        permissions=permissions.parse(values.get("permissions")),
        env=_strings(values.get("env")),
        jobs=jobs,
        node=root,
    )


def parse(path: str, text: str) -> Workflow:
    """Compose ``text`` and build its model; an InputError naming ``path`` when it is not YAML."""
    return build(path, text, compose(text, path))
