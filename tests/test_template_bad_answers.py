"""Gate 5: bad answers are refused with a message that names the question, by plain
`copier copy --data` (the last line of its traceback) and by `oidcify new` (one line, exit 2).

The refusals render the template outside git (conftest.plain_template): where the template comes
from does not change what it refuses, and Copier then skips cloning for each of ~90 runs. One
test copies from the repository itself with the copier CLI, as the README tells users to."""

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


def _copier_copy(
    src: Path, pairs: list[str], dest: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "copier", "copy", "--defaults", *extra, *_data_flags(pairs),
            str(src), str(dest)]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_copier_cli_copies_this_repository_without_trust(tmp_path: Path) -> None:
    done = _copier_copy(REPO, [], tmp_path / "repo", "--vcs-ref", "HEAD")
    assert done.returncode == 0, done.stderr
    assert "--trust" not in done.stderr
    assert (tmp_path / "repo" / ".github" / "workflows" / "build-and-push.yml").is_file()
    assert (tmp_path / "repo" / "infra" / "github-oidc" / "main.tf").is_file()


@pytest.fixture(scope="module")
def copier_runs(
    plain_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[subprocess.CompletedProcess[str]]:
    """Every row through the copier CLI, two at a time (each is a fresh Python process)."""
    root = tmp_path_factory.mktemp("copier-cli")
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(
            lambda n: _copier_copy(plain_template, ROWS[n]["data"], root / str(n)),
            range(len(ROWS)),
        )
        return list(runs)


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(ROWS)), ids=IDS)
def test_copier_cli_refuses_naming_the_question(
    index: int, copier_runs: list[subprocess.CompletedProcess[str]]
) -> None:
    row, done = ROWS[index], copier_runs[index]
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    if "copier_says" in row:
        assert last.endswith(row["copier_says"]), last
        return
    # Copier's own type check names the question in double quotes, validators in single ones.
    assert any(f"{q}{row['question']}{q}" in last for q in "'\""), last
    assert row["says"] in last, last


@pytest.mark.parametrize("index", range(len(ROWS)), ids=IDS)
def test_oidcify_new_refuses_with_one_line(
    index: int, plain_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = ROWS[index]
    argv = ["new", str(tmp_path / "out"), "--defaults", "--no-gates",
            "--template", str(plain_template), *_data_flags(row["data"])]  # fmt: skip
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"oidcify new: error: {row['question']}: "), lines[0]
    assert row["says"] in lines[0]
    assert not (tmp_path / "out").exists()
