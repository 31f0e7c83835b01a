"""`oidcify update`: copier update, then the conflict check and the gates; one line and exit 2
for whatever Copier refuses."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import template_versions as tv
from oidcify import cli
from oidcify.errors import ExitCode


def _update(project: Path, *extra: str) -> int:
    return cli.main(["update", str(project), *extra])


@pytest.mark.slow
def test_updates_to_the_newest_release_and_runs_the_gates(
    project: Path, template_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _update(project, "--defaults", "--gate", "actionlint") == ExitCode.OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"updated {project} from v1 to v2 of {template_repo}"
    assert out[1:3] == ["gates:", out[2]] and out[2].startswith("  PASS  actionlint")
    assert tv.answers(project)["_commit"] == "v2"


@pytest.mark.parametrize("flag", ["--data", "-d"])
def test_answers_change_at_the_same_release(
    flag: str, project: Path, template_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--defaults", "--vcs-ref", "v1", flag, "deploy_tag_pattern=release-*", "--no-gates"]
    assert _update(project, *argv) == ExitCode.OK
    assert capsys.readouterr().out == f"{project} is at v1 of {template_repo}; answers applied\n"
    assert "release-*" in (project / tv.WORKFLOW).read_text()


def test_conflicts_are_listed_by_file_and_line_and_gates_wait(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tv.edit(project / tv.MAIN_TF, tv.V1_REQUIRED, 'required_version = ">= 1.7.0"')
    tv.commit_all(project, "we need 1.7")
    assert _update(project, "--defaults") == ExitCode.FINDINGS
    out = capsys.readouterr().out
    lines = (project / tv.MAIN_TF).read_text().splitlines()
    start = lines.index("<<<<<<< before updating") + 1
    assert "conflicts to resolve before committing (3):\n" in out
    for offset, marker in ((0, "<<<<<<< before updating"), (2, "======="),
                           (4, ">>>>>>> after updating")):  # fmt: skip
        assert f"  {tv.MAIN_TF}:{start + offset}: unresolved conflict marker '{marker}'\n" in out
    assert "gates:" not in out


def test_rej_files_are_listed_too(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tv.edit(project / tv.MAIN_TF, tv.V1_REQUIRED, 'required_version = ">= 1.7.0"')
    tv.commit_all(project, "we need 1.7")
    assert _update(project, "--defaults", "--conflict", "rej") == ExitCode.FINDINGS
    out = capsys.readouterr().out
    assert f"  {tv.MAIN_TF}.rej: rejected update hunk: merge it into main.tf and delete it\n" in out


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        ("dirty", "Destination repository is dirty; cannot continue."),
        ("not git", "Updating is only supported in git-tracked subprojects."),
        ("no answers", ".copier-answers.yml not found: update needs the answers file"),
        ("renamed answers", ".copier-answers.yml not found: update needs the answers file"),
    ],
)
def test_copiers_refusals_are_one_line_and_exit_2(
    project: Path, spoil: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = project / ".copier-answers.yml"
    if spoil == "dirty":
        (project / "notes.txt").write_text("not committed\n")
    elif spoil == "not git":
        shutil.rmtree(project / ".git")
    elif spoil == "no answers":
        answers.unlink()
        tv.commit_all(project, "no answers")
    else:
        answers.rename(project / ".answers.yml")
        tv.commit_all(project, "renamed")
    assert _update(project, "--defaults") == ExitCode.INPUT
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"oidcify update: error: {project}: {says}")


def test_a_refused_answer_names_the_question(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tv.git(project, "rev-parse", "HEAD")
    assert _update(project, "--defaults", "--data", "job_timeout_minutes=0") == ExitCode.INPUT
    assert capsys.readouterr().err == (
        "oidcify update: error: job_timeout_minutes: must be from 1 to 360, got 0\n"
    )
    assert tv.git(project, "status", "--porcelain") == ""
    assert tv.git(project, "rev-parse", "HEAD") == before


def test_an_unknown_answer_is_refused_before_copier_runs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _update(project, "--defaults", "--data", "dockerfile=x") == ExitCode.INPUT
    assert capsys.readouterr().err.startswith(
        "oidcify update: error: dockerfile: is not a question of this template (--data)"
    )


def test_without_a_terminal_it_asks_for_defaults(project: Path) -> None:
    argv = [sys.executable, "-m", "oidcify", "update", str(project), "--no-gates"]
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == ExitCode.INPUT
    assert done.stderr.splitlines() == [
        "oidcify update: error: --data: no terminal to ask on: "
        "pass --defaults and --data NAME=VALUE"
    ]


def test_a_dest_that_is_missing_or_a_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("a file")
    assert _update(tmp_path / "notes.txt") == ExitCode.INPUT
    assert _update(tmp_path / "gone") == ExitCode.INPUT
    assert capsys.readouterr().err == (
        f"oidcify update: error: DEST: {tmp_path / 'notes.txt'} is a file, not a directory\n"
        f"oidcify update: error: DEST: {tmp_path / 'gone'} does not exist\n"
    )


def test_a_recorded_template_that_is_not_a_directory_is_named(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = project / ".copier-answers.yml"
    text = answers.read_text()
    recorded = str(tv.answers(project)["_src_path"])
    answers.write_text(text.replace(recorded, "../template"))
    tv.commit_all(project, "a relative template path, as 0.3 recorded --template ../template")
    monkeypatch.chdir(project)
    assert _update(project, "--defaults", "--no-gates") == ExitCode.INPUT
    assert capsys.readouterr().err == (
        f"oidcify update: error: {answers}: _src_path: the template ../template is not a "
        "directory, read from the current folder; run where it is, or copy again from a git URL\n"
    )
