"""Where things are in the original text: lines, columns, the last content character of a node,
and the indentation style of a block. The splicing code in ``patch`` builds on these.

Marks from ``compose()`` are character offsets into the text (a BOM counts as one character).
A block node's end mark sits after trailing comments and blank lines, so the end of a node's
*content* is found from its last leaf instead.
"""

from __future__ import annotations

import re

from oidcify.workflows.nodes import MappingNode, Node, ScalarNode, SequenceNode, pairs


class CannotEdit(Exception):
    """The text around an edit is shaped so that oidcify cannot change it safely."""


_KEEP_HEADER = re.compile(r"[|>][1-9]?\+")


class Text:
    """The original text of a file with line arithmetic and its line-ending style."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.bom = text.startswith("\ufeff")
        self.nl = "\r\n" if "\r\n" in text else "\n"

    def line_start(self, index: int) -> int:
        start = self.s.rfind("\n", 0, index) + 1
        return 1 if start == 0 and self.bom else start

    def line_end(self, index: int) -> int:
        """The index just after the newline ending the line that holds ``index``."""
        stop = self.s.find("\n", index)
        return len(self.s) if stop < 0 else stop + 1

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def line_text(self, start: int) -> str:
        return self.s[start : self.line_end(start)]

    def is_blank_line(self, start: int) -> bool:
        return self.line_text(start).strip() == ""

    def is_comment_line(self, start: int) -> bool:
        return self.line_text(start).lstrip().startswith("#")

    def previous_line(self, start: int) -> int | None:
        """Start of the line before the one starting at ``start``; None on the first line."""
        if start <= (1 if self.bom else 0):
            return None
        return self.line_start(start - 1)

    def attached_start(self, start: int) -> int:
        """Move a line start up over the comment lines directly above it (they belong to it)."""
        while (prev := self.previous_line(start)) is not None and self.is_comment_line(prev):
            start = prev
        return start


def anchored(root: Node) -> dict[int, str]:
    """``{id(node): anchor}`` for every node inside an anchored subtree: aliases share those
    nodes, so an edit there would change every place that reuses them."""
    found: dict[int, str] = {}

    def walk(node: Node, anchor: str | None) -> None:
        anchor = anchor or getattr(node, "anchor", None)  # ruamel's nodes have anchors
        if id(node) in found:
            return
        if anchor:
            found[id(node)] = anchor
        children = (
            [n for pair in pairs(node) for n in pair]
            if isinstance(node, MappingNode)
            else (node.value if isinstance(node, SequenceNode) else [])
        )
        for child in children:
            walk(child, anchor)

    walk(root, None)
    return found


def content_end(text: Text, node: Node) -> int:
    """Offset just after the node's last content character (comments and blank lines after it
    excluded, except in a ``|+`` / ``>+`` block scalar, whose trailing newlines are content)."""
    if isinstance(node, ScalarNode):
        end = int(node.end_mark.index)
        if node.style in ("|", ">"):
            header = text.s[node.start_mark.index : node.start_mark.index + 3]
            if _KEEP_HEADER.match(header):
                return end
            while end > node.start_mark.index and text.s[end - 1] in " \t\r\n":
                end -= 1
        return end
    if isinstance(node, MappingNode | SequenceNode) and node.flow_style:
        return int(node.end_mark.index)
    if isinstance(node, MappingNode) and node.value:
        key, value = node.value[-1]
        return pair_end(text, key, value)
    if isinstance(node, SequenceNode) and node.value:
        return content_end(text, node.value[-1])
    return int(node.end_mark.index)


def pair_end(text: Text, key: Node, value: Node) -> int:
    """Offset just after the last content character of a ``key: value`` pair."""
    key_end = int(key.end_mark.index)
    if value.start_mark.index < key_end:
        raise CannotEdit(f"line {key.start_mark.line + 1}: the value is an alias of an anchor")
    if isinstance(value, ScalarNode) and value.value == "" and value.style is None:
        colon = text.s.find(":", key_end)
        return colon + 1 if colon >= 0 else key_end
    return content_end(text, value)


def is_flow(node: Node) -> bool:
    return isinstance(node, MappingNode | SequenceNode) and bool(node.flow_style)


def require_one_line_flow(text: Text, node: Node) -> None:
    if text.s.count("\n", node.start_mark.index, node.end_mark.index):
        raise CannotEdit(
            f"line {node.start_mark.line + 1}: a flow collection spanning several lines"
        )


def first_key_column(text: Text, mapping: MappingNode) -> int:
    key = mapping.value[0][0]
    return text.column(int(key.start_mark.index))


def indent_unit(text: Text, mapping: Node | None, default: int = 2) -> int:
    """The indentation step used below ``mapping``: from its first nested block mapping."""
    for key, value in pairs(mapping):
        if isinstance(value, MappingNode) and value.value and not value.flow_style:
            step = first_key_column(text, value) - text.column(int(key.start_mark.index))
            if step > 0:
                return step
        if isinstance(value, SequenceNode) and value.value and not value.flow_style:
            for item in value.value:
                if isinstance(item, MappingNode) and item.value:
                    return indent_unit(text, item, default)
    return default


def dash_of(text: Text, item: Node) -> int:
    """Offset of the ``-`` that opens a block sequence item: on the item's line, or alone on
    an earlier line (with only blank and comment lines, or a comment after it, in between)."""
    i = int(item.start_mark.index) - 1
    while i >= 0 and text.s[i] in " \t":
        i -= 1
    if i >= 0 and text.s[i] == "-":
        return i
    start = text.previous_line(text.line_start(int(item.start_mark.index)))
    while start is not None:
        line = text.line_text(start)
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            start = text.previous_line(start)
            continue
        rest = stripped[1:].strip()
        if stripped.startswith("-") and (not rest or rest.startswith("#")):
            return start + line.index("-")
        break
    raise CannotEdit(f"line {item.start_mark.line + 1}: cannot find the item's '-'")
