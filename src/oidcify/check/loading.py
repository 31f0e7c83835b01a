"""Reading and parsing the workflow files of one check, each file once, as fast as it can be done.

Documents are composed by libyaml, through PyYAML, where PyYAML has it: some 20 times faster
than ruamel's pure-Python composer, with the same marks (character index, line, column), and
the workflow model reads PyYAML's nodes as they are (``oidcify.workflows.nodes``), so a check
never imports ruamel. A document libyaml refuses is composed again by ruamel, whose message is
the one reported (or whose tree is used: libyaml refuses an anchor defined twice, which YAML
allows). Files that cannot matter to any enabled rule (no AWS, IAM or local reusable workflow
in the text) are not parsed at all.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from oidcify.check.sources import Source
from oidcify.errors import InputError
from oidcify.utf8 import decode_strict
from oidcify.workflows.model import Workflow, build
from oidcify.workflows.nodes import Node, adopt, compose

try:  # PyYAML built with libyaml; without it every file takes ruamel's path
    import yaml
    from yaml._yaml import CParser

    _YAML_ERROR: type[Exception] = yaml.YAMLError
    _TAGS = {
        yaml.ScalarNode: "tag:yaml.org,2002:str",
        yaml.MappingNode: "tag:yaml.org,2002:map",
        yaml.SequenceNode: "tag:yaml.org,2002:seq",
    }
    adopt(yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode)

    class _Composer(CParser):  # type: ignore[misc]
        """libyaml's composer without implicit tag resolution: the model reads scalars as
        written, so resolving ``on`` or ``1`` to bool or int would only cost time."""

        def resolve(self, kind: type, value: object, implicit: object) -> str:
            return _TAGS[kind]

        def descend_resolver(self, parent: object, index: object) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    COMPOSER: type | None = _Composer
except (ImportError, AttributeError):  # pragma: no cover - depends on how PyYAML was built
    COMPOSER = None


def relevant(text: str) -> bool:
    """Whether ``text`` is worth a model: AWS or IAM anywhere (keys, actions, secrets' names) or
    a call of a reusable workflow, which may be of the same repository, by its local path or in
    full (its callee may mint tokens)."""
    lowered = text.lower()  # then str's substring search: 6 times faster than an re.I search
    return "aws" in lowered or "iam" in lowered or "/.github/workflows/" in lowered


class Loaded:  # a plain class, not a dataclass: see workflows/model.py
    """One file of a check: its text and model, or why it has none."""

    __slots__ = ("error", "source", "text", "workflow")

    def __init__(self, source: Source) -> None:
        self.source = source
        self.text: str | None = None
        self.workflow: Workflow | None = None
        self.error: str | None = None  # why the file could not be read or parsed

    def __repr__(self) -> str:
        return f"Loaded({self.source.display!r})"


def _fast_compose(text: str) -> Node | None:
    if COMPOSER is None or text.startswith("\ufeff"):
        return None  # libyaml would count the BOM in its offsets; ruamel does not
    composer = COMPOSER(text)
    try:
        node: Node | None = composer.get_single_node()
    except _YAML_ERROR:
        return None
    finally:
        composer.dispose()
    return node  # None for an empty file: ruamel's message says so


def parse(key: str, text: str) -> Workflow:
    """The model of ``text``; an InputError naming ``key`` when it is not a workflow."""
    root = _fast_compose(text)
    if root is None:  # e.g. a reused anchor, which YAML allows and libyaml refuses
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel warns about the reused anchor on stderr
            root = compose(text, key)
    return build(key, text, root)


def read(path: Path) -> str:
    """The text of a workflow file, decoded strictly (a stray byte is an error naming it).
    Unlike the retrofit, which writes, a check may read a file that a symlink points to."""
    try:
        with path.open("rb", buffering=0) as handle:  # no buffer object: a third faster
            data = handle.readall()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", field=path.as_posix()) from None
    return decode_strict(data, path.as_posix())


def load(source: Source, *, everything: bool = False) -> Loaded:
    """Read ``source`` and, when it can matter (or ``everything``), parse it."""
    loaded = Loaded(source)
    path = source.path
    try:
        loaded.text = read(path)
    except InputError as err:
        loaded.error = err.message
        return loaded
    if everything or relevant(loaded.text):
        try:
            loaded.workflow = parse(source.key, loaded.text)
        except InputError as err:
            loaded.error = err.message
    return loaded
