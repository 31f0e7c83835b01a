"""The ``on:`` section normalised: one Trigger per event with its filters.

``on`` may be a string, a list of events, or a mapping whose values may be null. Filters keep
GitHub's meaning: a ``push`` with only branch filters never runs for tags and vice versa, and a
``push`` with no filter runs for every branch and tag.
"""

from __future__ import annotations

from typing import NamedTuple

from oidcify.workflows.nodes import Node, get, is_mapping, is_scalar, is_sequence, pairs


class Trigger(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """One event of ``on:`` with its filters (None: no such filter)."""

    event: str
    branches: tuple[str, ...] | None = None
    branches_ignore: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    tags_ignore: tuple[str, ...] | None = None
    types: tuple[str, ...] | None = None
    secrets: tuple[str, ...] = ()  # workflow_call: declared secret names
    inputs: tuple[str, ...] = ()  # workflow_call / workflow_dispatch: declared input names

    @property
    def has_ref_filter(self) -> bool:
        return any(f is not None for f in (self.branches, self.branches_ignore, self.tags,
                                           self.tags_ignore))  # fmt: skip


def _strings(node: Node | None) -> tuple[str, ...] | None:
    if node is None:
        return None
    if is_scalar(node):
        return (node.value,) if node.value != "" else ()
    if is_sequence(node):
        return tuple(str(item.value) for item in node.value if is_scalar(item))
    return ()


def _names(node: Node | None) -> tuple[str, ...]:
    return tuple(str(k.value) for k, _ in pairs(node) if is_scalar(k))


def _trigger(event: str, node: Node | None) -> Trigger:
    if not is_mapping(node):
        return Trigger(event)
    return Trigger(
        event,
        branches=_strings(get(node, "branches")),
        branches_ignore=_strings(get(node, "branches-ignore")),
        tags=_strings(get(node, "tags")),
        tags_ignore=_strings(get(node, "tags-ignore")),
        types=_strings(get(node, "types")),
        secrets=_names(get(node, "secrets")),
        inputs=_names(get(node, "inputs")),
    )


def parse(node: Node | None) -> dict[str, Trigger]:
    """``{event: Trigger}`` for an ``on:`` value (empty when absent or malformed)."""
    if is_scalar(node) and node.value:
        return {node.value: Trigger(node.value)}
    if is_sequence(node):
        events = [str(i.value) for i in node.value if is_scalar(i)]
        return {event: Trigger(event) for event in events}
    return {str(k.value): _trigger(str(k.value), v) for k, v in pairs(node) if is_scalar(k)}
