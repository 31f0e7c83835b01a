"""OC203 on the trust policies of fixtures/check/oc203/*.json, through the normal check.

Each case is ``{"about", "repo", "ids"?, "workflows"?, "policy", "expect"}`` (``workflows``:
file name to text, written to ``.github/workflows``): ``expect`` lists the findings
OC203 must give, one per admitting statement (``statement``, a ``contains`` text, and a
``severity``, error unless said), and nothing else; an empty list means the policy admits no
foreign repository and OC203 must stay silent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from check_helpers import run_check

FIXTURES = Path(__file__).parent / "fixtures" / "check" / "oc203"
CASES = sorted(p.stem for p in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path) -> None:
    case = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    for file, text in case.get("workflows", {}).items():
        (tmp_path / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
        (tmp_path / ".github" / "workflows" / file).write_text(text, encoding="utf-8")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(case["policy"], indent=2), encoding="utf-8")
    ids = tuple(case["ids"]) if "ids" in case else None
    report = run_check(tmp_path, cwd=tmp_path, repo=case["repo"], ids=ids, select=("OC203",),
                       trust_policies=(str(policy),))  # fmt: skip
    found = [f for f in report.findings if f.rule == "OC203"]
    shown = [f"{f.severity} {f.message}" for f in found]
    assert len(found) == len(case["expect"]), shown
    for want in case["expect"]:
        assert any(
            want["contains"] in f.message
            and want["statement"] in f.message
            and f.severity == want.get("severity", "error")
            for f in found
        ), (want, shown)
