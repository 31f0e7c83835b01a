"""docs/rules.md is generated from the code and complete: every check rule and retrofit code,
each with its examples, and no code used in the retrofit that the table lacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oidcify import rulesdoc
from oidcify.check.findings import Example
from oidcify.retrofit import codes
from oidcify.retrofit.code_details import DETAILS
from oidcify.rules import all_rules

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "rules.md"
SRC = ROOT / "src" / "oidcify"


def test_docs_rules_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == rulesdoc.generate(), "run `make docs`"


def test_every_check_rule_has_a_section_with_examples() -> None:
    text = DOC.read_text(encoding="utf-8")
    rules = list(all_rules())
    assert {r.INFO.id[:3] for r in rules} == {"OC1", "OC2"}
    for rule in rules:
        info = rule.INFO
        assert f"\n### {info.id} {info.name}\n" in text, info.id
        assert f"](#{info.anchor})" in text, info.id  # the SARIF helpUri's anchor exists
        assert rulesdoc.anchor(info) == info.anchor
        example = rule.EXAMPLE
        assert isinstance(example, Example), info.id
        assert example.bad.strip() and example.good.strip() and example.bad != example.good
        assert example.lang in ("yaml", "json")


def test_every_retrofit_code_has_a_section_with_examples() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert set(DETAILS) == set(codes.ALL)
    assert {c[:2] for c in codes.ALL} == {"OR", "OS", "OW"}
    for code, detail in DETAILS.items():
        assert f"\n#### {code}\n" in text, code
        assert detail.why and detail.bad.strip() and detail.good.strip(), code
        assert detail.resolves == () or code.startswith("OR"), code
    rules = {r.INFO.id for r in all_rules()}
    for code in codes.FIXES:
        assert DETAILS[code].resolves, f"{code} resolves no check finding"
        assert set(DETAILS[code].resolves) <= rules, code


def test_every_code_the_retrofit_uses_is_in_the_table() -> None:
    used = {
        (path.name, code)
        for path in [*sorted((SRC / "retrofit").glob("*.py")), SRC / "commands" / "retrofit.py"]
        for code in re.findall(r"\bO[RSW]\d{3}\b", path.read_text(encoding="utf-8"))
    }
    assert used, "the scan finds the codes"
    assert [(name, code) for name, code in sorted(used) if code not in codes.ALL] == []


def test_every_rule_id_the_rules_use_is_a_rule() -> None:
    ids = {r.INFO.id for r in all_rules()}
    used = {
        (path.name, code)
        for path in sorted((SRC / "rules").glob("*.py"))
        for code in re.findall(r"\bOC\d{3}\b", path.read_text(encoding="utf-8"))
    }
    assert [(name, code) for name, code in sorted(used) if code not in ids] == []


def test_another_rule_source_is_one_more_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    class Rule:
        """OX001: a made-up rule of another command."""

        INFO = next(iter(all_rules())).INFO._replace(id="OX001", name="made-up")
        EXAMPLE = Example("bad: 1\n", "good: 1\n")

    class Plain:  # a record of its own, no examples
        """OX002: another."""

        class INFO:
            id, name, severity, summary, help = "OX002", "plain", "warning", "s", "h"

    audit = rulesdoc.RuleSource("Audit", "Account-wide.", lambda: [Rule, Plain])
    monkeypatch.setattr(rulesdoc, "SOURCES", [*rulesdoc.SOURCES, audit])
    text = rulesdoc.generate()
    assert "## Audit\n" in text and "\n### OX001 made-up\n" in text and "bad: 1" in text
    assert "\n### OX002 plain\n" in text and "(#ox002-plain)" in text


def test_a_flag_is_never_taken_for_the_output_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert rulesdoc.main(["--help"]) == 0
    assert rulesdoc.main(["--out"]) == 2
    assert "usage:" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
