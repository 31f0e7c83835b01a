"""Hand-written input/expected pairs, one folder per case under fixtures/retrofit/.

A case is ``input.yml`` + ``expected.yml`` (one workflow), or ``input/`` + ``expected/`` folders
(several workflows of one repository), plus ``meta.json``: the options to run with, which
workflow files are symlinks to which (``links``: names in the workflows folder), the fix, skip
and warning IDs the report must contain, and optionally ``claims``: the sub contexts each
token-minting job presents (``{job: [context, ...]}``), ``roles``: the role each one assumes
(``{job: role}``), and ``unknown``: the jobs whose subjects cannot be known here. A case may
hold ``report.txt``, the expected report (one ``path:line: CODE message`` line per finding).
Expected files are compared byte for byte, and running the retrofit again on them must change
nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from oidcify.retrofit import Options, RepoResult, report, retrofit_texts

FIXTURES = Path(__file__).parent / "fixtures" / "retrofit"
ROLE = "arn:aws:iam::123456789012:role/gha-deploy"
WORKFLOWS = ".github/workflows/"


def _read_tree(case: Path, name: str) -> dict[str, str]:
    single = case / f"{name}.yml"
    if single.exists():
        return {WORKFLOWS + "workflow.yml": single.read_bytes().decode("utf-8")}
    return {WORKFLOWS + p.name: p.read_bytes().decode("utf-8")
            for p in sorted((case / name).iterdir())}  # fmt: skip


def _options(meta: dict[str, Any]) -> Options:
    settings = {"role_arn": ROLE, **meta.get("options", {})}
    settings["role_for"] = tuple(tuple(pair) for pair in settings.get("role_for", ()))
    return Options(**settings)


def _codes(findings: list[Any]) -> list[str]:
    return sorted(f.code for f in findings)


CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", CASES)
def test_case(name: str) -> None:
    case = FIXTURES / name
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    inputs, expected = _read_tree(case, "input"), _read_tree(case, "expected")
    links = {WORKFLOWS + k: WORKFLOWS + v for k, v in meta.get("links", {}).items()}
    result = retrofit_texts(inputs, _options(meta), links=links)
    for file in result.files:
        assert file.error is None, file.error
        got = file.new if file.new is not None else file.original
        assert got == expected[file.path], f"{file.path} differs from the expected file"
    _check_codes(result, meta)
    if (case / "report.txt").exists():
        expected_report = (case / "report.txt").read_text(encoding="utf-8").splitlines()
        assert report.findings(result) == expected_report
    again = retrofit_texts(expected, _options(meta), links=links)
    assert again.changed == [], "a second run must change nothing"


def _check_codes(result: RepoResult, meta: dict[str, Any]) -> None:
    found = {
        "fixes": _codes([f for r in result.files for f in r.fixes]),
        "skipped": _codes([f for r in result.files for f in r.skipped]),
        "warnings": _codes([f for r in result.files for f in r.warnings]),
        "repo_warnings": _codes(result.warnings),
    }
    for key, codes in found.items():
        if key in meta:
            assert Counter(codes) == Counter(meta[key]), f"{key}: {codes}"
    if "deletable_secrets" in meta:
        assert result.deletable_secrets == meta["deletable_secrets"]
    if "claims" in meta:
        assert {c.job: list(c.contexts) for c in result.claims} == meta["claims"]
    if "roles" in meta:
        assert {c.job: c.role for c in result.claims} == meta["roles"]
    if "unknown" in meta:
        assert sorted(c.job for c in result.claims if c.unknown) == meta["unknown"]


def test_every_fix_and_skip_has_a_case() -> None:
    from oidcify.retrofit.codes import FIXES, SKIPS

    covered: set[str] = set()
    for name in CASES:
        meta = json.loads((FIXTURES / name / "meta.json").read_text(encoding="utf-8"))
        covered.update(meta.get("fixes", []), meta.get("skipped", []))
    assert set(FIXES) | set(SKIPS) <= covered
