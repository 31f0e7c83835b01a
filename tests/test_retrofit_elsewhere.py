"""Secrets are called deletable only when no file that may use them still names them: workflow
files that failed, composite and local actions, anything else under .github."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oidcify import cli
from oidcify.errors import ExitCode
from oidcify.retrofit import Options, retrofit_repo, retrofit_texts

FIXTURES = Path(__file__).parent / "fixtures" / "retrofit"
STATIC = (FIXTURES / "or001-basic" / "input.yml").read_text(encoding="utf-8")
ROLE = "arn:aws:iam::123456789012:role/gha-deploy"
KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
WORKFLOWS = ".github/workflows/"
DEPLOY = WORKFLOWS + "deploy.yml"


def repo_with(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in {DEPLOY: STATIC, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / name).write_bytes(data)
    return root


def kept(result_warnings: list, code: str = "OW010") -> list[str]:  # type: ignore[type-arg]
    return [w.message for w in result_warnings if w.code == code]


def test_a_workflow_that_fails_to_parse_keeps_the_secrets_it_names() -> None:
    broken = STATIC.replace("runs-on: ubuntu-latest", "runs-on: [ubuntu-latest")
    result = retrofit_texts({DEPLOY: STATIC, ".github/workflows/b.yml": broken}, Options(ROLE))
    assert [f.path for f in result.errors] == [".github/workflows/b.yml"]
    assert result.deletable_secrets == []
    messages = kept(result.warnings)
    assert len(messages) == 2 and "secret AWS_ACCESS_KEY_ID " in messages[0]
    assert ".github/workflows/b.yml (which oidcify could not process) still names it" in messages[0]
    assert kept(result.warnings, "OW002") == []


def test_a_failed_file_that_names_no_key_keeps_nothing() -> None:
    files = {DEPLOY: STATIC, ".github/workflows/b.yml": "on: [push\n"}
    result = retrofit_texts(files, Options(ROLE))
    assert result.deletable_secrets == KEYS and kept(result.warnings) == []


def test_names_are_found_in_any_case_and_an_unread_file_keeps_every_secret() -> None:
    lower = {"x/action.yml": "env:\n  key: ${{ inputs.aws_secret_access_key }}\n"}
    result = retrofit_texts({DEPLOY: STATIC}, Options(ROLE), others=lower)
    assert result.deletable_secrets == ["AWS_ACCESS_KEY_ID"]
    result = retrofit_texts({DEPLOY: STATIC}, Options(ROLE), errors={"w.yml": "cannot read"})
    assert result.deletable_secrets == []
    assert all("w.yml could not be read" in m for m in kept(result.warnings))


@pytest.mark.parametrize(
    ("files", "keeper"),
    [
        (
            {".github/actions/aws/action.yml": "inputs:\n  AWS_ACCESS_KEY_ID: {}\n"},
            ".github/actions/aws/action.yml",
        ),
        (
            {
                ".github/workflows/run.yml": "on: push\njobs:\n  j:\n    runs-on: x\n"
                "    steps:\n      - uses: ./tools/aws\n",
                "tools/aws/action.yaml": "runs:\n  env:\n    AWS_ACCESS_KEY_ID: x\n",
            },
            "tools/aws/action.yaml",
        ),
        ({"action.yml": "# needs AWS_ACCESS_KEY_ID\n"}, "action.yml"),
        ({".github/workflows/latin1.yml": b"# d\xe9ploy AWS_ACCESS_KEY_ID\n"}, "latin1.yml"),
    ],
)
def test_files_outside_the_edited_workflows_keep_what_they_name(
    tmp_path: Path, files: dict[str, str | bytes], keeper: str
) -> None:
    result = retrofit_repo(repo_with(tmp_path, files), Options(ROLE))
    assert result.changed and result.deletable_secrets == ["AWS_SECRET_ACCESS_KEY"]
    (message,) = kept(result.warnings)
    assert message.startswith("secret AWS_ACCESS_KEY_ID ") and keeper in message


def test_a_broken_link_among_the_workflows_keeps_every_secret(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, {".github/actions/unused.yml": "name: x\n"})
    (repo / ".github/workflows/gone.yml").symlink_to(tmp_path / "nowhere.yml")
    (repo / ".github/actions/gone.yml").symlink_to(tmp_path / "nowhere.yml")  # not a workflow
    result = retrofit_repo(repo, Options(ROLE))
    assert result.deletable_secrets == []
    assert all("gone.yml could not be read" in m for m in kept(result.warnings))


def test_the_command_does_not_call_them_deletable(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    broken = STATIC.replace("runs-on: ubuntu-latest", "runs-on: [ubuntu-latest")
    repo = repo_with(tmp_path, {".github/workflows/broken.yml": broken})
    code = cli.main(["retrofit", str(repo), "--role-arn", ROLE])
    err = capsys.readouterr().err
    assert code == ExitCode.INPUT
    assert "secrets to delete" not in err and "OW002" not in err
    assert f"{repo}: OW010 secret AWS_ACCESS_KEY_ID is no longer used" in err
    cli.main(["retrofit", str(repo), "--role-arn", ROLE, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["deletable_secrets"] == []
    assert [w["code"] for w in data["warnings"]] == ["OW010", "OW010"]


INHERIT_OUTSIDE = """on: push
jobs:
  call:
    uses: other-org/shared/.github/workflows/deploy.yml@v1
    secrets: inherit
