"""Trust policies from a Terraform folder (``--terraform DIR``): every ``aws_iam_role``'s
``assume_role_policy``.

With terraform installed the policies are taken from an offline plan
(``offline_plan.plan_json``): exactly what IAM would receive. Without it the ``.tf`` files are
read with python-hcl2 (``hcl_policies``), which evaluates what a trust policy usually needs and
refuses, naming terraform as the remedy, what it cannot evaluate faithfully.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from oidcify import tools
from oidcify.check.policies import TrustPolicy
from oidcify.check.sources import display
from oidcify.check.terraform.role_location import role_arn, role_locator
from oidcify.conflicts import has_markers
from oidcify.errors import InputError, ToolError
from oidcify.iam import parse_policy


def _files(folder: Path) -> list[Path]:
    found = sorted(
        p for p in folder.iterdir()
        if (p.suffix in (".tf", ".tfvars") or p.name.endswith(".tfvars.json")) and p.is_file()
    )  # fmt: skip
    if not any(p.suffix == ".tf" for p in found):
        raise InputError("no .tf files in this folder", field="--terraform")
    return found


def _resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)


def from_plan(plan: dict[str, Any], texts: list[tuple[str, str]]) -> list[TrustPolicy]:
    found = []
    root = plan.get("planned_values", {}).get("root_module", {})
    for resource in _resources(root):
        if resource.get("type") != "aws_iam_role":
            continue
        values = resource.get("values", {})
        document = values.get("assume_role_policy")
        address = str(resource.get("address"))
        if not isinstance(document, str):
            raise InputError(
                f"{address}: assume_role_policy is not known at plan time "
                "(built from values known only after apply)",
                field="--terraform",
            )
        locator = role_locator(texts, str(resource.get("name")))
        name = values.get("name")
        found.append(TrustPolicy(
            label=f"role {name}" if isinstance(name, str) else address,
            policy=parse_policy(document, origin=address),
            locator=locator,
            role_arn=role_arn(document, values),
        ))  # fmt: skip
    return found


def load(folder: Path, cwd: Path) -> tuple[list[TrustPolicy], list[Path]]:
    """The trust policies of the roles in ``folder``, and the files read (for leftovers)."""
    if not folder.is_dir():
        reason = "is not a directory" if folder.exists() else "does not exist"
        raise InputError(f"{folder} {reason}", field="--terraform")
    files = _files(folder)
    texts = [(display(p, cwd), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    if any(has_markers(text) for _, text in texts):
        return [], files  # OC108 reports the markers; terraform could not read the files
    try:
        terraform = tools.find(tools.TERRAFORM)
    except ToolError:
        from oidcify.check.terraform import hcl_policies  # noqa: PLC0415 - python-hcl2 lazily

        policies = hcl_policies.policies(folder, texts)
    else:
        from oidcify.check.terraform.offline_plan import plan_json  # noqa: PLC0415

        policies = from_plan(plan_json(terraform, folder), texts)
    if not policies:
        raise InputError("no aws_iam_role in this configuration", field="--terraform")
    return policies, files
