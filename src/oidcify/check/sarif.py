"""A check's report as SARIF 2.1.0, the way GitHub code scanning reads it.

One run, tool ``oidcify`` with every rule a result refers to (and every enabled own rule) in
``tool.driver.rules``: id, name, short and full description, help (text and markdown),
default level and properties (tags, ``security-severity`` for security rules so GitHub ranks
them). Results carry ``ruleId``, ``ruleIndex``, ``level``, a message and one physical location
whose URI is relative to the working directory (``uriBaseId: %SRCROOT%``; the upload action's
checkout), with 1-based ``startLine``/``startColumn``. A file outside the working directory gets
an absolute ``file://`` URI instead.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from oidcify import __version__
from oidcify.check.findings import Finding, Report, RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SECURITY = {"OC102": "7.5", "OC103": "8.1", "OC201": "5.0", "OC203": "9.1", "OC204": "7.5",
             "OC205": "6.5", "OC206": "8.1", "OC107": "5.5"}  # fmt: skip


def _rule(info: RuleInfo) -> dict[str, Any]:
    properties: dict[str, Any] = {"tags": ["oidcify", *info.tags] if info.id.startswith("OC")
                                  else list(info.tags) or ["actionlint"]}  # fmt: skip
    if info.id in _SECURITY:
        properties["tags"].append("security")
        properties["security-severity"] = _SECURITY[info.id]
    return {
        "id": info.id,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": f"{info.summary}. {info.help}"},
        "help": {"text": info.help, "markdown": f"**{info.summary}**\n\n{info.help}"},
        "defaultConfiguration": {"level": info.severity, "enabled": info.default},
        "properties": properties,
    }


def _location(finding: Finding, cwd: Path) -> dict[str, Any]:
    path = Path(finding.path)
    if path.is_absolute() or finding.path.startswith("../"):
        uri: dict[str, Any] = {"uri": (cwd / path).resolve().as_uri()}
    else:
        uri = {"uri": quote(PurePosixPath(finding.path).as_posix()), "uriBaseId": "%SRCROOT%"}
    region = {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)}
    return {"physicalLocation": {"artifactLocation": uri, "region": region}}


def sarif(report: Report, cwd: Path | None = None) -> dict[str, Any]:
    cwd = cwd or Path.cwd()
    rules = sorted(report.rules.values(), key=lambda r: (not r.id.startswith("OC"), r.id))
    index = {info.id: i for i, info in enumerate(rules)}
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": f.severity,
            "message": {"text": f.message},
            "locations": [_location(f, cwd)],
        }
        for f in report.findings
    ]
    driver = {"name": "oidcify", "version": __version__, "semanticVersion": __version__,
              "rules": [_rule(r) for r in rules]}  # fmt: skip
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": cwd.resolve().as_uri() + "/"}},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def as_sarif(report: Report, cwd: Path | None = None) -> str:
    return json.dumps(sarif(report, cwd))
