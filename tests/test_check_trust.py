"""Trust coverage against policies in fixtures/check/trust/<case>/ (see the README there)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from check_helpers import expected, own, run_check

FIXTURES = Path(__file__).parent / "fixtures" / "check" / "trust"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", CASES)
def test_case(name: str) -> None:
    case = FIXTURES / name
    meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
    policy = case / meta.get("policy", "policy.json")
    report = run_check(case, cwd=case, trust_policies=(str(policy),), **meta["options"])
    workflows = sorted((case / ".github" / "workflows").glob("*.yml"))
    wanted = {
        (path.relative_to(case).as_posix(), rule, line)
        for path in workflows
        for rule, line in expected(path.read_text(encoding="utf-8"))
    } | {(path, rule, line) for path, line, rule in meta["expected"]}
    shown = [f"{f.path}:{f.line} {f.rule} {f.message}" for f in report.findings]
    assert set(own(report)) == wanted, shown
    for rule, text in meta.get("contains", []):
        assert any(f.rule == rule and text in f.message for f in report.findings), (text, shown)
    for note in meta.get("notes", []):
        assert any(note in n for n in report.notes), (note, report.notes)


def test_one_finding_per_refused_subject() -> None:
    case = FIXTURES / "refuse-named-condition"
    report = run_check(case, cwd=case, trust_policies=(str(case / "policy.json"),),
                       repo="octo-org/app")  # fmt: skip
    refused = [f.message for f in report.findings if f.rule == "OC201"]
    assert len(refused) == 2, refused  # staging once (runs on main and develop), develop once
