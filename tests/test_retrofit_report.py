"""Unified diffs of changed files: only changed lines, and ``git apply`` takes them."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest

from oidcify.retrofit import Options, retrofit_texts
from oidcify.retrofit.report import diff, unified_diff

ROLE = "arn:aws:iam::123456789012:role/gha-deploy"
PATH = ".github/workflows/big.yml"
DEPLOY = (
    "  deploy:\n    runs-on: ubuntu-latest\n    env:\n"
    "      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
    "      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
    "      AWS_DEFAULT_REGION: us-east-1\n"
    "    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n\n"
)


def big_workflow(jobs: int) -> str:
    """The job with keys, then many alike jobs: their lines are common enough that difflib's
    autojunk takes them for junk, and its diff re-adds lines next to the change."""
    body = "".join(
        f"  test{i}:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: make test\n\n"
        for i in range(jobs)
    )
    return "on: push\njobs:\n" + DEPLOY + body


def _removed(patch: str) -> list[str]:
    return [line for line in patch.splitlines() if line.startswith("-") and line[1:3] != "--"]


def test_a_long_file_diff_touches_only_the_changed_lines() -> None:
    text = big_workflow(45)
    assert text.count("\n") > 200
    result = retrofit_texts({PATH: text}, Options(ROLE)).files[0]
    assert result.new is not None
    assert _removed(diff(result)) == [
        "-      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}",
        "-      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}",
    ]
    # The regression: difflib's own diff of the same texts removes and re-adds more lines.
    plain = "".join(difflib.unified_diff(text.splitlines(True), result.new.splitlines(True)))
    assert len(_removed(plain)) > 2


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["a\n", "b\n", "c\n"], ["a\n", "c\n"]),
        (["a\n"], ["a\n", "b\n"]),
        ([], ["a\n"]),
        (["a\n"], []),
        ([f"{i}\n" for i in range(30)], [f"{i}\n" for i in range(30) if i not in (3, 20)]),
        ([f"{i}\n" for i in range(30)], ["x\n", *[f"{i}\n" for i in range(30)], "y\n"]),
    ],
)
def test_short_diffs_read_as_difflib_writes_them(old: list[str], new: list[str]) -> None:
    expected = list(difflib.unified_diff(old, new, "a/f.yml", "b/f.yml"))
    assert list(unified_diff(old, new, "f.yml")) == [
        line if line.endswith("\n") else line + "\n" for line in expected
    ]


def test_long_file_patch_applies_with_git(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    text = big_workflow(45)
    result = retrofit_texts({PATH: text}, Options(ROLE)).files[0]
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / PATH).write_text(text, encoding="utf-8")
    (tmp_path / "p.patch").write_text(diff(result), encoding="utf-8")
    subprocess.run([git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([git, "apply", "p.patch"], cwd=tmp_path, check=True)
    assert (tmp_path / PATH).read_text(encoding="utf-8") == result.new
