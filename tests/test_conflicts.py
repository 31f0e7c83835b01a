from __future__ import annotations

import subprocess
from pathlib import Path

from oidcify import conflicts

COPIER_CONFLICT = """\
permissions:
<<<<<<< before updating
  contents: write
=======
  contents: read
>>>>>>> after updating
"""


def test_inline_markers_are_found_with_lines(tmp_path: Path) -> None:
    wf = tmp_path / ".github" / "workflows" / "ci.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text(COPIER_CONFLICT)
    found = conflicts.scan([tmp_path])
    assert [(f.path, f.line) for f in found] == [(wf, 2), (wf, 4), (wf, 6)]
    assert "before updating" in found[0].message


def test_rej_files_are_found(tmp_path: Path) -> None:
    (tmp_path / "main.tf.rej").write_text("@@ -1 +1 @@\n")
    (found,) = conflicts.scan([tmp_path])
    assert found.line == 0
    assert "main.tf" in found.message


def test_clean_tree_lookalikes_and_binary_files_pass(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("Title\n========\n\n<<<<<<<< eight is not a marker\n")
    # Exactly seven: a heading's underline and a quote, but no conflict opens before them.
    (tmp_path / "NOTES.md").write_text("Notes\n=======\n\n>>>>>>> quoted\n")
    (tmp_path / "img.bin").write_bytes(b"\0<<<<<<< before\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "MERGE_MSG").write_text("<<<<<<< x\n")
    assert conflicts.scan([tmp_path]) == []


def test_leftovers_are_described_as_file_and_line_from_the_root(tmp_path: Path) -> None:
    tf = tmp_path / "infra" / "main.tf"
    tf.parent.mkdir()
    tf.write_text("a\n" + COPIER_CONFLICT)
    (tmp_path / "infra" / "main.tf.rej").write_text("@@ -1 +1 @@\n")
    described = [leftover.describe(tmp_path) for leftover in conflicts.scan([tmp_path])]
    assert described == [
        "infra/main.tf:3: unresolved conflict marker '<<<<<<< before updating'",
        "infra/main.tf:5: unresolved conflict marker '======='",
        "infra/main.tf:7: unresolved conflict marker '>>>>>>> after updating'",
        "infra/main.tf.rej: rejected update hunk: merge it into main.tf and delete it",
    ]
    assert conflicts.scan([tf])[0].describe().startswith(f"{tf}:3: ")


def _git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.email=test@example.com", "-c", "user.name=test"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


def test_after_update_looks_at_changed_files_and_every_rej(tmp_path: Path) -> None:
    """Copier updates only a clean checkout: markers count in what changed since the commit."""
    (tmp_path / "README.md").write_text("Install\n=======\n")  # a heading, not a marker
    (tmp_path / ".gitignore").write_text("*.rej\n")
    (tmp_path / "infra").mkdir()
    tf = tmp_path / "infra" / "main.tf"
    tf.write_text("a\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "clean")
    tf.write_text(COPIER_CONFLICT)
    (tmp_path / "infra" / "new.tf").write_text("<<<<<<< before updating\n")
    (tmp_path / "infra" / "outputs.tf.rej").write_text("@@ -1 +1 @@\n")  # ignored by git
    found = [leftover.describe(tmp_path) for leftover in conflicts.after_update(tmp_path)]
    assert found == [
        "infra/main.tf:2: unresolved conflict marker '<<<<<<< before updating'",
        "infra/main.tf:4: unresolved conflict marker '======='",
        "infra/main.tf:6: unresolved conflict marker '>>>>>>> after updating'",
        "infra/new.tf:1: unresolved conflict marker '<<<<<<< before updating'",
        "infra/outputs.tf.rej: rejected update hunk: merge it into outputs.tf and delete it",
    ]
    # A scan of every file would not report the heading either: no conflict opens before it.
    assert conflicts.scan([tmp_path / "README.md"]) == []


def test_after_update_outside_git_scans_everything(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(COPIER_CONFLICT)
    assert len(conflicts.after_update(tmp_path)) == 3
