"""An offline ``terraform plan`` of a configuration, as JSON: the exact trust policies it would
send to IAM. Kept to one function (``plan_json``) so that it can be swapped for the shared
Terraform runner.

The plan runs in a scratch copy (nothing is written into the user's folder) with mock AWS
credentials that skip every AWS call; ``terraform init`` takes the AWS provider from a local
mirror when there is one (``$OIDCIFY_TF_PLUGIN_DIR``, else ``/opt/tf-plugins`` if present).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from oidcify.errors import InputError, ToolError

PLUGIN_DIR_ENV = "OIDCIFY_TF_PLUGIN_DIR"
CONVENTIONAL_PLUGIN_DIR = Path("/opt/tf-plugins")
_MOCK = """\
# Written by oidcify check for an offline plan; never part of the configuration.
provider "aws" {
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true%s
}
"""
_PROVIDER = re.compile(r'^\s*provider\s+"aws"\s*\{', re.MULTILINE)
_TIMEOUT = 600


def _plugin_dir() -> Path | None:
    chosen = os.environ.get(PLUGIN_DIR_ENV)
    if chosen:
        return Path(chosen)
    return CONVENTIONAL_PLUGIN_DIR if CONVENTIONAL_PLUGIN_DIR.is_dir() else None


def _terraform(binary: Path, args: list[str], cwd: Path) -> str:
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
    try:
        done = subprocess.run([str(binary), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=_TIMEOUT, check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ToolError(f"terraform {args[0]} did not run: {err}", field="terraform") from None
    if done.returncode != 0:
        lines = [ln.strip() for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        first = next((ln for ln in lines if ln.startswith("Error")), lines[0] if lines else "")
        error = ToolError if args[0] == "init" else InputError
        raise error(f"terraform {args[0]} failed: {first}", field="--terraform")
    return done.stdout


def plan_json(terraform: Path, config: Path) -> dict[str, Any]:
    """``terraform show -json`` of an offline plan of ``config``."""
    with tempfile.TemporaryDirectory(prefix="oidcify-plan-") as scratch:
        work = Path(scratch) / "config"
        ignore = shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl")
        shutil.copytree(config, work, ignore=ignore)
        has_provider = any(_PROVIDER.search(p.read_text(encoding="utf-8", errors="replace"))
                           for p in work.glob("*.tf"))  # fmt: skip
        name = "oidcify_mock_override.tf" if has_provider else "oidcify_mock_provider.tf"
        region = "" if has_provider else '\n  region                      = "us-east-1"'
        (work / name).write_text(_MOCK % region, encoding="utf-8")
        init = ["init", "-backend=false", "-input=false", "-no-color"]
        if (plugins := _plugin_dir()) is not None:
            init.append(f"-plugin-dir={plugins}")
        _terraform(terraform, init, work)
        plan = ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color",
                "-out=oidcify.tfplan"]  # fmt: skip
        _terraform(terraform, plan, work)
        shown = _terraform(terraform, ["show", "-json", "-no-color", "oidcify.tfplan"], work)
    data: dict[str, Any] = json.loads(shown)
    return data
