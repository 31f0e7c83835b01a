"""Where a workflow mentions secrets: every scalar with its data path, line and secret names.

The fixes mark the paths they remove as handled; whatever mentions an AWS key secret and is not
handled must end up with a reported reason (the sweep), and a secret no scalar mentions any more
can be deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from oidcify.retrofit.patch import DataPath
from oidcify.workflows.aws_keys import KEY_NAME
from oidcify.workflows.expressions import secret_refs
from oidcify.workflows.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass(frozen=True)
class SecretUse:
    path: DataPath
    line: int
    names: frozenset[str]


def secret_uses(node: Node, path: DataPath = ()) -> Iterator[SecretUse]:
    """Each scalar value under ``node`` that mentions secrets (names upper-cased)."""
    if isinstance(node, ScalarNode):
        if "secrets" in node.value:
            names = secret_refs(str(node.value))
            if names:
                yield SecretUse(path, node.start_mark.line + 1, frozenset(names))
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            if value.start_mark.index >= key.end_mark.index:  # aliases are visited at the anchor
                yield from secret_uses(value, (*path, str(key.value)))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from secret_uses(item, (*path, index))


def is_key_name(name: str, known: set[str] | frozenset[str]) -> bool:
    return name.upper() in known or KEY_NAME.search(name) is not None


def under(path: DataPath, prefixes: set[DataPath]) -> bool:
    return any(path[: len(p)] == p for p in prefixes)
