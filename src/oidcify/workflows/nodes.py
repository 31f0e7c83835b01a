"""Composed YAML nodes: parsing with positions, and small read-only helpers over the node tree.

Two libraries compose workflows. ruamel.yaml's ``compose()`` (``compose`` below) serves the
retrofit, which splices edits into the text at the nodes' marks; ``oidcify check`` composes with
libyaml through PyYAML (``oidcify.check.loading``), some 20 times faster, and never imports
ruamel. Both give nodes of one shape: ``id`` ('scalar', 'mapping' or 'sequence'), ``tag``,
``value`` (a string, a list of key/value node pairs, a list of nodes), ``start_mark`` and
``end_mark`` (``index``, ``line``, ``column``, 0-based, in characters), ``style`` and
``flow_style``. ``Node`` and its three kinds below are that shape: each library registers its
node classes with them (``adopt``), so ``isinstance`` and the model work on either library's
nodes. The helpers test ``node.id``, not ``isinstance``: they run for every node of every file,
and an abstract class's instance check costs a Python call.
"""

from __future__ import annotations

from abc import ABC
from functools import cache
from typing import Any, ClassVar, Protocol, TypeGuard

from oidcify.errors import InputError

__all__ = [
    "MappingNode",
    "NoDocument",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "adopt",
    "compose",
    "fields",
    "get",
    "get_pair",
    "is_mapping",
    "is_scalar",
    "is_sequence",
    "pairs",
    "scalar",
    "to_data",
]

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"


class NoDocument(InputError):
    """The text holds no YAML document: it is empty, or only comments."""


class Mark(Protocol):
    index: int
    line: int
    column: int


class Node(ABC):
    """A composed node of either library."""

    id: ClassVar[str]
    tag: str | None
    value: Any
    start_mark: Mark
    end_mark: Mark


class ScalarNode(Node):
    value: str
    style: str | None


class MappingNode(Node):
    value: list[tuple[Node, Node]]
    flow_style: bool | None


class SequenceNode(Node):
    value: list[Node]
    flow_style: bool | None


def adopt(scalar: type, mapping: type, sequence: type) -> None:
    """Register a YAML library's node classes as ``ScalarNode``, ``MappingNode`` and
    ``SequenceNode`` (and so ``Node``)."""
    ScalarNode.register(scalar)
    MappingNode.register(mapping)
    SequenceNode.register(sequence)


def is_scalar(node: Node | None) -> TypeGuard[ScalarNode]:
    return node is not None and node.id == "scalar"


def is_mapping(node: Node | None) -> TypeGuard[MappingNode]:
    return node is not None and node.id == "mapping"


def is_sequence(node: Node | None) -> TypeGuard[SequenceNode]:
    return node is not None and node.id == "sequence"


@cache
def _ruamel() -> Any:
    """ruamel.yaml's safe composer (imported on first use), its node classes adopted."""
    from ruamel.yaml import YAML  # noqa: PLC0415 - only the retrofit and odd files need it
    from ruamel.yaml import nodes as ruamel_nodes  # noqa: PLC0415

    adopt(ruamel_nodes.ScalarNode, ruamel_nodes.MappingNode, ruamel_nodes.SequenceNode)
    return YAML


def compose(text: str, where: str) -> Node:
    """The node tree of the one YAML document in ``text`` (ruamel.yaml's pure-Python safe
    composer: it needs no round-trip machinery and is the cheapest way to ruamel's marks);
    an InputError naming ``where`` if it is not one YAML document."""
    yaml = _ruamel()
    from ruamel.yaml.error import MarkedYAMLError, YAMLError  # noqa: PLC0415 - loaded above

    try:
        node = yaml(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(err.problem or err.context or "syntax error").split())
        raise InputError(f"malformed YAML{at}: {problem}", field=where) from None
    except YAMLError as err:
        raise InputError(f"malformed YAML: {' '.join(str(err).split())}", field=where) from None
    except RecursionError:
        # Workflows nest a dozen levels; this deep is not one, and would exhaust the stack.
        raise InputError("not a workflow: YAML nested too deeply", field=where) from None
    if node is None:
        raise NoDocument("empty file: no YAML document", field=where)
    assert isinstance(node, Node)
    return node


def pairs(node: Node | None) -> list[tuple[Node, Node]]:
    """The key/value pairs of a mapping node (an empty list for anything else)."""
    if node is not None and node.id == "mapping":
        return node.value  # type: ignore[no-any-return]
    return []


def get_pair(node: Node | None, key: str) -> tuple[Node, Node] | None:
    """The (key node, value node) for ``key`` in a mapping; the last one wins, as in GitHub."""
    found = None
    for pair in pairs(node):
        if pair[0].value == key and pair[0].id == "scalar":
            found = pair
    return found


def get(node: Node | None, key: str) -> Node | None:
    pair = get_pair(node, key)
    return pair[1] if pair else None


def fields(node: Node | None) -> dict[str, Node]:
    """A mapping's values by key (scalar keys; the last one wins, as in GitHub): one pass, for
    reading many keys of one mapping."""
    return {key.value: value for key, value in pairs(node) if key.id == "scalar"}


def scalar(node: Node | None) -> str | None:
    """A scalar's text value (booleans and numbers too, as written); None for collections."""
    if node is not None and node.id == "scalar":
        return node.value  # type: ignore[no-any-return]
    return None


def to_data(node: Node) -> Any:
    """Plain data for comparing documents: dicts, lists, and scalars as strings (tagged when the
    resolved type is not a string, so ``1`` and ``'1'`` differ). Aliases resolve to their anchor's
    data. A duplicate key raises ValueError: such a document cannot be compared safely."""
    if node.id == "scalar":
        return node.value if node.tag == STR_TAG else (str(node.tag), node.value)
    if node.id == "sequence":
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
