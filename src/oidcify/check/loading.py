"""Reading and parsing the workflow files of one check, each file once, as fast as it can be done.

The workflow model (``oidcify.workflows``) is built from ruamel.yaml nodes. ruamel's composer is
pure Python (about 7 ms for a typical workflow); libyaml's, through PyYAML, is some 20 times
faster and gives the same marks (character index, line, column). So documents are composed with
libyaml where PyYAML has it and the node tree is copied into ruamel's node classes; a document
libyaml refuses is composed again by ruamel, whose message is the one reported. Files that
cannot matter to any enabled rule (no AWS, IAM or local reusable workflow in the text) are not
parsed at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import nodes as rnodes
from ruamel.yaml.tag import Tag

from oidcify.check.sources import Source
from oidcify.errors import InputError
from oidcify.workflows import read_text
from oidcify.workflows.model import Workflow, build
from oidcify.workflows.nodes import compose

try:  # PyYAML built with libyaml; without it every file takes ruamel's path
    import yaml

    _CLoader: Any = yaml.CSafeLoader
    _YAML_NODES: tuple[type, type, type] | None = (
        yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode,
    )  # fmt: skip
except (ImportError, AttributeError):  # pragma: no cover - depends on how PyYAML was built
    _CLoader = None
    _YAML_NODES = None

# What makes a file worth a model: AWS or IAM anywhere (keys, actions, secrets' names) or a call
# of a reusable workflow of the same repository (its callee may mint tokens).
RELEVANT = re.compile(r"aws|iam|\./\.github/workflows/", re.IGNORECASE)
_TAGS: dict[str, Tag] = {}


@dataclass
class Loaded:
    source: Source
    text: str | None = None
    workflow: Workflow | None = None
    error: str | None = None  # why the file could not be read or parsed


def _tag(name: str) -> Tag:
    tag = _TAGS.get(name)
    if tag is None:
        tag = _TAGS[name] = Tag(suffix=name)
    return tag


def _copy(node: Any, memo: dict[int, Any]) -> Any:
    """PyYAML node -> ruamel node of the same shape and marks (aliases stay shared)."""
    seen = memo.get(id(node))
    if seen is not None:
        return seen
    assert _YAML_NODES is not None
    scalar, mapping, _ = _YAML_NODES
    kind = type(node)
    new: Any
    if kind is scalar:
        new = rnodes.ScalarNode.__new__(rnodes.ScalarNode)
        new.value, new.style = node.value, node.style
    elif kind is mapping:
        new = rnodes.MappingNode.__new__(rnodes.MappingNode)
        new.flow_style, new.merge = node.flow_style, None
        memo[id(node)] = new
        new.value = [(_copy(k, memo), _copy(v, memo)) for k, v in node.value]
    else:
        new = rnodes.SequenceNode.__new__(rnodes.SequenceNode)
        new.flow_style = node.flow_style
        memo[id(node)] = new
        new.value = [_copy(item, memo) for item in node.value]
    new.ctag, new.start_mark, new.end_mark = _tag(node.tag), node.start_mark, node.end_mark
    new.comment = new.anchor = None
    memo[id(node)] = new
    return new


def _fast_compose(text: str) -> Any | None:
    if _CLoader is None or text.startswith("\ufeff"):
        return None  # libyaml would count the BOM in its offsets; ruamel does not
    try:
        node = yaml.compose(text, Loader=_CLoader)
    except yaml.YAMLError:
        return None
    return None if node is None else _copy(node, {})


def parse(key: str, text: str) -> Workflow:
    """The model of ``text``; an InputError naming ``key`` when it is not a workflow."""
    root = _fast_compose(text)
    return build(key, text, root if root is not None else compose(text, key))


def load(source: Source, *, everything: bool = False) -> Loaded:
    """Read ``source`` and, when it can matter (or ``everything``), parse it."""
    loaded = Loaded(source)
    path = source.path
    repo = source.root if source.root is not None else path.parent
    try:
        loaded.text = read_text(repo, path.relative_to(repo))
    except InputError as err:
        loaded.error = err.message
        return loaded
    if everything or RELEVANT.search(loaded.text):
        try:
            loaded.workflow = parse(source.key, loaded.text)
        except InputError as err:
            loaded.error = err.message
    return loaded
