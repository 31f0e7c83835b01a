"""`oidcify new`: render, run the gates, report, and exit by the documented table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cases import BASE, REPO, Case
from oidcify import cli, gates
from oidcify.commands import new
from oidcify.errors import ExitCode

ANSWERS = [flag for name, value in BASE.items() for flag in ("--data", f"{name}={value}")]


def _new(dest: Path, *extra: str) -> int:
    argv = ["new", str(dest), "--defaults", "--template", str(REPO), "--vcs-ref", "HEAD"]
    return cli.main([*argv, *ANSWERS, *extra])


def test_render_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new(tmp_path / "repo", "--no-gates") == ExitCode.OK
    out = capsys.readouterr().out
    assert out == f"rendered the oidcify template into {tmp_path / 'repo'} (from {REPO})\n"
    assert (tmp_path / "repo" / ".github" / "workflows" / "build-and-push.yml").is_file()


def test_answers_from_a_data_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("aws_region: eu-central-1\ndeploy_branches: [main, develop]\n")
    assert _new(tmp_path / "repo", "--no-gates", "--data-file", str(answers)) == ExitCode.OK
    recorded = (tmp_path / "repo" / ".copier-answers.yml").read_text()
    assert 'aws_region: "eu-central-1"' in recorded
    assert 'deploy_branches: ["main", "develop"]' in recorded


def test_d_is_short_for_data_as_in_copier(tmp_path: Path) -> None:
    assert _new(tmp_path / "repo", "--no-gates", "-d", "deploy_tag_pattern=release-*") == 0
    recorded = (tmp_path / "repo" / ".copier-answers.yml").read_text()
    assert 'deploy_tag_pattern: "release-*"' in recorded


def test_half_an_id_pair_is_refused_naming_the_missing_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(tmp_path / "repo", "--no-gates", "-d", "github_owner_id=12") == ExitCode.INPUT
    assert capsys.readouterr().err == (
        "oidcify new: error: github_repo_id: is required: pass --data github_repo_id=VALUE\n"
    )
    assert not (tmp_path / "repo").exists()


def test_missing_tools_are_reported_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = [f"--{tool}={tmp_path / 'none'}" for tool in gates.GATES]
    assert _new(tmp_path / "repo", *missing) == ExitCode.OK
    out = capsys.readouterr().out
    for tool in gates.GATES:
        assert f"SKIP  {tool}" in out


def test_a_gate_asked_for_needs_its_tool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _new(tmp_path / "repo", "--gate", "actionlint", f"--actionlint={tmp_path / 'none'}")
    assert code == ExitCode.TOOL
    assert "SKIP  actionlint" in capsys.readouterr().out


def test_without_a_terminal_it_asks_for_defaults(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "oidcify", "new", str(tmp_path / "repo"),
            "--template", str(REPO), "--vcs-ref", "HEAD", "--no-gates"]  # fmt: skip
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == ExitCode.INPUT
    assert done.stderr.splitlines() == [
        "oidcify new: error: --data: no terminal to ask on: pass --defaults and --data NAME=VALUE"
    ]


def test_a_changed_file_in_the_destination_is_kept_unless_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "repo"
    workflow = dest / ".github" / "workflows" / "build-and-push.yml"
    assert _new(dest, "--no-gates") == ExitCode.OK
    workflow.write_text("# mine\n")
    capsys.readouterr()
    assert _new(dest, "--no-gates") == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.startswith(f"oidcify new: error: {dest}: already holds files the template would")
    assert "--overwrite" in err and workflow.read_text() == "# mine\n"
    assert _new(dest, "--no-gates", "--overwrite") == ExitCode.OK
    assert workflow.read_text() != "# mine\n"


@pytest.mark.slow
def test_linters_pass_on_a_fresh_render(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new(tmp_path / "repo", "--gate", "actionlint", "--gate", "zizmor") == ExitCode.OK
    out = capsys.readouterr().out
    assert "PASS  actionlint" in out and "PASS  zizmor" in out and "terraform" not in out
    readme = tmp_path / "repo" / "infra" / "github-oidc" / "README.md"
    assert f"next steps: {readme}" in out


@pytest.mark.slow
def test_findings_exit_1_and_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _new(tmp_path / "repo", "--gate", "zizmor", "--data", "pin_actions=false")
    assert code == ExitCode.FINDINGS
    out = capsys.readouterr().out
    assert "FAIL  zizmor" in out
    assert "build-and-push.yml:" in out and "unpinned-uses" in out


@pytest.mark.slow
def test_report_lists_what_the_trust_policy_admits(
    cases: dict[str, Case], plans: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    config = cases["both"].terraform_dir
    result = gates.GateResult("terraform", "passed", "ok", plans={config: plans["both"]})
    new.print_trust_policies([result])
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0] == f"trust policy in {config}/ admits tokens for sts.amazonaws.com with subject:"
    )
    assert lines[1:] == [
        "  StringEquals  repo:octo-org/app:ref:refs/heads/main",
        "  StringEquals  repo:octo-org@1234567/app@987654321:ref:refs/heads/main",
        "  StringLike    repo:octo-org/app:ref:refs/heads/release/*",
        "  StringLike    repo:octo-org@1234567/app@987654321:ref:refs/heads/release/*",
        "and with repository_id:",
        "  StringEquals  987654321",
        "and with job_workflow_ref:",
        "  StringEquals  octo-org/app/.github/workflows/build-and-push.yml@refs/heads/main",
        "  StringLike    octo-org/app/.github/workflows/build-and-push.yml@refs/heads/release/*",
    ]


@pytest.mark.parametrize(
    ("statuses", "explicit", "code"),
    [
        (["passed", "skipped"], False, ExitCode.OK),
        (["passed", "missing"], False, ExitCode.OK),
        (["passed", "missing"], True, ExitCode.TOOL),
        (["failed", "passed"], True, ExitCode.FINDINGS),
        (["failed", "error"], False, ExitCode.TOOL),
    ],
)
def test_exit_code_table(statuses: list[Any], explicit: bool, code: int) -> None:
    results = [gates.GateResult(str(n), status, "") for n, status in enumerate(statuses)]
    assert new.exit_code(results, explicit=explicit) == code


def test_help_names_the_same_gates_and_variables_as_the_core(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from oidcify import template_location, terraform

    assert new.GATES == gates.GATES  # new.py repeats them so that --help loads no core module
    with pytest.raises(SystemExit):
        cli.main(["new", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"${template_location.ENV_VAR}" in text and f"${terraform.PLUGIN_DIR_ENV}" in text
    assert "{actionlint,zizmor,terraform}" in text


def test_a_dest_that_is_a_file_is_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("a file")
    for dest in (tmp_path / "notes.txt", tmp_path / "notes.txt" / "repo"):
        assert _new(dest, "--no-gates") == ExitCode.INPUT
        assert capsys.readouterr().err == (
            f"oidcify new: error: DEST: {tmp_path / 'notes.txt'} is a file, not a directory\n"
        )
    assert (tmp_path / "notes.txt").read_text() == "a file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_dest_that_cannot_be_written_is_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    assert _new(locked / "repo", "--no-gates") == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.startswith(f"oidcify new: error: {locked / 'repo'}") and err.count("\n") == 1
    assert err.endswith(": permission denied\n")


def test_a_data_file_that_cannot_be_read_says_why_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "answers.yml"
    assert _new(tmp_path / "repo", "--no-gates", "--data-file", str(missing)) == ExitCode.INPUT
    assert capsys.readouterr().err == (
        f"oidcify new: error: --data-file: cannot read {missing}: does not exist\n"
    )
