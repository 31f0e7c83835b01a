"""Composed YAML nodes: parsing with positions, and small read-only helpers over the node tree.

ruamel.yaml's ``compose()`` gives every node a start and end mark (character offsets into the
original text), which is what lets the retrofit splice edits into the text instead of dumping the
document. Only the pure-Python safe composer is used: it needs no round-trip machinery and is the
cheapest way to get marks.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from oidcify.errors import InputError

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "compose",
    "get",
    "get_pair",
    "pairs",
    "scalar",
    "to_data",
]

STR_TAG = "tag:yaml.org,2002:str"


def compose(text: str, where: str) -> Node:
    """The node tree of the one YAML document in ``text``; an InputError naming ``where`` if not."""
    try:
        node = YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(err.problem or err.context or "syntax error").split())
        raise InputError(f"malformed YAML{at}: {problem}", field=where) from None
    except YAMLError as err:
        raise InputError(f"malformed YAML: {' '.join(str(err).split())}", field=where) from None
    if node is None:
        raise InputError("empty file: no YAML document", field=where)
    return node  # type: ignore[no-any-return]


def pairs(node: Node | None) -> list[tuple[Node, Node]]:
    """The key/value pairs of a mapping node (an empty list for anything else)."""
    if isinstance(node, MappingNode):
        return node.value  # type: ignore[no-any-return]
    return []


def get_pair(node: Node | None, key: str) -> tuple[Node, Node] | None:
    """The (key node, value node) for ``key`` in a mapping; the last one wins, as in GitHub."""
    found = None
    for key_node, value_node in pairs(node):
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            found = (key_node, value_node)
    return found


def get(node: Node | None, key: str) -> Node | None:
    pair = get_pair(node, key)
    return pair[1] if pair else None


def scalar(node: Node | None) -> str | None:
    """A scalar's text value (booleans and numbers too, as written); None for collections."""
    if isinstance(node, ScalarNode):
        return node.value  # type: ignore[no-any-return]
    return None


def to_data(node: Node) -> Any:
    """Plain data for comparing documents: dicts, lists, and scalars as strings (tagged when the
    resolved type is not a string, so ``1`` and ``'1'`` differ). Aliases resolve to their anchor's
    data. A duplicate key raises ValueError: such a document cannot be compared safely."""
    if isinstance(node, ScalarNode):
        return node.value if node.tag == STR_TAG else (str(node.tag), node.value)
    if isinstance(node, SequenceNode):
        return [to_data(item) for item in node.value]
    result: dict[Any, Any] = {}
    for key_node, value_node in pairs(node):
        key = to_data(key_node)
        if isinstance(key, list | dict):
            key = repr(key)
        if key in result:
            raise ValueError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        result[key] = to_data(value_node)
    return result
