from __future__ import annotations

import stat
from pathlib import Path

import pytest

from oidcify import gates

GOOD = """\
name: ok
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
"""
BAD = GOOD.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: soon")


def _workflow(root: Path, name: str, text: str) -> Path:
    path = root / ".github" / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _exits(tmp_path: Path, code: int) -> Path:
    program = tmp_path / f"exit{code}"
    program.write_text(f"#!/bin/sh\necho 'not what you expected'\nexit {code}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_discovery(tmp_path: Path) -> None:
    a = _workflow(tmp_path, "a.yml", GOOD)
    b = _workflow(tmp_path, "b.yaml", GOOD)
    _workflow(tmp_path, "notes.txt", "")
    for tf in ("infra/main.tf", "infra/.terraform/modules/m/main.tf", "other/x/y.tf"):
        (tmp_path / tf).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / tf).write_text("")
    assert gates.workflow_files(tmp_path) == [a, b]
    assert gates.terraform_dirs(tmp_path) == [tmp_path / "infra", tmp_path / "other" / "x"]


@pytest.mark.slow
def test_actionlint_passes_and_fails(actionlint_bin: Path, tmp_path: Path) -> None:
    good = _workflow(tmp_path, "good.yml", GOOD)
    bad = _workflow(tmp_path, "bad.yml", BAD)
    assert gates.actionlint(actionlint_bin, [good]).status == "passed"
    result = gates.actionlint(actionlint_bin, [good, bad])
    assert result.status == "failed"
    assert result.summary == "1 finding(s)"
    assert "bad.yml:7:" in result.details and "good.yml" not in result.details


def test_a_tool_that_does_not_work_is_an_error_not_a_finding(tmp_path: Path) -> None:
    workflow = _workflow(tmp_path, "a.yml", GOOD)
    for gate in (gates.actionlint, gates.zizmor):
        result = gate(_exits(tmp_path, 2), [workflow])
        assert result.status == "error", gate
        assert "not what you expected" in result.details


def test_nothing_to_check_is_skipped(tmp_path: Path) -> None:
    program = _exits(tmp_path, 0)
    assert gates.actionlint(program, []).status == "skipped"
    assert gates.zizmor(program, []).status == "skipped"
    assert gates.terraform_gate(program, [], tmp_path).status == "skipped"


def test_run_reports_a_missing_tool_and_runs_the_rest(tmp_path: Path) -> None:
    _workflow(tmp_path, "a.yml", GOOD)
    results = gates.run(
        tmp_path,
        ["actionlint", "zizmor"],
        tool_paths={"actionlint": tmp_path / "no-such-actionlint", "zizmor": _exits(tmp_path, 0)},
        scratch=tmp_path / "scratch",
    )
    assert [(r.gate, r.status) for r in results] == [("actionlint", "missing"), ("zizmor", "error")]
    assert "no-such-actionlint" in results[0].summary


@pytest.mark.slow
def test_terraform_gate_fails_on_formatting_before_planning(
    terraform_bin: Path, tmp_path: Path
) -> None:
    config = tmp_path / "infra"
    config.mkdir()
    (config / "main.tf").write_text("locals {\na    = 1\n}\n")
    result = gates.terraform_gate(terraform_bin, [config], tmp_path / "scratch")
    assert result.status == "failed"
    assert "fmt" in result.summary and "main.tf" in result.details
    assert not (tmp_path / "scratch").exists()


def test_a_tool_that_cannot_start_is_an_error(tmp_path: Path) -> None:
    workflow = _workflow(tmp_path, "a.yml", GOOD)
    broken = tmp_path / "broken"
    broken.write_text("not a program")
    broken.chmod(0o755)
    result = gates.actionlint(broken, [workflow])
    assert (result.status, result.summary) == ("error", "did not run")
