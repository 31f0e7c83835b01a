"""The catch-all of every entry point: a bug is one line, a log file with the traceback and exit
code 70; an OS error naming a path is one plain line and exit 2."""

from __future__ import annotations

import argparse
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oidcify import cli, demo, error_handler
from oidcify.errors import ExitCode, InputError, describe_os_error, describe_read_error

# A command whose run() has a bug: a real process, so nothing of the test harness catches it.
CRASHING = """
import sys
from oidcify import cli
from oidcify.commands import pins

def run(args):
    return {}["no such key"]

pins.run = run
sys.exit(cli.main(["pins", "list"]))
"""


def _crash(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CRASHING],
        capture_output=True,
        text=True,
        env={**os.environ, "OIDCIFY_LOG_DIR": str(tmp_path / "logs"), **env},
        check=False,
    )


def test_a_bug_is_one_line_a_log_file_and_its_own_exit_code(tmp_path: Path) -> None:
    done = _crash(tmp_path)
    assert done.returncode == ExitCode.BUG == 70
    assert done.stdout == ""
    line = done.stderr
    assert line.count("\n") == 1 and "Traceback" not in line
    assert line.startswith("oidcify pins: bug: unexpected KeyError: 'no such key'; ")
    assert "this is a bug in oidcify" in line
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and f"the traceback is in {logs[0]})" in line
    log = logs[0].read_text()
    assert "Traceback (most recent call last)" in log and "KeyError: 'no such key'" in log
    assert log.startswith("oidcify ") and "\ncommand: " in log


def test_an_unwritable_log_folder_falls_back_to_another(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("a file where the log folder should be")
    cache = tmp_path / "cache"
    done = _crash(tmp_path, XDG_CACHE_HOME=str(cache))
    assert done.returncode == ExitCode.BUG
    logs = list((cache / "oidcify").iterdir())
    assert len(logs) == 1 and str(logs[0]) in done.stderr


def test_an_os_error_naming_a_path_is_bad_input_in_plain_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def failing() -> int:
        return len(Path("/no/such/place/x.yml").read_text())

    assert error_handler.guarded("oidcify check", failing) == ExitCode.INPUT
    assert capsys.readouterr().err == (
        "oidcify check: error: /no/such/place/x.yml: does not exist\n"
    )


def test_an_os_error_without_a_path_is_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OIDCIFY_LOG_DIR", str(tmp_path))

    def failing() -> int:
        raise OSError(errno.EIO, "Input/output error")

    assert error_handler.guarded("oidcify x", failing) == ExitCode.BUG
    assert "bug: unexpected OSError" in capsys.readouterr().err


def test_domain_errors_interrupts_and_codes_pass_through(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def refused() -> int:
        raise InputError("must be exactly 12 digits", field="aws_account_id")

    def interrupted() -> int:
        raise KeyboardInterrupt

    assert error_handler.guarded("oidcify new", refused) == ExitCode.INPUT
    assert error_handler.guarded("oidcify new", interrupted) == ExitCode.INTERRUPTED
    assert error_handler.guarded("oidcify new", lambda: 1) == 1
    assert capsys.readouterr().err == (
        "oidcify new: error: aws_account_id: must be exactly 12 digits\noidcify new: interrupted\n"
    )


def test_the_demo_uses_the_same_handler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OIDCIFY_LOG_DIR", str(tmp_path / "logs"))

    def broken(dest: Path, selected: object, *, force: bool = False) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(demo, "demo", broken)
    assert demo.main([str(tmp_path / "demo")]) == ExitCode.BUG
    err = capsys.readouterr().err
    assert err.startswith("oidcify demo: bug: unexpected ZeroDivisionError: division by zero;")
    assert len(list((tmp_path / "logs").iterdir())) == 1


def test_exit_code_70_is_documented_where_users_look() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "| 70 |" in readme
    assert "70 a bug in oidcify" in cli.build_parser().format_help().replace("\n", " ")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (errno.ENOENT, "does not exist"),
        (errno.EACCES, "permission denied"),
        (errno.ENOTDIR, "is not a directory (or a folder on its path is a file)"),
        (errno.EISDIR, "is a directory, not a file"),
    ],
)
def test_os_errors_read_plainly(number: int, expected: str) -> None:
    err = OSError(number, os.strerror(number), "/x")
    assert describe_os_error(err) == expected
    assert "Errno" not in describe_read_error(err)


def test_read_errors_read_plainly() -> None:
    assert describe_read_error(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")) == (
        "not UTF-8 text"
    )
    assert describe_read_error(ValueError("Expected '=' \n after a key")) == (
        "Expected '=' after a key"
    )


def test_cli_main_is_guarded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OIDCIFY_LOG_DIR", str(tmp_path))

    def broken(args: argparse.Namespace) -> int:
        raise AssertionError("unreachable state")

    module = cli._command_module("pins")
    monkeypatch.setattr(module, "run", broken)
    assert cli.main(["pins", "list"]) == ExitCode.BUG
