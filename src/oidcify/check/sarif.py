"""A check's report as SARIF 2.1.0, the way GitHub code scanning reads it.

One run, tool ``oidcify`` with every rule a result refers to (and every enabled own rule) in
``tool.driver.rules``: id, name, short and full description, help (text and markdown), a
``helpUri`` (ours: the rule's section of docs/rules.md; actionlint's: its docs/checks.md),
default level and properties (tags, ``security-severity`` for security rules so GitHub ranks
them). Results carry ``ruleId``, ``ruleIndex``, ``level``, a message, ``partialFingerprints``
(rule, file, message and the ordinal among equal ones: no line number, so a result keeps its
identity when lines are added above it) and one physical location whose URI is relative to the
repository root (``uriBaseId: %SRCROOT%``), found from the checked paths (``source_root``), with
1-based ``startLine``/``startColumn``. No absolute path of this machine is written.

A security rule's result that is not a security finding (OC103 on ``pull_request``: forks get
no token, the job just fails) gets a rule of its own, ``OC103/fork-pr-no-token``, without a
``security-severity``: GitHub ranks a rule, not a result.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import quote

from oidcify import __version__
from oidcify.check.findings import REPOSITORY_URL, Finding, Report, RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "oidcify/v1"
_SECURITY = {
    "OC102": "7.5",
    "OC103": "8.1",
    "OC107": "5.5",
    "OC109": "4.0",
    "OC111": "9.1",
    "OC201": "5.0",
    "OC203": "9.1",
    "OC204": "7.5",
    "OC205": "6.5",
    "OC206": "8.1",
}
# (rule, severity) of results that are reliability findings of a security rule: the variant's
# rule id suffix and name.
_RELIABILITY = {("OC103", "warning"): "fork-pr-no-token"}


class SourceRoot(NamedTuple):
    path: Path  # absolute; artifact URIs are relative to it
    git: bool  # False: not in a git repository, the common parent of the checked paths


def source_root(paths: Sequence[str], cwd: Path) -> SourceRoot:
    """The git top level of the checked paths (no PATH: the working directory), found by
    looking for ``.git`` (a folder, or a worktree's file) upwards from their common parent;
    outside a git repository, that common parent."""
    absolute = [os.path.abspath(os.path.join(cwd, p)) for p in paths] or [str(cwd)]  # noqa: PTH100, PTH118
    folders = [p if os.path.isdir(p) else os.path.dirname(p) for p in absolute]  # noqa: PTH112, PTH120
    common = Path(os.path.commonpath(folders))
    for folder in (common, *common.parents):
        if (folder / ".git").exists():
            return SourceRoot(folder, True)
    return SourceRoot(common, False)


def _rule(info: RuleInfo, variant: str | None = None) -> dict[str, Any]:
    own = not info.id.startswith("actionlint:")
    properties: dict[str, Any] = {"tags": ["oidcify", *info.tags] if own
                                  else list(info.tags) or ["actionlint"]}  # fmt: skip
    if variant:
        properties["tags"].append("reliability")
    elif info.id in _SECURITY:
        properties["tags"].append("security")
        properties["security-severity"] = _SECURITY[info.id]
    return {
        "id": f"{info.id}/{variant}" if variant else info.id,
        "name": variant or info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": f"{info.summary}. {info.help}"},
        "help": {"text": info.help, "markdown": f"**{info.summary}**\n\n{info.help}"},
        "helpUri": info.help_uri,
        "defaultConfiguration": {"level": info.severity, "enabled": info.default},
        "properties": properties,
    }


def _uri(finding: Finding, root: Path, cwd: Path) -> str:
    if finding.path.startswith("<"):  # <stdin>
        return quote(finding.path)
    absolute = os.path.abspath(os.path.join(cwd, finding.path))  # noqa: PTH100, PTH118
    relative = os.path.relpath(absolute, root)
    if relative.startswith(".."):  # through a symlink: compare the real paths
        relative = os.path.relpath(os.path.realpath(absolute), os.path.realpath(root))
    return quote(PurePosixPath(Path(relative)).as_posix())


def _location(finding: Finding, uri: str) -> dict[str, Any]:
    region = {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)}
    artifact = {"uri": uri, "uriBaseId": "%SRCROOT%"}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _fingerprint(rule: str, uri: str, message: str, ordinal: int) -> str:
    text = "\0".join((rule, uri, message, str(ordinal)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def sarif(report: Report, root: Path | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log; URIs relative to ``root`` (default: ``source_root`` of ``cwd``)."""
    cwd = cwd or Path.cwd()
    root = root or source_root([], cwd).path
    infos = sorted(report.rules.values(), key=lambda r: (not r.id.startswith("OC"), r.id))
    variants = sorted({(f.rule, _RELIABILITY[(f.rule, f.severity)]) for f in report.findings
                       if (f.rule, f.severity) in _RELIABILITY})  # fmt: skip
    rules = [_rule(info) for info in infos]
    rules += [_rule(report.rules[rule], variant) for rule, variant in variants]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    seen: dict[tuple[str, str, str], int] = {}
    results = []
    for f in report.findings:
        variant = _RELIABILITY.get((f.rule, f.severity))
        rule_id = f"{f.rule}/{variant}" if variant else f.rule
        uri = _uri(f, root, cwd)
        ordinal = seen[(rule_id, uri, f.message)] = seen.get((rule_id, uri, f.message), -1) + 1
        results.append({
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "level": f.severity,
            "message": {"text": f.message},
            "locations": [_location(f, uri)],
            "partialFingerprints": {FINGERPRINT: _fingerprint(rule_id, uri, f.message, ordinal)},
        })  # fmt: skip
    driver = {"name": "oidcify", "version": __version__, "semanticVersion": __version__,
              "informationUri": REPOSITORY_URL, "rules": rules}  # fmt: skip
    run = {"tool": {"driver": driver}, "results": results, "columnKind": "unicodeCodePoints"}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def as_sarif(report: Report, root: Path | None = None, cwd: Path | None = None) -> str:
    return json.dumps(sarif(report, root, cwd))
