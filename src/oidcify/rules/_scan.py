"""Helpers several rules share: the scalars of a workflow with their paths and positions, and the
messages that name a job or a step."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from oidcify.workflows.model import Job, Step, location_label
from oidcify.workflows.nodes import Node

Path = tuple[str | int, ...]


class Scalar(NamedTuple):  # a NamedTuple is made in a fifth of a frozen dataclass's time
    path: Path  # e.g. ("jobs", "deploy", "steps", 2, "with", "aws-access-key-id")
    value: str
    line: int  # of the key when the scalar is a mapping value, else of the scalar
    column: int


def scalars(node: Node, wanted: Callable[[str], object]) -> list[Scalar]:
    """Every scalar value under ``node`` for which ``wanted(value)`` is true; aliases are visited
    once, at their anchor."""
    found: list[Scalar] = []
    path: list[str | int] = []

    # One walk of every node of every file: no generators, and a Scalar (with its path and
    # position) only for the values wanted.
    def visit(node: Node, key: Node | None) -> None:
        kind = node.id
        if kind == "scalar":
            value = str(node.value)
            if wanted(value):
                mark = (key or node).start_mark
                found.append(Scalar(tuple(path), value, mark.line + 1, mark.column + 1))
        elif kind == "mapping":
            for key_node, value_node in node.value:
                if value_node.start_mark.index >= key_node.end_mark.index \
                        and key_node.id == "scalar":  # fmt: skip
                    path.append(str(key_node.value))
                    visit(value_node, key_node)
                    path.pop()
        elif kind == "sequence":
            for index, item in enumerate(node.value):
                path.append(index)
                visit(item, None)
                path.pop()

    visit(node, None)
    return found


def step_name(job: Job, step: Step) -> str:
    return location_label(job.id, step)
