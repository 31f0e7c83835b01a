"""Terraform over a generated configuration without touching AWS: fmt, validate, plan, and the
exact trust policy the plan would send.

The plan runs in a scratch copy of the configuration with a provider override that carries mock
credentials and skips every AWS call, so no account is contacted and nothing is written into the
user's directory. Because the template builds the trust policy from known values only, the
plan's JSON holds the policy verbatim. ``terraform init`` installs the AWS provider from a local
mirror when one is given (``--plugin-dir``, ``$OIDCIFY_TF_PLUGIN_DIR``, or ``/opt/tf-plugins``
where that exists), else from the registry.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oidcify import tools
from oidcify.errors import InputError

PLUGIN_DIR_ENV = "OIDCIFY_TF_PLUGIN_DIR"
CONVENTIONAL_PLUGIN_DIR = Path("/opt/tf-plugins")
ROLE_ADDRESS = "aws_iam_role.github_actions"
OVERRIDE_FILE = "oidcify_mock_provider_override.tf"
# A configuration without its own `provider "aws"` block (a user's module, say) gets a whole mock
# provider instead: an override file cannot override a block that does not exist.
STANDALONE_FILE = "oidcify_mock_provider.tf"
_AWS_PROVIDER = re.compile(r'^\s*provider\s+"aws"\s*\{', re.MULTILINE)
PLAN_FILE = "oidcify.tfplan"
MOCK_PROVIDER = """\
# Written by oidcify for an offline plan; never part of the generated configuration.
provider "aws" {
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""
_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Step:
    """One terraform command: its name, whether it succeeded, what it said, how long it took."""

    name: str
    ok: bool
    output: str
    seconds: float


@dataclass
class PlanResult:
    steps: list[Step] = field(default_factory=list)
    plan: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.plan is not None and all(step.ok for step in self.steps)


def plugin_dir(explicit: str | Path | None = None) -> Path | None:
    """The provider mirror for ``terraform init``, or None to use the registry."""
    chosen = explicit or os.environ.get(PLUGIN_DIR_ENV)
    if chosen:
        if not Path(chosen).is_dir():
            raise InputError(f"{chosen} is not a directory", field="--plugin-dir")
        return Path(chosen)
    return CONVENTIONAL_PLUGIN_DIR if CONVENTIONAL_PLUGIN_DIR.is_dir() else None


def _run(terraform: Path, name: str, args: list[str], cwd: Path | None = None) -> tuple[Step, str]:
    """Run one command; the Step carries stdout and stderr for people, the str is stdout alone."""
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
    # Terraform and the AWS provider are Go programs that spend much of each start collecting
    # garbage while loading the provider's schema; GOGC=400 (unless set) saves about a fifth.
    env.setdefault("GOGC", "400")
    ran = tools.run([terraform, *args], cwd=cwd, env=env, timeout=_TIMEOUT_SECONDS)
    return Step(name, ran.returncode == 0, ran.output, ran.seconds), ran.stdout


def fmt_check(terraform: Path, directories: list[Path]) -> Step:
    """``terraform fmt -check`` over every directory at once; the output lists unformatted files."""
    args = ["fmt", "-check", "-list=true", "-recursive", "-no-color", *map(str, directories)]
    return _run(terraform, "fmt", args)[0]


def _scratch_copy(config: Path, scratch: Path) -> None:
    if scratch.exists():
        shutil.rmtree(scratch)
    ignore = shutil.ignore_patterns(
        ".terraform", "*.tfstate*", ".terraform.lock.hcl", PLAN_FILE, OVERRIDE_FILE, STANDALONE_FILE
    )
    shutil.copytree(config, scratch, ignore=ignore)
    texts = (path.read_text(encoding="utf-8", errors="replace") for path in scratch.glob("*.tf"))
    if any(_AWS_PROVIDER.search(text) for text in texts):
        (scratch / OVERRIDE_FILE).write_text(MOCK_PROVIDER, encoding="utf-8")
    else:
        region = '\n  region                      = "us-east-1"\n}'
        (scratch / STANDALONE_FILE).write_text(MOCK_PROVIDER.replace("\n}", region), "utf-8")


def _commands(plugins: Path | None) -> list[tuple[str, list[str]]]:
    init = ["init", "-backend=false", "-input=false", "-no-color"]
    if plugins is not None:
        init.append(f"-plugin-dir={plugins}")
    plan = ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color"]
    return [
        ("init", init),
        ("validate", ["validate", "-no-color"]),
        ("plan", [*plan, f"-out={PLAN_FILE}"]),
        ("show", ["show", "-json", "-no-color", PLAN_FILE]),
    ]


def mock_plan(
    terraform: Path, config: Path, scratch: Path, *, plugins: Path | None = None
) -> PlanResult:
    """init, validate, plan and show the plan as JSON, in a scratch copy of ``config``.

    Stops at the first step that fails; ``result.plan`` is the plan's JSON when all succeed.
    """
    _scratch_copy(config, scratch)
    result = PlanResult()
    stdout = ""
    for name, args in _commands(plugins):
        step, stdout = _run(terraform, name, args, cwd=scratch)
        result.steps.append(step)
        if not step.ok:
            return result
    shown = result.steps[-1]
    result.steps[-1] = Step(shown.name, True, "plan as JSON", shown.seconds)
    result.plan = json.loads(stdout)
    return result


def planned_resource(plan: dict[str, Any], address: str) -> dict[str, Any]:
    """The planned values of the resource at ``address`` in the root module."""
    for resource in plan.get("planned_values", {}).get("root_module", {}).get("resources", []):
        if resource.get("address") == address:
            values: dict[str, Any] = resource["values"]
            return values
    raise InputError(f"the plan has no resource {address}", field="plan")


def trust_policy(plan: dict[str, Any], address: str = ROLE_ADDRESS) -> dict[str, Any]:
    """The role's trust policy exactly as the plan would send it to IAM."""
    document = planned_resource(plan, address).get("assume_role_policy")
    if not isinstance(document, str):
        raise InputError(f"{address}: assume_role_policy is not known at plan time", field="plan")
    policy: dict[str, Any] = json.loads(document)
    return policy
