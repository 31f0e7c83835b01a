"""The workflow model: jobs, steps, uses, permissions and triggers read from real YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from oidcify.errors import InputError
from oidcify.workflows import discover, load, parse, parse_uses, permissions

WORKFLOW = """\
name: ci
on:
  push:
    branches: [ main, 'release/**' ]
    tags: v*
  pull_request:
  workflow_call:
    secrets:
      AWS_ACCESS_KEY_ID:
        required: true
permissions:
  contents: read
env:
  AWS_REGION: eu-west-1
jobs:
  build:
    runs-on: ubuntu-latest
    environment:
      name: prod
    permissions: read-all
    steps:
      - uses: actions/checkout@v4
      - name: creds
        id: aws
        uses: aws-actions/configure-aws-credentials@ececac1a45f3b08a01d2dd070d28d111c5fe6722 # v4.1
        with:
          aws-region: ${{ env.AWS_REGION }}
        env:
          X: "1"
      - run: echo hi
        if: always()
  call:
    uses: ./.github/workflows/deploy.yml
    secrets: inherit
"""


def test_jobs_steps_and_positions() -> None:
    wf = parse("ci.yml", WORKFLOW)
    assert list(wf.jobs) == ["build", "call"]
    build = wf.jobs["build"]
    assert build.line == 16
    assert build.environment == "prod"
    assert [s.label for s in build.steps] == ["actions/checkout@v4", "creds", "run: echo hi"]
    creds = build.steps[1]
    assert (creds.line, creds.column, creds.id) == (23, 9, "aws")
    assert creds.with_ == {"aws-region": "${{ env.AWS_REGION }}"}
    assert creds.env == {"X": "1"}
    assert creds.uses is not None and creds.uses.version == (4, 1) and creds.uses.is_sha
    assert build.steps[2].run == "echo hi" and build.steps[2].if_ == "always()"
    call = wf.jobs["call"]
    assert call.uses is not None and call.uses.kind == "local-workflow"
    assert call.secrets == "inherit" and call.steps == []


def test_triggers_are_normalised() -> None:
    wf = parse("ci.yml", WORKFLOW)
    push = wf.triggers["push"]
    assert push.branches == ("main", "release/**") and push.tags == ("v*",)
    assert wf.triggers["pull_request"].branches is None
    assert wf.triggers["workflow_call"].secrets == ("AWS_ACCESS_KEY_ID",)
    assert wf.is_reusable
    assert list(parse("x.yml", "on: [push, pull_request]\njobs: {}\n").triggers) == [
        "push",
        "pull_request",
    ]
    assert list(parse("x.yml", "on: push\n").triggers) == ["push"]


@pytest.mark.parametrize(
    ("workflow_level", "job_level", "scope", "level"),
    [
        (None, None, "id-token", None),
        ("contents: read", None, "id-token", "none"),
        ("contents: read", "id-token: write", "id-token", "write"),
        ("id-token: write", "contents: read", "id-token", "none"),
        ("read-all", None, "contents", "read"),
        ("read-all", None, "id-token", "none"),
        ("write-all", None, "id-token", "write"),
        ("{}", None, "contents", "none"),
        (None, "{}", "id-token", "none"),
    ],
)
def test_effective_permissions(
    workflow_level: str | None, job_level: str | None, scope: str, level: str | None
) -> None:
    text = "on: push\n"
    if workflow_level:
        text += (
            f"permissions: {{{workflow_level}}}\n"
            if ":" in workflow_level
            else (f"permissions: {workflow_level}\n")
        )
    text += "jobs:\n  j:\n    runs-on: x\n"
    if job_level:
        text += (
            f"    permissions: {{{job_level}}}\n"
            if ":" in job_level
            else (f"    permissions: {job_level}\n")
        )
    wf = parse("p.yml", text)
    eff = wf.effective_permissions(wf.jobs["j"])
    assert (eff.level(scope) if eff else None) == level


def test_invalid_permissions_are_marked() -> None:
    assert permissions.parse(parse("p.yml", "permissions: lots\n").node.value[0][1]) == (
        permissions.Permissions("invalid", line=1)
    )


@pytest.mark.parametrize(
    ("raw", "kind", "action", "version"),
    [
        ("actions/checkout@v4", "action", "actions/checkout", (4,)),
        ("aws-actions/configure-aws-credentials@v1-node16", "action",
         "aws-actions/configure-aws-credentials", (1,)),
        ("Org/Repo/sub/dir@v1.2.3", "action", "org/repo", (1, 2, 3)),
        ("o/r/.github/workflows/x.yml@main", "workflow", "o/r", None),
        ("./.github/workflows/x.yaml", "local-workflow", "/", None),
        ("./my-action", "local", "/", None),
        ("docker://alpine:3", "docker", "/", None),
    ],
)  # fmt: skip
def test_parse_uses(raw: str, kind: str, action: str, version: tuple[int, ...] | None) -> None:
    ref = parse_uses(raw)
    assert (ref.kind, ref.action, ref.version) == (kind, action, version)


def test_sha_pin_takes_version_from_comment() -> None:
    sha = "e6de054238d6b7531b4efff3b6587d9aade6a06c"
    assert parse_uses(f"a/b@{sha}", "# v6.2.3").version == (6, 2, 3)
    assert parse_uses(f"a/b@{sha}", "").version is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("on: [push\n", "malformed YAML at line 2"),
        ("a: 1\n---\nb: 2\n", "malformed YAML"),
        ("", "empty file"),
        ("- a\n", "not a mapping"),
    ],
)
def test_bad_documents_name_the_file(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse(".github/workflows/x.yml", text)
    assert exc.value.field == ".github/workflows/x.yml"
    assert message in exc.value.message


def test_load_refuses_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "repo" / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ok.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (folder / "latin.yml").write_bytes(b"name: caf\xe9\n")
    (tmp_path / "outside.yml").write_text("on: push\n", encoding="utf-8")
    (folder / "escape.yaml").symlink_to(tmp_path / "outside.yml")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    repo = tmp_path / "repo"
    found = [p.name for p in discover(repo)]
    assert found == ["escape.yaml", "latin.yml", "ok.yml"]
    assert list(load(repo, Path(".github/workflows/ok.yml")).triggers) == ["push"]
    with pytest.raises(InputError, match=r"not UTF-8: byte 0xe9 at line 1, column 10;"):
        load(repo, Path(".github/workflows/latin.yml"))
    with pytest.raises(InputError, match="outside the repository"):
        load(repo, Path(".github/workflows/escape.yaml"))


def test_unreadable_file_and_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / ".github" / "workflows"
    (folder / "dir.yml").mkdir(parents=True)
    (folder / "x.yml").write_text("on: push\n", encoding="utf-8")
    assert discover(tmp_path) == [Path(".github/workflows/x.yml")]  # a folder is no workflow
    with pytest.raises(InputError, match="not a regular file"):
        load(tmp_path, Path(".github/workflows/dir.yml"))

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError, match="cannot read: Permission denied"):
        load(tmp_path, Path(".github/workflows/x.yml"))


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_yaml_nested_past_the_stack_is_an_input_error(depth: int) -> None:
    text = "on: push\njobs:\n  a:\n    env:\n      X: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(InputError, match="nested too deeply"):
        parse("deep.yml", text)
