"""Finding the external programs oidcify runs: actionlint, zizmor and terraform.

Each is looked up in the same order: the command-line flag (``--actionlint PATH``), then an
environment variable (``$ACTIONLINT``), then ``PATH``, then the scripts directory of the running
Python, where ``pip install oidcify[actionlint,zizmor]`` put them even when the virtualenv is not
activated (``make demo`` runs ``.venv/bin/python`` directly).
"""

from __future__ import annotations

import os
import shutil
import sysconfig
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


ACTIONLINT = Tool("actionlint", "ACTIONLINT", "pip install 'oidcify[actionlint]'")
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
