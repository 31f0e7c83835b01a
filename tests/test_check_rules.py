"""Each own rule against its positive and negative fixtures (fixtures/check/rules/<ID>/...).

The findings of every rule in a fixture file must be exactly the ones its comments expect, so a
fixture for one rule also proves the other rules stay quiet on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from check_helpers import expected, own, run_check
from oidcify.rules import all_rules

FIXTURES = Path(__file__).parent / "fixtures" / "check" / "rules"
RULES = {r.INFO.id: r.INFO for r in all_rules()}
CASES = [
    (rule.name, kind, item.name)
    for rule in sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    for kind in ("positive", "negative")
    for item in sorted((rule / kind).iterdir())
]


def _files(item: Path) -> list[Path]:
    if item.is_file():
        return [item]
    return sorted((item / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize(("rule", "kind", "name"), CASES)
def test_fixture(rule: str, kind: str, name: str) -> None:
    item = FIXTURES / rule / kind / name
    cwd = item.parent if item.is_file() else item
    enable = () if RULES[rule].default else (rule,)
    policy = item / "policy.json"  # a trust-policy rule's fixture: its findings in expect.txt
    trust = (str(policy),) if policy.is_file() else ()
    report = run_check(item, cwd=cwd, enable=enable, repo="octo-org/app", trust_policies=trust)
    wanted = {
        (path.relative_to(cwd).as_posix(), r, line)
        for path in _files(item)
        for r, line in expected(path.read_text(encoding="utf-8"))
    }
    if trust:
        text = (item / "expect.txt").read_text(encoding="utf-8")
        wanted |= {("policy.json", r, line) for r, line in expected(text)}
    assert set(own(report)) == wanted, [f"{f.path}:{f.line} {f.rule} {f.message}"
                                        for f in report.findings]  # fmt: skip
    mine = {w for w in wanted if w[1] == rule}
    assert mine if kind == "positive" else not mine, "a positive fixture must expect its rule"


def test_every_rule_has_both_kinds_of_fixture() -> None:
    workflow_rules = {r for r in RULES if r.startswith("OC1")}
    assert {"OC109", "OC110", "OC111"} <= workflow_rules
    for rule in workflow_rules:
        for kind in ("positive", "negative"):
            assert any((FIXTURES / rule / kind).iterdir()), f"{rule} has no {kind} fixture"


def test_rej_files_are_leftovers(tmp_path: Path) -> None:
    (tmp_path / "main.tf.rej").write_text("@@ -1 +1 @@\n-a\n+b\n", encoding="utf-8")
    (tmp_path / "ok.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    report = run_check(tmp_path, cwd=tmp_path)
    assert own(report) == [("main.tf.rej", "OC108", 1)]
    named = run_check(tmp_path / "main.tf.rej", cwd=tmp_path)
    assert own(named) == [("main.tf.rej", "OC108", 1)]


def test_rule_ids_and_names_are_unique() -> None:
    names = [r.name for r in RULES.values()]
    assert len(set(names)) == len(names)
    for info in RULES.values():
        assert info.summary and "\n" not in info.summary and info.help


def test_oc102_names_every_key_of_a_step_once() -> None:
    case = FIXTURES / "OC102" / "positive" / "configure-inputs.yml"
    (finding,) = [f for f in run_check(case, cwd=case.parent).findings if f.rule == "OC102"]
    for name in ("aws-access-key-id", "aws-secret-access-key", "aws-session-token"):
        assert name in finding.message


@pytest.mark.parametrize(
    ("repo", "origin", "found"),
    [
        ("octo-org/app", None, True),
        ("github.com/Octo-Org/App", None, True),
        ("octo-org/other", None, False),
        (None, "git@github.com:octo-org/other.git", False),
        (None, "https://github.com/octo-org/app", True),
    ],
)
def test_a_full_call_is_local_when_it_names_this_repository(
    tmp_path: Path, repo: str | None, origin: str | None, found: bool
) -> None:
    import shutil

    case = FIXTURES / "OC101" / "positive" / "full-form-caller"
    shutil.copytree(case, tmp_path, dirs_exist_ok=True)
    if origin:
        (tmp_path / ".git").mkdir()
        (tmp_path / ".git" / "config").write_text(f'[remote "origin"]\n\turl = {origin}\n')
    report = run_check(tmp_path, cwd=tmp_path, repo=repo)
    assert bool([f for f in report.findings if f.rule == "OC101"]) is found
