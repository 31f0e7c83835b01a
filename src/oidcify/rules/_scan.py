"""Helpers several rules share: every scalar of a workflow with its path and position, and the
messages that name a job or a step."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from oidcify.workflows.model import Job, Step
from oidcify.workflows.nodes import Node

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Scalar:
    path: Path  # e.g. ("jobs", "deploy", "steps", 2, "with", "aws-access-key-id")
    value: str
    line: int  # of the key when the scalar is a mapping value, else of the scalar
    column: int


def scalars(node: Node, path: Path = (), at: tuple[int, int] | None = None) -> Iterator[Scalar]:
    """Every scalar value under ``node``; aliases are visited once, at their anchor."""
    if node.id == "scalar":
        line, column = at or (node.start_mark.line + 1, node.start_mark.column + 1)
        yield Scalar(path, str(node.value), line, column)
    elif node.id == "mapping":
        for key, value in node.value:
            if value.start_mark.index >= key.end_mark.index and key.id == "scalar":
                where = (key.start_mark.line + 1, key.start_mark.column + 1)
                yield from scalars(value, (*path, str(key.value)), where)
    elif node.id == "sequence":
        for index, item in enumerate(node.value):
            yield from scalars(item, (*path, index))


def step_name(job: Job, step: Step) -> str:
    return f"job {job.id}, step {step.label!r}"
