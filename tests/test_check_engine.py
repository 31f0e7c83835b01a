"""The check engine's contract with the process it runs in."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from check_helpers import fake_actionlint, run_check
from oidcify.errors import InputError


@pytest.mark.parametrize("collecting", [True, False])
def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path, collecting: bool) -> None:
    (tmp_path / "ci.yml").write_text("on: push\njobs:\n  aws:\n    runs-on: x\n", encoding="utf-8")
    was = gc.isenabled()
    try:
        gc.enable() if collecting else gc.disable()
        assert run_check(tmp_path, cwd=tmp_path).files == 1
        assert gc.isenabled() is collecting
        with pytest.raises(InputError):
            run_check(tmp_path / "missing", cwd=tmp_path)
        assert gc.isenabled() is collecting
    finally:
        gc.enable() if was else gc.disable()


def test_findings_are_merged_without_duplicates_in_one_order() -> None:
    from oidcify.check.analysis import _merged
    from oidcify.check.findings import Finding

    first = Finding("OC102", "b.yml", 3, 1, "zeta", "warning")
    same = Finding("OC102", "b.yml", 3, 1, "zeta", "error")  # the same but for its severity
    found = [first, Finding("OC102", "b.yml", 3, 1, "alpha"), Finding("OC101", "a.yml", 9, 2, "x"),
             same, Finding("actionlint:expression", "b.yml", 3, 1, "y")]  # fmt: skip
    merged = _merged(found)
    assert [(f.path, f.rule, f.message) for f in merged] == [
        ("a.yml", "OC101", "x"),
        ("b.yml", "OC102", "alpha"),
        ("b.yml", "OC102", "zeta"),
        ("b.yml", "actionlint:expression", "y"),
    ]
    assert merged[2] is first


def test_a_file_actionlint_reported_gets_no_oc100(tmp_path: Path) -> None:
    # OC100 runs after actionlint has finished (it reads its findings), the other rules before.
    (tmp_path / "broken.yml").write_text("on: [push\njobs: {aws: {}}\n", encoding="utf-8")
    fake = fake_actionlint(tmp_path, message="could not parse", line=1, column=1,
                           kind="syntax-check")  # fmt: skip
    checked = run_check(tmp_path / "broken.yml", cwd=tmp_path, use_actionlint=True,
                        actionlint=str(fake))  # fmt: skip
    assert [f.rule for f in checked.findings] == ["actionlint:syntax-check"]
    alone = run_check(tmp_path / "broken.yml", cwd=tmp_path)
    assert [f.rule for f in alone.findings] == ["OC100"]
