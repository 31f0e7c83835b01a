"""The gates generated output must pass: actionlint, zizmor and Terraform (fmt, validate, plan).

Each gate takes many files or directories at once, so callers that check many rendered projects
(the tests) start each tool as few times as it allows. ``run`` checks one project for
``oidcify new`` and ``make demo``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from oidcify import terraform, tools
from oidcify.errors import ToolError

GATES: tuple[str, ...] = ("actionlint", "zizmor", "terraform")
ZIZMOR_ARGS = ("--offline", "--persona=auditor")
# failed: findings; skipped: nothing to check; missing: the tool is not installed;
# error: the tool ran but did not work.
Status = Literal["passed", "failed", "skipped", "missing", "error"]


@dataclass(frozen=True)
class GateResult:
    """What one gate found, and for the terraform gate the plan of each configuration."""

    gate: str
    status: Status
    summary: str
    details: str = ""
    seconds: float = 0.0
    plans: Mapping[Path, dict[str, Any]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def workflow_files(root: Path) -> list[Path]:
    workflows = root / ".github" / "workflows"
    return sorted(p for p in workflows.glob("*") if p.suffix in {".yml", ".yaml"})


def terraform_dirs(root: Path) -> list[Path]:
    """Directories holding ``*.tf`` files, outside Terraform's own ``.terraform`` caches."""
    found = {p.parent for p in root.rglob("*.tf") if ".terraform" not in p.parts}
    return sorted(found)


def actionlint(program: Path, files: Sequence[Path]) -> GateResult:
    """actionlint over ``files``: exit 0 is clean, 1 lists findings, anything else is an error."""
    if not files:
        return GateResult("actionlint", "skipped", "no workflow files")
    done = tools.run([program, "-no-color", "-oneline", *files])
    findings, seconds = done.stdout.strip(), done.seconds
    if done.returncode == 0:
        return GateResult(
            "actionlint", "passed", f"{len(files)} workflow(s), no findings", seconds=seconds
        )
    if done.returncode == 1:
        count = len(findings.splitlines())
        return GateResult("actionlint", "failed", f"{count} finding(s)", findings, seconds)
    return _error("actionlint", done)


def _error(gate: str, done: tools.Ran) -> GateResult:
    ended = "did not run" if done.returncode is None else f"exit {done.returncode}"
    return GateResult(gate, "error", ended, done.output, done.seconds)


def _zizmor_line(finding: dict[str, Any]) -> str:
    primary = next(
        (loc for loc in finding["locations"] if loc["symbolic"]["kind"] == "Primary"),
        finding["locations"][0],
    )
    path = primary["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
    row = primary["concrete"]["location"]["start_point"]["row"] + 1
    severity = finding["determinations"]["severity"].lower()
    return f"{path}:{row}: {finding['ident']} ({severity}): {finding['desc']}"


def zizmor(program: Path, paths: Sequence[Path]) -> GateResult:
    """``zizmor --offline --persona=auditor`` over ``paths`` (files or repositories)."""
    if not paths:
        return GateResult("zizmor", "skipped", "nothing to audit")
    done = tools.run([program, *ZIZMOR_ARGS, "--format=json-v1", "--no-progress", *paths])
    seconds = done.seconds
    try:
        findings = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        findings = None
    if not isinstance(findings, list) or done.returncode not in {0, *range(10, 15)}:
        return _error("zizmor", done)
    if not findings:
        return GateResult("zizmor", "passed", f"{len(paths)} path(s), no findings", seconds=seconds)
    lines = "\n".join(_zizmor_line(finding) for finding in findings)
    return GateResult("zizmor", "failed", f"{len(findings)} finding(s)", lines, seconds)


def terraform_gate(
    program: Path, configs: Sequence[Path], scratch: Path, *, plugins: Path | None = None
) -> GateResult:
    """``terraform fmt -check`` over all ``configs``, then validate and a mock plan of each.

    Plans run in parallel, one per CPU, in ``scratch/<n>``; ``plans`` maps each config to its plan.
    """
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 (imports logging: lazy)

    if not configs:
        return GateResult("terraform", "skipped", "no Terraform configuration")
    start = time.perf_counter()
    fmt = terraform.fmt_check(program, list(configs))
    if not fmt.ok:
        summary = "terraform fmt -check: files need formatting"
        return GateResult("terraform", "failed", summary, fmt.output, time.perf_counter() - start)

    def plan(n: int) -> terraform.PlanResult:
        return terraform.mock_plan(program, configs[n], scratch / str(n), plugins=plugins)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = dict(zip(configs, pool.map(plan, range(len(configs))), strict=True))
    seconds = time.perf_counter() - start
    problems = [_plan_one_problem(c, r) for c, r in results.items() if not r.ok]
    if problems:
        summary = f"{len(problems)} of {len(configs)} configuration(s) failed"
        return GateResult("terraform", "failed", summary, "\n\n".join(problems), seconds)
    plans = {c: r.plan for c, r in results.items() if r.plan is not None}
    summary = f"fmt, validate and plan of {len(configs)} configuration(s) succeeded"
    return GateResult("terraform", "passed", summary, seconds=seconds, plans=plans)


def _plan_one_problem(config: Path, result: terraform.PlanResult) -> str:
    failed = result.steps[-1]
    return f"{config}: terraform {failed.name} failed:\n{failed.output}"


def run(
    root: Path,
    gates: Iterable[str] = GATES,
    *,
    tool_paths: Mapping[str, str | Path | None] | None = None,
    scratch: Path,
    plugins: Path | None = None,
) -> list[GateResult]:
    """Run ``gates`` over the project at ``root``; a gate whose tool is missing is ``skipped``."""
    results = []
    for gate in gates:
        try:
            program = tools.find(tools.TOOLS[gate], (tool_paths or {}).get(gate))
        except ToolError as err:
            results.append(GateResult(gate, "missing", str(err)))
            continue
        if gate == "actionlint":
            results.append(actionlint(program, workflow_files(root)))
        elif gate == "zizmor":
            results.append(zizmor(program, [root]))
        else:
            results.append(terraform_gate(program, terraform_dirs(root), scratch, plugins=plugins))
    return results
