"""A check's report as text (``file:line:col: message [rule-id]``, one finding a line, the way
compilers and actionlint print) or as JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from oidcify.check.findings import Report, RuleInfo


def text(report: Report) -> str:
    lines = [f"{f.path}:{f.line or 1}:{f.column}: {f.message} [{f.rule}]"
             for f in report.findings]  # fmt: skip
    return "\n".join(lines)


def summary(report: Report) -> str:
    if report.clean:
        return f"{report.files} workflow file(s) checked: no findings"
    counts = Counter(f.severity for f in report.findings)
    parts = ", ".join(f"{counts[s]} {s}(s)" for s in ("error", "warning", "note") if counts[s])
    return f"{report.files} workflow file(s) checked: {len(report.findings)} finding(s) ({parts})"


def _rule(info: RuleInfo) -> dict[str, Any]:
    return {"id": info.id, "name": info.name, "severity": info.severity,
            "summary": info.summary, "help": info.help}  # fmt: skip


def as_json(report: Report) -> str:
    data = {
        "files": report.files,
        "findings": [
            {"rule": f.rule, "source": f.source, "severity": f.severity, "path": f.path,
             "line": f.line, "column": f.column, "message": f.message}
            for f in report.findings
        ],
        "counts": dict(sorted(Counter(f.rule for f in report.findings).items())),
        "rules": [_rule(info) for info in sorted(report.rules.values(), key=lambda r: r.id)],
        "notes": report.notes,
    }  # fmt: skip
    return json.dumps(data)  # compact: the C encoder, ten times faster on large reports
