"""Minimal text edits spliced into the original file, each paired with the data change it means.

Every primitive records two things: the text edit (offsets into the original text) and the
operation on the parsed data (delete / set / insert at a path). After the edits are applied the
new text is parsed again and must equal the old data with exactly those operations applied; if
not, the file is left untouched (see ``verify``). Offsets always refer to the original text, so
edits never shift each other; they must not overlap.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from oidcify.retrofit.layout import (
    CannotEdit,
    Text,
    content_end,
    dash_of,
    first_key_column,
    is_flow,
    pair_end,
    require_one_line_flow,
)
from oidcify.workflows.nodes import MappingNode, Node, ScalarNode, SequenceNode

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Value:
    """A scalar as it will be written (``text``) and what it parses to (``data``)."""

    text: str
    data: Any
    comment: str = ""  # written after the value in block style (flow style has no room)


Entries = list[tuple[str, Union[Value, "Entries"]]]


def plain(value: str) -> Value:
    return Value(value, value)


def copied(text: Text, node: ScalarNode) -> Value:
    """A one-line scalar copied from elsewhere in the file, quotes and all."""
    source = text.s[node.start_mark.index : node.end_mark.index]
    if "\n" in source or node.style in ("|", ">"):
        return plain(str(node.value))
    return Value(source, node.value)


def data_of(entries: Entries) -> dict[str, Any]:
    return {k: v.data if isinstance(v, Value) else data_of(v) for k, v in entries}


def render(entries: Entries, column: int, unit: int) -> list[str]:
    lines = []
    for key, value in entries:
        if isinstance(value, Value):
            comment = f"  # {value.comment}" if value.comment else ""
            lines.append(f"{' ' * column}{key}: {value.text}{comment}")
        else:
            lines.append(f"{' ' * column}{key}:")
            lines += render(value, column + unit, unit)
    return lines


@dataclass(frozen=True)
class Op:
    kind: Literal["set", "delete", "insert"]
    path: DataPath
    value: Any = None
    index: int = 0


@dataclass
class Patch:
    text: Text
    edits: list[tuple[int, int, int, str]] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    shared: dict[int, str] = field(default_factory=dict)  # from layout.anchored

    def _guard(self, *nodes: Node) -> None:
        for node in nodes:
            if id(node) in self.shared:
                raise CannotEdit(
                    f"line {node.start_mark.line + 1}: inside anchor "
                    f"&{self.shared[id(node)]}, which aliases reuse"
                )

    # -- recording -------------------------------------------------------------------------
    def edit(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def _lines(self, lines: list[str], at: int) -> str:
        """Lines as text to insert at ``at`` (a line start, or the end of a file that lacks a
        final newline, which then still lacks one)."""
        nl = self.text.nl
        if at > 0 and self.text.s[at - 1] == "\n":  # mixed endings: follow the line above
            nl = "\r\n" if self.text.s[at - 2 : at] == "\r\n" else "\n"
        if at == len(self.text.s) and not self.text.s.endswith("\n"):
            return "".join(nl + line for line in lines)
        return "".join(line + nl for line in lines)

    # -- primitives ------------------------------------------------------------------------
    def set_scalar(self, node: Node, new: Value, path: DataPath) -> None:
        """Replace a scalar value in place (its quotes go with it)."""
        self._guard(node)
        if not isinstance(node, ScalarNode) or node.style in ("|", ">"):
            raise CannotEdit(f"line {node.start_mark.line + 1}: expected a one-line value")
        self.edit(node.start_mark.index, node.end_mark.index, new.text)
        self.ops.append(Op("set", path, new.data))

    def replace_pair(
        self, key: Node, value: Node, new_key: str, new: Value, *, path: DataPath
    ) -> None:
        """Turn ``key: value`` into ``new_key: new`` on the same line, keeping its comment."""
        self._guard(key, value)
        self.edit(key.start_mark.index, pair_end(self.text, key, value), f"{new_key}: {new.text}")
        self.ops.append(Op("delete", (*path, str(key.value))))
        self.ops.append(Op("set", (*path, new_key), new.data))

    def scalar_to_block(
        self, key: Node, value: ScalarNode, entries: Entries, *, path: DataPath, unit: int
    ) -> None:
        """``key: scalar`` becomes ``key:`` over a nested block; a comment after the scalar
        stays on the key's line."""
        self._guard(key, value)
        end = int(value.end_mark.index)
        self.edit(int(key.end_mark.index), end, ":")
        lines = render(entries, self.text.column(int(key.start_mark.index)) + unit, unit)
        at = self.text.line_end(end)
        self.edit(at, at, self._lines(lines, at))
        self.ops.append(Op("set", path, data_of(entries)))

    def null_to_block(self, key: Node, entries: Entries, *, path: DataPath, unit: int) -> None:
        """``key:`` with nothing after it (null) gets a nested block on the next lines; a
        comment after the key stays on its line."""
        self._guard(key)
        lines = render(entries, self.text.column(int(key.start_mark.index)) + unit, unit)
        at = self.text.line_end(int(key.end_mark.index))
        self.edit(at, at, self._lines(lines, at))
        self.ops.append(Op("set", path, data_of(entries)))

    def delete_pair(self, mapping: MappingNode, key: Node, path: DataPath) -> None:
        """Remove ``key`` and its value (with any comment on its last line) from ``mapping``."""
        self._guard(mapping)
        index = next(i for i, (k, _) in enumerate(mapping.value) if k is key)
        value = mapping.value[index][1]
        end = pair_end(self.text, key, value)
        if is_flow(mapping):
            require_one_line_flow(self.text, mapping)
            if index + 1 < len(mapping.value):
                self.edit(key.start_mark.index, mapping.value[index + 1][0].start_mark.index, "")
            elif index > 0:
                before = mapping.value[index - 1]
                self.edit(pair_end(self.text, *before), end, "")
            else:
                self.edit(key.start_mark.index, end, "")
        else:
            start = self.text.line_start(key.start_mark.index)
            if self.text.s[start : key.start_mark.index].strip():
                # The first key of a sequence item shares its line with the '-': pull the
                # next key up onto that line instead of deleting the line.
                if index + 1 >= len(mapping.value):
                    raise CannotEdit(f"line {key.start_mark.line + 1}: cannot empty the item")
                self.edit(key.start_mark.index, mapping.value[index + 1][0].start_mark.index, "")
            else:
                self._delete_lines(start, self.text.line_end(end - 1))
        self.ops.append(Op("delete", (*path, str(key.value))))

    def _delete_lines(self, start: int, end: int) -> None:
        """Delete whole lines, except comment-only lines among them: what a user wrote about
        the removed entries stays in the file."""
        kept = [
            line
            for line in self.text.s[start:end].splitlines(keepends=True)
            if line.lstrip().startswith("#")
        ]
        self.edit(start, end, "".join(kept))

    def add_pairs(
        self,
        mapping: MappingNode,
        entries: Entries,
        path: DataPath,
        *,
        unit: int = 2,
        after: Node | None = None,
    ) -> None:
        """Add entries to a mapping, after the pair whose key is ``after`` (default: last)."""
        self._guard(mapping)
        for key, value in entries:
            self.ops.append(
                Op("set", (*path, key), value.data if isinstance(value, Value) else data_of(value))
            )
        if is_flow(mapping):
            self._add_flow(mapping, entries)
            return
        pair = next((p for p in mapping.value if p[0] is after), mapping.value[-1])
        at = self.text.line_end(pair_end(self.text, *pair) - 1)
        lines = render(entries, first_key_column(self.text, mapping), unit)
        self.edit(at, at, self._lines(lines, at))

    def _add_flow(self, mapping: MappingNode, entries: Entries) -> None:
        require_one_line_flow(self.text, mapping)
        if any(not isinstance(v, Value) for _, v in entries):
            raise CannotEdit(f"line {mapping.start_mark.line + 1}: nested value in a flow mapping")
        new = ", ".join(f"{k}: {v.text}" for k, v in entries if isinstance(v, Value))
        if mapping.value:
            at = pair_end(self.text, *mapping.value[-1])
            self.edit(at, at, ", " + new)
        else:
            at = int(mapping.start_mark.index) + 1
            self.edit(at, at, new)

    def add_block_before(
        self,
        mapping: MappingNode,
        before: Node,
        key: str,
        block: Entries,
        *,
        path: DataPath,
        unit: int,
    ) -> None:
        """Insert ``key:`` with a nested block just before the pair whose key is ``before``."""
        self._guard(mapping)
        start = self.text.line_start(before.start_mark.index)
        if self.text.s[start : before.start_mark.index].strip():
            raise CannotEdit(f"line {before.start_mark.line + 1}: key shares its line")
        at = self.text.attached_start(start)
        lines = render([(key, block)], first_key_column(self.text, mapping), unit)
        prev = self.text.previous_line(at)
        if prev is not None and self.text.is_blank_line(prev):
            lines.append("")
        self.edit(at, at, self._lines(lines, at))
        self.ops.append(Op("set", (*path, key), data_of(block)))

    def insert_item(
        self, seq: SequenceNode, index: int, entries: Entries, *, path: DataPath, unit: int
    ) -> None:
        """Insert a mapping item before item ``index`` of a block sequence, in its style."""
        self._guard(seq)
        if is_flow(seq) or index >= len(seq.value):
            raise CannotEdit(f"line {seq.start_mark.line + 1}: cannot insert into this list")
        item = seq.value[index]
        dash = dash_of(self.text, item)
        dash_col = self.text.column(dash)
        item_col = self.text.column(int(item.start_mark.index))
        lines = render(entries, item_col, unit)
        if self.text.line_start(dash) == self.text.line_start(item.start_mark.index):
            lines[0] = " " * dash_col + "-" + lines[0][dash_col + 1 :]
        else:
            lines.insert(0, " " * dash_col + "-")
        at = self.text.attached_start(self.text.line_start(dash))
        if self._blank_separated(seq, index, at):
            lines.append("")
        self.edit(at, at, self._lines(lines, at))
        self.ops.append(Op("insert", path, data_of(entries), index))

    def _blank_separated(self, seq: SequenceNode, index: int, at: int) -> bool:
        if index == 0:
            if len(seq.value) < 2:
                return False
            at = self.text.attached_start(self.text.line_start(dash_of(self.text, seq.value[1])))
        prev = self.text.previous_line(at)
        return prev is not None and self.text.is_blank_line(prev)

    # -- results ---------------------------------------------------------------------------
    def apply(self) -> str:
        """The new text; CannotEdit when two edits overlap."""
        out, pos = [], 0
        for start, end, _, new in sorted(self.edits):
            if start < pos:
                raise CannotEdit("two changes overlap")
            out += [self.text.s[pos:start], new]
            pos = end
        out.append(self.text.s[pos:])
        return "".join(out)

    def expected(self, before: Any) -> Any:
        """``before`` (parsed data) with this patch's operations applied."""
        data = copy.deepcopy(before)
        inserts = []
        for order, op in enumerate(self.ops):
            if op.kind == "insert":
                inserts.append((op.path, op.index, order, op.value))
                continue
            parent = _walk(data, op.path[:-1])
            if op.kind == "delete":
                del parent[op.path[-1]]
            else:
                parent[op.path[-1]] = op.value
        for path, index, _, value in sorted(inserts, key=lambda i: (i[0], -i[1], -i[2])):
            _walk(data, path).insert(index, value)
        return data


def _walk(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


__all__ = ["CannotEdit", "Entries", "Patch", "Value", "content_end", "copied", "plain"]
