from __future__ import annotations

import os
import shutil
import signal
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


@pytest.fixture(params=["posix_spawn", "subprocess"])
def spawning(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """tools.spawn as it runs here, and as it runs where os has no posix_spawn (Windows)."""
    if request.param == "subprocess":
        monkeypatch.delattr(os, "posix_spawn")
    return str(request.param)


def test_spawn_sends_the_output_to_the_files_and_waits(spawning: str, tmp_path: Path) -> None:
    sh = shutil.which("sh")
    assert sh is not None
    with (tmp_path / "out").open("w+b") as out, (tmp_path / "err").open("w+b") as err:
        process = tools.spawn([sh, "-c", "echo out; echo err >&2; exit 3"], out.fileno(),
                              err.fileno())  # fmt: skip
        assert process.wait() == 3
        assert process.poll() == 3
    assert (tmp_path / "out").read_text() == "out\n"
    assert (tmp_path / "err").read_text() == "err\n"


def test_spawn_can_be_killed_and_reports_the_signal(spawning: str, tmp_path: Path) -> None:
    sleep = shutil.which("sleep")
    assert sleep is not None
    with (tmp_path / "out").open("w+b") as out:
        process = tools.spawn([sleep, "30"], out.fileno(), out.fileno())
        assert process.poll() is None
        process.kill()
        assert process.wait() == -signal.SIGKILL
        process.kill()  # after the end: nothing to do, and no stray signal


def test_spawn_gives_the_child_the_signals_python_ignores(spawning: str, tmp_path: Path) -> None:
    status = Path("/proc/self/status")
    cat = shutil.which("cat")
    if not status.exists() or cat is None:
        pytest.skip("needs Linux's /proc")
    with (tmp_path / "out").open("w+b") as out:
        assert tools.spawn([cat, str(status)], out.fileno(), out.fileno()).wait() == 0
    ignored = next(line for line in (tmp_path / "out").read_text().splitlines()
                   if line.startswith("SigIgn:"))  # fmt: skip
    mask = int(ignored.split()[1], 16)
    assert not mask & (1 << (signal.SIGPIPE - 1)), "SIGPIPE stays ignored in the child"


def test_spawn_of_a_file_that_is_no_program_raises(spawning: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.write_text("not a program")
    broken.chmod(0o755)
    with (tmp_path / "out").open("w+b") as out, pytest.raises(OSError):
        tools.spawn([str(broken)], out.fileno(), out.fileno())