"""
INHERIT_HERE = """on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    secrets: inherit
"""
CALLED = """on: workflow_call
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - run: ./notify.sh
        env:
          TOKEN: ${{ secrets.SLACK_WEBHOOK }}
"""


@pytest.mark.parametrize(
    ("files", "why"),
    [
        (
            {"call.yml": INHERIT_OUTSIDE},
            "call.yml:5 passes every secret to other-org/shared/.github/workflows/deploy.yml@v1",
        ),
        # A local callee that is not there (or not parsed) may read anything it is handed.
        ({"call.yml": INHERIT_HERE}, "call.yml:5 passes every secret to ./.github/workflows/"),
        (
            {"dump.yml": CALLED.replace("secrets.SLACK_WEBHOOK", "toJSON(secrets)")},
            "dump.yml:8 reads the whole secrets context (${{ toJSON(secrets) }})",
        ),
        # A workflow oidcify could not parse is searched as text.
        (
            {"call.yml": INHERIT_OUTSIDE.replace("on: push", "on: [push")},
            "call.yml:5 passes every secret on (secrets: inherit)",
        ),
    ],
)
def test_a_workflow_that_may_use_any_secret_keeps_them_all(files: dict[str, str], why: str) -> None:
    texts = {DEPLOY: STATIC, **{WORKFLOWS + k: v for k, v in files.items()}}
    result = retrofit_texts(texts, Options(ROLE))
    assert result.deletable_secrets == []
    messages = kept(result.warnings)
    assert len(messages) == 2 and all(WORKFLOWS + why in m for m in messages)


def test_inherit_to_a_workflow_here_that_was_read_counts_what_it_uses() -> None:
    texts = {DEPLOY: STATIC, WORKFLOWS + "call.yml": INHERIT_HERE, WORKFLOWS + "called.yml": CALLED}
    result = retrofit_texts(texts, Options(ROLE))
    assert result.deletable_secrets == KEYS
    assert kept(result.warnings) == []


def test_the_command_keeps_secrets_handed_on_whole(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = repo_with(tmp_path, {WORKFLOWS + "call.yml": INHERIT_OUTSIDE})
    code = cli.main(["retrofit", str(repo), "--role-arn", ROLE])
    err = capsys.readouterr().err
    assert code == ExitCode.OK
    assert "secrets to delete" not in err and "OW002" not in err
    assert "OW010 secret AWS_ACCESS_KEY_ID is no longer used" in err
    assert "call.yml:5 passes every secret to other-org/shared" in err
    cli.main(["retrofit", str(repo), "--role-arn", ROLE, "--format", "json"])
    assert json.loads(capsys.readouterr().out)["deletable_secrets"] == []
