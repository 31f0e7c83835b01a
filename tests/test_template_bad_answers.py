"""Gate 5: bad answers are refused with a message that names the question, by plain
`copier copy --data` (the last line of its traceback) and by `oidcify new` (one line, exit 2)."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from cases import BASE, REPO
from oidcify import cli

ROWS: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "fixtures" / "bad_answers.yml").read_text()
)
IDS = [" ".join(row["data"])[:50] for row in ROWS]
BASE_DATA = [f"{name}={value}" for name, value in BASE.items()]


def _data_flags(pairs: list[str]) -> list[str]:
    return [flag for pair in [*BASE_DATA, *pairs] for flag in ("--data", pair)]


def test_table_is_big_enough_and_covers_every_question() -> None:
    questions = {
        name
        for name, spec in yaml.safe_load((REPO / "copier.yml").read_text()).items()
        if not name.startswith("_") and isinstance(spec, dict)
    }
    assert len(ROWS) >= 30
    assert {row["question"] for row in ROWS} == questions


def _copier_copy(pairs: list[str], dest: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref", "HEAD",
            *_data_flags(pairs), str(REPO), str(dest)]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def copier_runs(tmp_path_factory: pytest.TempPathFactory) -> list[subprocess.CompletedProcess[str]]:
    """Every row through the copier CLI, two at a time (each is a fresh Python process)."""
    root = tmp_path_factory.mktemp("copier-cli")
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(
            pool.map(_copier_copy, [row["data"] for row in ROWS],
                     [root / str(n) for n in range(len(ROWS))])
        )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(ROWS)), ids=IDS)
def test_copier_cli_refuses_naming_the_question(
    index: int, copier_runs: list[subprocess.CompletedProcess[str]]
) -> None:
    row, done = ROWS[index], copier_runs[index]
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert f"'{row['question']}'" in last or f"{row['question']}: " in last, last
    assert row["says"] in last, last
    assert not (REPO / str(index)).exists()


@pytest.mark.parametrize("index", range(len(ROWS)), ids=IDS)
def test_oidcify_new_refuses_with_one_line(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = ROWS[index]
    argv = ["new", str(tmp_path / "out"), "--defaults", "--no-gates", "--template", str(REPO),
            "--vcs-ref", "HEAD", *_data_flags(row["data"])]  # fmt: skip
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"oidcify new: error: {row['question']}: "), lines[0]
    assert row["says"] in lines[0]
    assert not (tmp_path / "out").exists()
