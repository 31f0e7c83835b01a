"""Reading actionlint's ``{{json .}}`` output into findings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from check_helpers import fake_actionlint
from oidcify.check import actionlint
from oidcify.errors import ToolError


def test_items_become_findings_at_the_paths_shown() -> None:
    items = [
        {"message": "bad label", "filepath": "/abs/ci.yml", "line": 4, "column": 14,
         "kind": "runner-label", "snippet": "x"},
        {"message": "no kind", "filepath": "other.yml", "line": 0, "column": 0},
    ]  # fmt: skip
    found = actionlint.parse(json.dumps(items) + "\n", {"/abs/ci.yml": "ci.yml"})
    assert [(f.rule, f.path, f.line, f.column, f.message, f.severity) for f in found] == [
        ("actionlint:runner-label", "ci.yml", 4, 14, "bad label", "error"),
        ("actionlint:unknown", "other.yml", 0, 1, "no kind", "error"),
    ]
    assert all(f.source == "actionlint" for f in found)


@pytest.mark.parametrize("output", ["", "null\n", "[]"])
def test_clean_output_gives_no_finding(output: str) -> None:
    assert actionlint.parse(output, {}) == []


@pytest.mark.parametrize(
    "output",
    [
        "not json",
        '[{"line": 1}]',
        "[1]",
        '{"a": 1}',
        '[{"filepath": "x", "line": "one", "message": "m"}]',
    ],
)
def test_unexpected_output_is_a_tool_error(output: str) -> None:
    with pytest.raises(ToolError, match="unexpected output"):
        actionlint.parse(output, {})


@pytest.mark.parametrize("memfd", [True, False])
def test_the_output_is_read_back_with_or_without_memfd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memfd: bool
) -> None:
    if not memfd:
        monkeypatch.delattr(os, "memfd_create", raising=False)  # tempfile's file instead
    fake = fake_actionlint(tmp_path, message="odd", line=2, column=3, kind="syntax-check")
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\n", encoding="utf-8")
    found = actionlint.start(fake, [str(workflow)]).findings({str(workflow): "ci.yml"})
    assert [(f.path, f.line, f.column, f.rule) for f in found] == [
        ("ci.yml", 2, 3, "actionlint:syntax-check")
    ]
