"""Trust coverage against policies in fixtures/check/trust/<case>/ (see the README there)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from check_helpers import assert_case, run_check

FIXTURES = Path(__file__).parent / "fixtures" / "check" / "trust"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", CASES)
def test_case(name: str) -> None:
    case = FIXTURES / name
    meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
    policy = case / meta.get("policy", "policy.json")
    report = run_check(case, cwd=case, trust_policies=(str(policy),), **meta["options"])
    assert_case(case, meta, report)


def test_one_finding_per_refused_subject() -> None:
    case = FIXTURES / "refuse-named-condition"
    report = run_check(case, cwd=case, trust_policies=(str(case / "policy.json"),),
                       repo="octo-org/app")  # fmt: skip
    refused = [f.message for f in report.findings if f.rule == "OC201"]
    assert len(refused) == 2, refused  # staging once (runs on main and develop), develop once


@pytest.mark.parametrize("repo", ["github.com/octo-org/app", "https://github.com/octo-org/app.git"])
def test_repo_may_be_written_as_a_url(repo: str) -> None:
    case = FIXTURES / "org-wide"
    policy = (str(case / "policy.json"),)
    plain = run_check(case, cwd=case, trust_policies=policy, repo="octo-org/app")
    written = run_check(case, cwd=case, trust_policies=policy, repo=repo)
    assert [f.message for f in written.findings] == [f.message for f in plain.findings]
