"""Reading and composing workflow files: libyaml's composer gives the same tree and positions
as ruamel's; files libyaml cannot take fall back to ruamel, with its message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from oidcify.check import loading
from oidcify.check.sources import Source
from oidcify.workflows.nodes import MappingNode, Node, ScalarNode, SequenceNode, compose

TEXT = """\
name: é deploy   # non-ASCII before the marks
on:
  push:
    branches: [main, "release/*"]
  workflow_dispatch:
defaults: &d
  run: {shell: bash}
jobs:
  deploy:
    runs-on: ubuntu-latest
    defaults: *d
    steps:
      - uses: aws-actions/configure-aws-credentials@{SHA} # v6.2.3
        with:
          role-to-assume: >-
            arn:aws:iam::123456789012:role/deploy
""".replace("{SHA}", "e6de054238d6b7531b4efff3b6587d9aade6a06c")


def shape(node: Node) -> Any:
    if isinstance(node, ScalarNode):
        start, end = node.start_mark, node.end_mark
        marks = () if node.value == "" else (start.index, end.index, start.line, start.column)
        return (node.value, *marks)
    if isinstance(node, SequenceNode):
        return [shape(item) for item in node.value]
    assert isinstance(node, MappingNode)
    return [(shape(k), shape(v)) for k, v in node.value]


def test_fast_composer_matches_ruamel() -> None:
    fast = loading.parse("w.yml", TEXT)
    assert shape(fast.node) == shape(compose(TEXT, "w.yml"))
    step = fast.jobs["deploy"].steps[0]
    assert (step.line, step.column) == (13, 9)
    assert step.uses is not None and step.uses.version == (6, 2, 3)  # comment read at end mark


@pytest.mark.parametrize("text", ["\ufeff" + TEXT, TEXT.replace("# non-ASCII", "\t# non-ASCII")])
def test_bom_and_tabs(text: str) -> None:
    wf = loading.parse("w.yml", text)
    assert wf.jobs["deploy"].steps[0].line == 13


def test_errors_name_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_bytes(b"on: push\njobs:\n  a: \xff\n")
    loaded = loading.load(Source(bad, "bad.yml", None), everything=True)
    assert loaded.error == "not UTF-8: byte 0xff at line 3, column 6; save the file as UTF-8"
    broken = tmp_path / "broken.yml"
    broken.write_text("on: [push\njobs: {}\n", encoding="utf-8")
    loaded = loading.load(Source(broken, "broken.yml", None), everything=True)
    assert loaded.error is not None and loaded.error.startswith("malformed YAML at line")


def test_files_that_cannot_matter_are_read_but_not_parsed(tmp_path: Path) -> None:
    plain = tmp_path / "ci.yml"
    plain.write_text("on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n")
    loaded = loading.load(Source(plain, "ci.yml", None))
    assert loaded.text is not None and loaded.workflow is None
    assert loading.load(Source(plain, "ci.yml", None), everything=True).workflow is not None


def test_a_reused_anchor_falls_back_to_ruamel_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    text = "on: push\njobs:\n  a:\n    runs-on: &r x\n  b:\n    runs-on: &r y\n"
    wf = loading.parse("w.yml", text)
    assert list(wf.jobs) == ["a", "b"]
    assert capsys.readouterr().err == ""


def test_a_check_never_imports_ruamel(tmp_path: Path) -> None:
    (tmp_path / "deploy.yml").write_text(TEXT, encoding="utf-8")
    probe = (
        "import sys\nfrom oidcify.check import engine\nfrom oidcify.check.options import Options\n"
        f"report = engine.check(Options(paths=({str(tmp_path)!r},), use_actionlint=False))\n"
        "print(report.files, sorted(m for m in sys.modules if m.startswith('ruamel')))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1 []"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("uses: AWS-Actions/x@v1", True),
        ("role: ${{ vars.Iam_Role }}", True),
        ("uses: ./.GitHub/Workflows/deploy.yml", True),
        ("uses: ./.github/workflow/x.yml", False),
        ("a w s, i-a-m", False),
    ],
)
def test_relevance_ignores_case(text: str, wanted: bool) -> None:
    assert loading.relevant(text) is wanted
