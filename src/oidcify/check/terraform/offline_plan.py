"""An offline ``terraform plan`` of a configuration, as JSON: the exact trust policies it would
send to IAM. The plan itself is :func:`oidcify.terraform.mock_plan` (scratch copy, mock
credentials, local provider mirror); this module turns its failures into check's errors.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from oidcify import terraform as runner
from oidcify.errors import InputError, ToolError


def plan_json(terraform: Path, config: Path) -> dict[str, Any]:
    """``terraform show -json`` of an offline plan of ``config``."""
    with tempfile.TemporaryDirectory(prefix="oidcify-plan-") as scratch:
        result = runner.mock_plan(
            terraform, config, Path(scratch) / "config", plugins=runner.plugin_dir()
        )
    if result.plan is not None:
        return result.plan
    failed = result.steps[-1]
    lines = [line.strip() for line in failed.output.splitlines() if line.strip()]
    first = next((line for line in lines if line.startswith("Error")), lines[0] if lines else "")
    # init fails when terraform or its provider cannot be had; later steps fail on the config.
    error = ToolError if failed.name == "init" else InputError
    raise error(f"terraform {failed.name} failed: {first}", field="--terraform")
