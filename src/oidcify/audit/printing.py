"""An audit's report as text (grouped by account, then role), JSON or SARIF 2.1.0.

A finding about a role has the role's ARN as its path and a line of its trust policy as IAM
returns it, pretty-printed (0: the role as a whole); findings about workflow files
(``--workflows``) keep their file paths. In SARIF a role's finding has no file: its location is
a logical location (``fullyQualifiedName`` = the role ARN, ``kind`` = ``resource``), its
message starts with the ARN, and ``partialFingerprints`` (rule, ARN, message) let code scanning
match the alert across runs without a file to fingerprint. Workflow findings keep ``check``'s
physical locations (``check.sarif``).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from oidcify.audit.assess import AuditReport
from oidcify.check.findings import Finding, Report


def _is_role(finding: Finding) -> bool:
    return finding.path.startswith("arn:")


def _account(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 else ""


def text(report: AuditReport) -> str:
    lines: list[str] = []
    by_account: dict[str, dict[str, list[Finding]]] = {}
    for finding in report.findings:
        if _is_role(finding):
            roles = by_account.setdefault(_account(finding.path), {})
            roles.setdefault(finding.path, []).append(finding)
    for account in sorted(by_account):
        lines.append(f"account {account}")
        for arn, found in sorted(by_account[account].items()):
            lines.append(f"  {arn}")
            lines += [f"    {f'line {f.line}: ' if f.line else ''}{f.severity}: {f.message} "
                      f"[{f.rule}]" for f in found]  # fmt: skip
    files = [f for f in report.findings if not _is_role(f)]
    if files:
        lines.append("workflows")
        lines += [f"  {f.path}:{f.line or 1}:{f.column}: {f.severity}: {f.message} [{f.rule}]"
                  for f in files]  # fmt: skip
    lines += [f"account {item}" for item in report.unreachable]
    return "\n".join(lines)


def summary(report: AuditReport) -> str:
    accounts = len({a.account_id for a in report.scope.accounts})
    head = (f"{report.role_count()} role(s) in {accounts} account(s), "
            f"{report.github_count()} trusting GitHub")  # fmt: skip
    if report.unreachable:
        head += f", {len(report.unreachable)} account(s) unreachable"
    if not report.findings:
        return f"{head}: no findings"
    counts = Counter(f.severity for f in report.findings)
    parts = ", ".join(f"{counts[s]} {s}(s)" for s in ("error", "warning", "note") if counts[s])
    return f"{head}: {len(report.findings)} finding(s) ({parts})"


def as_json(report: AuditReport) -> str:
    data = {
        "roles": report.role_count(),
        "github_roles": report.github_count(),
        "accounts": sorted({a.account_id for a in report.scope.accounts}),
        "unreachable": report.unreachable,
        "findings": [
            {"rule": f.rule, "severity": f.severity, "role": f.path if _is_role(f) else None,
             "path": f.path, "line": f.line, "column": f.column, "message": f.message}
            for f in report.findings
        ],
        "counts": dict(sorted(Counter(f.rule for f in report.findings).items())),
        "rules": [{"id": r.id, "name": r.name, "severity": r.severity, "summary": r.summary,
                   "help": r.help} for r in sorted(report.rules.values(), key=lambda r: r.id)],
        "notes": report.notes,
    }  # fmt: skip
    return json.dumps(data)


def _role_result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    digest = hashlib.sha256(f"{finding.rule}\0{finding.path}\0{finding.message}".encode())
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": finding.severity,
        "message": {"text": f"{finding.path}: {finding.message}"},
        "locations": [{"logicalLocations": [
            {"fullyQualifiedName": finding.path, "name": finding.path.rsplit("/", 1)[-1],
             "kind": "resource"},
        ]}],
        "partialFingerprints": {"oidcifyRole/v1": digest.hexdigest()[:32]},
    }  # fmt: skip


def sarif(report: AuditReport, cwd: Path | None = None) -> dict[str, Any]:
    from oidcify.check import sarif as check_sarif

    files = [f for f in report.findings if not _is_role(f)]
    log = check_sarif.sarif(Report(files, report.rules, 0), cwd)
    run = log["runs"][0]
    index = {rule["id"]: i for i, rule in enumerate(run["tool"]["driver"]["rules"])}
    run["results"] += [_role_result(f, index) for f in report.findings if _is_role(f)]
    return log


def render(report: AuditReport, form: str) -> str:
    if form == "sarif":
        return json.dumps(sarif(report))
    if form == "json":
        return as_json(report)
    return text(report)
