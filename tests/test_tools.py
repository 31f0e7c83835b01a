from __future__ import annotations

import stat
from pathlib import Path

import pytest

from oidcify import tools
from oidcify.errors import ExitCode, ToolError


def _program(directory: Path, name: str = "actionlint") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    program = directory / name
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No actionlint on PATH, in $ACTIONLINT or beside the interpreter."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("ACTIONLINT", raising=False)
    monkeypatch.setattr(tools.sysconfig, "get_path", lambda name: str(empty))
    return empty


def test_flag_wins_over_environment_and_path(
    nowhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flagged = _program(tmp_path / "flag")
    monkeypatch.setenv("ACTIONLINT", str(_program(tmp_path / "env")))
    _program(nowhere)
    assert tools.find(tools.ACTIONLINT, flagged) == flagged


def test_environment_wins_over_path(
    nowhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_env = _program(tmp_path / "env")
    monkeypatch.setenv("ACTIONLINT", str(from_env))
    _program(nowhere)
    assert tools.find(tools.ACTIONLINT) == from_env


def test_path_then_the_interpreters_scripts(
    nowhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / "venv-bin"
    beside = _program(scripts)
    monkeypatch.setattr(tools.sysconfig, "get_path", lambda name: str(scripts))
    assert tools.find(tools.ACTIONLINT) == beside
    on_path = _program(nowhere)
    assert tools.find(tools.ACTIONLINT) == on_path


def test_a_flag_that_does_not_run_names_the_flag(nowhere: Path, tmp_path: Path) -> None:
    (tmp_path / "not-executable").write_text("")
    with pytest.raises(ToolError) as exc:
        tools.find(tools.ACTIONLINT, tmp_path / "not-executable")
    assert exc.value.field == "--actionlint"
    assert exc.value.exit_code == ExitCode.TOOL


def test_a_bad_environment_variable_names_it(
    nowhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIONLINT", "/no/such/actionlint")
    with pytest.raises(ToolError) as exc:
        tools.find(tools.ACTIONLINT)
    assert exc.value.field == "$ACTIONLINT"


def test_missing_everywhere_says_where_it_looked_and_how_to_install(nowhere: Path) -> None:
    with pytest.raises(ToolError) as exc:
        tools.find(tools.ACTIONLINT)
    message = str(exc.value)
    assert message.startswith("actionlint: actionlint not found")
    for place in ("--actionlint", "$ACTIONLINT", "PATH", "oidcify[actionlint]"):
        assert place in message


def test_run_captures_output_and_never_raises(tmp_path: Path) -> None:
    ran = tools.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (ran.returncode, ran.stdout, ran.stderr) == (3, "out\n", "err\n")
    assert ran.output == "out\nerr"
    broken = tmp_path / "broken"
    broken.write_text("not a program")
    broken.chmod(0o755)
    ran = tools.run([broken])
    assert ran.returncode is None and "could not run" in ran.output
    ran = tools.run(["sleep", "5"], timeout=0.2)
    assert ran.returncode is None and ran.output == "timed out after 0.2s"
