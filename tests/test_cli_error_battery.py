"""Bad invocations of every command: each ends with ONE line on stderr that names the flag, field
or path at fault, a documented exit code (2 bad input, 3 missing tool), and no traceback.

Each case runs through ``cli.main`` in a folder prepared below, as the installed command would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cases import BASE
from oidcify import cli
from oidcify.errors import ExitCode
from workflow_texts import KEYS

DATA = [flag for name, value in BASE.items() for flag in ("-d", f"{name}={value}")]
NEW = ["new", "out", "--defaults", "--no-gates", *DATA]
POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::012345678901:oidc-provider/"
                                   "token.actions.githubusercontent.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main"}},
    }],
})  # fmt: skip
SIMULATE = ["simulate", "--trust-policy", "policy.json"]
RUN = ["--repo", "o/r", "--ref", "refs/heads/main"]

# (argv, exit code, what the one line must say). INPUT is 2, TOOL is 3.
CASES: list[tuple[list[str], int, str]] = [
    # the top level and argparse
    (["nosuch"], 2, "oidcify: error: argument COMMAND: invalid choice: 'nosuch'"),
    (["check", "--format", "xml"], 2, "argument --format: invalid choice: 'xml'"),
    (["simulate"], 2, "the following arguments are required: --trust-policy"),
    (["pins", "refresh"], 2, "the following arguments are required: --from"),
    (["update", "--defaults", "--skip-answered"], 2, "not allowed with argument --defaults"),
    (["batch", "--jobs", "many"], 2, "argument --jobs/-j"),
    # audit
    (["audit", "--from", "nosuch.json"], 2, "nosuch.json: no such file or folder"),
    (["audit", "--from", "bad.json"], 2, "bad.json: not valid JSON at line 1, column 2"),
    (["audit", "--from", "policy.json"], 2, "policy.json: no RoleDetailList"),
    (["audit", "--from", "adir"], 2, "adir: no *.json files in this folder"),
    (["audit", "--from", "policy.json", "--unused-days", "-3"], 2,
     "--unused-days: -3 is not a positive number of days"),
    (["audit", "--accounts", "afile"], 2, "give --accounts and --assume-role together"),
    # new
    (["new"], 2, "the following arguments are required: DEST"),
    (["new", "afile", "--defaults", *DATA], 2, "DEST: afile is a file, not a directory"),
    (["new", "afile/x", "--defaults", *DATA], 2, "DEST: afile is a file, not a directory"),
    ([*NEW, "-d", "nosuch=1"], 2, "nosuch: is not a question of this template"),
    ([*NEW, "-d", "github_owner"], 2, "--data: expected NAME=VALUE, got 'github_owner'"),
    ([*NEW, "--data-file", "missing.yml"], 2, "--data-file: cannot read missing.yml: does not exist"),
    ([*NEW, "--data-file", "adir"], 2, "--data-file: cannot read adir: is a directory"),
    ([*NEW, "--data-file", "bad.yml"], 2, "--data-file: bad.yml is not valid YAML at line"),
    ([*NEW, "--template", "../nowhere"], 2, "--template: ../nowhere does not exist"),
    ([*NEW, "-d", "aws_account_id=12"], 2, 'aws_account_id: exactly 12 digits, leading zeros kept; got "12"'),
    ([*NEW, "-d", "create_ecr_repository=maybe"], 2, "create_ecr_repository: true or false; got 'maybe'"),
    ([*NEW, "-d", "max_session_duration=1.5"], 2, "max_session_duration: a whole number; got '1.5'"),
    ([*NEW, "-d", "max_session_duration=60"], 2, "max_session_duration: 3600 to 43200 seconds; got 60"),
    ([*NEW, "-d", "aws_region=us-east-9"], 2, 'aws_region: closest region: us-east-1; got "us-east-9"'),
    ([*NEW, "-d", "subject_format=both"], 2, "subject_format: needs both ids"),
    ([*NEW, "-d", "github_owner_id=12"], 2, "github_repo_id: is required: pass --data github_repo_id="),
    (["new", "out", "--gate", "nosuch"], 2, "argument --gate: invalid choice: 'nosuch'"),
    (["new", "out", "--defaults", *DATA, "--plugin-dir", "afile"], 2, "--plugin-dir: afile is not a directory"),
    # update
    (["update", "afile"], 2, "DEST: afile is a file, not a directory"),
    (["update", "gone"], 2, "DEST: gone does not exist"),
    (["update", "adir"], 2, "adir: .copier-answers.yml not found"),
    (["update", "badanswers"], 2, "badanswers: .copier-answers.yml unreadable"),
    (["update", "moved", "--no-gates"], 2, "_src_path: the template ../nowhere is not a directory"),
    (["update", "--conflict", "merge"], 2, "argument --conflict: invalid choice: 'merge'"),
    # retrofit
    (["retrofit", "gone"], 2, "REPO_DIR: 'gone' is not a directory"),
    (["retrofit", "repo", "--role-arn", "arn:aws:iam::1:role/x"], 2, "--role-arn"),
    (["retrofit", "repo", "--account-id", "12", "--role-name", "x"], 2, "--account-id"),
    (["retrofit", "repo", "--commit"], 2, "--commit: needs --write"),
    (["retrofit", "tomlrepo", "--no-input"], 2, ".oidcify.toml: cannot read: is a directory"),
    (["retrofit", "repo", "--subject-format", "modern"], 2, "argument --subject-format"),
    # batch
    (["batch"], 2, "REPO: no repositories"),
    (["batch", "--repos-file", "missing.txt"], 2, "--repos-file: cannot read missing.txt: does not exist"),
    (["batch", "repo", "--roles-csv", "missing.csv"], 2, "--roles-csv: cannot read missing.csv: does not exist"),
    (["batch", "repo", "--jobs", "-1"], 2, "--jobs: must be 1 or more"),
    (["batch", "repo", "--report", "adir"], 2, "--report"),
    (["batch", "repo", "--write", "--commit"], 2, "--branch: --commit and --branch NAME go together"),
    # check
    (["check", "no/such"], 2, "no/such: no such file or directory"),
    (["check", "--no-actionlint", "--enable", "OC999", "repo"], 2, "--enable: unknown rule 'OC999'"),
    (["check", "--no-actionlint", "--trust-policy", "missing.json"], 2, "--trust-policy: cannot read missing.json"),
    (["check", "--no-actionlint", "--trust-policy", "bad.json", "--repo", "o/r"], 2, "bad.json: not valid JSON"),
    (["check", "--no-actionlint", "--terraform", "nowhere", "repo"], 2, "--terraform: nowhere does not exist"),
    (["check", "--no-actionlint", "--terraform", "afile", "repo"], 2, "--terraform: afile is not a directory"),
    (["check", "--no-actionlint", "-o", "adir", "repo"], 2, "--output: cannot write adir: is a directory"),
    (["check", "--actionlint", "/nonexistent/actionlint", "repo"], 3, "--actionlint: /nonexistent/actionlint is not an executable file"),
    (["check", "--no-actionlint", "--owner-id", "1", "repo"], 2, "--owner-id: give both --owner-id and --repo-id"),
    # simulate
    (["simulate", "--trust-policy", "missing.json", *RUN], 2, "--trust-policy: cannot read missing.json"),
    (["simulate", "--trust-policy", "bad.json", *RUN], 2, "bad.json"),
    ([*SIMULATE, *RUN, "--event", "pushh"], 2, "--event"),
    ([*SIMULATE, "--repo", "o/r"], 2, "--ref"),
    ([*SIMULATE, "--claims", "sub"], 2, "--claims"),
    ([*SIMULATE, "--token-json", "missing.json"], 2, "--token-json: cannot read missing.json"),
    ([*SIMULATE, *RUN, "--audience", ""], 2, "--audience"),
    # pins
    (["pins", "refresh", "--from", "missing.tsv"], 2, "--from: cannot read missing.tsv"),
    (["pins", "refresh", "--from", "bad.tsv"], 2, "--from: bad.tsv: missing column(s)"),
]  # fmt: skip


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "afile").write_text("a file\n")
    (tmp_path / "adir").mkdir()
    (tmp_path / "bad.yml").write_text("a: [\n")
    (tmp_path / "bad.json").write_text("{nope")
    (tmp_path / "bad.tsv").write_text("name\tversion\n")
    (tmp_path / "policy.json").write_text(POLICY)
    (tmp_path / "badanswers").mkdir()
    (tmp_path / "badanswers" / ".copier-answers.yml").write_text("a: [\n")
    (tmp_path / "moved").mkdir()
    (tmp_path / "moved" / ".copier-answers.yml").write_text(
        '_commit: "v1"\n_src_path: "../nowhere"\n'
    )
    for name in ("repo", "tomlrepo"):
        workflows = tmp_path / name / ".github" / "workflows"
        workflows.mkdir(parents=True)
        (workflows / "deploy.yml").write_text(KEYS)
    (tmp_path / "tomlrepo" / ".oidcify.toml").mkdir()
    monkeypatch.chdir(tmp_path)
    for variable in ("ACTIONLINT", "OIDCIFY_TEMPLATE", "REPOSITORY", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def test_the_battery_is_big_and_covers_every_command() -> None:
    assert len(CASES) >= 40
    assert {argv[0] for argv, _, _ in CASES if argv[0] in cli.COMMANDS} == set(cli.COMMANDS)
    assert {code for _, code, _ in CASES} <= {ExitCode.INPUT, ExitCode.TOOL}


@pytest.mark.parametrize(("argv", "code", "says"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_bad_invocation_is_one_line_and_a_documented_code(
    here: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, says: str
) -> None:
    try:
        returned = cli.main(argv)
    except SystemExit as exit_:  # argparse's own exit
        returned = int(exit_.code or 0)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert returned == code, captured.err
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("oidcify") and ": error: " in lines[0], lines[0]
    assert says in lines[0], lines[0]
    assert "Traceback" not in captured.err + captured.out and "Errno" not in lines[0]
    assert not (here / "out").exists()
