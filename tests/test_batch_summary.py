"""Adding a batch up: exit codes, never-run repositories, patches (``oidcify.batch.summary``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oidcify.batch.outcome import Outcome, Target
from oidcify.batch.summary import DiffDir, Summary, complete
from oidcify.errors import ExitCode, InputError


def outcomes(*statuses: str) -> list[Outcome]:
    return [Outcome(f"r{i}", f"/r{i}", status) for i, status in enumerate(statuses)]


@pytest.mark.parametrize(
    ("statuses", "mode", "interrupted", "code"),
    [
        (("changed", "unchanged", "skipped"), "write", False, ExitCode.OK),
        (("changed", "unchanged"), "check", False, ExitCode.FINDINGS),
        (("unchanged", "skipped"), "check", False, ExitCode.OK),
        (("changed", "failed"), "check", False, ExitCode.INPUT),
        (("changed", "not run"), "write", True, ExitCode.INTERRUPTED),
        (("failed", "not run"), "check", True, ExitCode.INTERRUPTED),
    ],
)
def test_exit_codes(statuses: tuple[str, ...], mode: str, interrupted: bool, code: int) -> None:
    assert Summary(outcomes(*statuses), mode, interrupted).exit_code() == code


def test_never_run_repositories_say_why() -> None:
    targets = [Target(f"/r{i}", f"r{i}") for i in range(3)]
    done = complete(targets, [Outcome("r0", "/r0", "changed"), None, None], stopped=[2])
    assert [(o.label, o.status, o.reason) for o in done] == [
        ("r0", "changed", ""),
        ("r1", "not run", "interrupted before it started"),
        ("r2", "not run", "stopped while running: check this checkout with git status"),
    ]


def test_counts_by_kind_and_report() -> None:
    found = outcomes("changed", "failed")
    found[0].warnings = [{"code": "OW002"}, {"code": "OW003"}, {"code": "OW002"}]
    found[1].reason = "bad YAML"
    summary = Summary(found, "diff")
    assert summary.by_kind("warnings") == {"OW002": 2, "OW003": 1}
    report = summary.report()
    assert report["counts"] == {
        "changed": 1, "unchanged": 0, "skipped": 0, "failed": 1, "not run": 0
    }  # fmt: skip
    assert report["exit_code"] == ExitCode.INPUT
    assert [r["reason"] for r in report["repositories"]] == ["", "bad YAML"]
    assert "diff" not in report["repositories"][0]


def test_diff_dir_writes_changed_and_removes_stale_patches(tmp_path: Path) -> None:
    folder = tmp_path / "patches"
    folder.mkdir()
    (folder / "calm.patch").write_text("stale\n")
    (folder / "other.patch").write_text("not from this batch\n")
    diffs = DiffDir(folder)
    changed = Outcome("a/app", "/a/app", "changed", diff="--- a/x\n+++ b/x\n")
    diffs.record(changed)
    diffs.record(Outcome("calm", "/calm", "unchanged"))
    assert sorted(p.name for p in folder.iterdir()) == ["a__app.patch", "other.patch"]
    assert (folder / "a__app.patch").read_text() == "--- a/x\n+++ b/x\n"
    assert changed.diff == ""  # not kept in memory once written
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match=r"--diff-dir: .* is not a directory"):
        DiffDir(tmp_path / "file")
