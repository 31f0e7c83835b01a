"""``--workflows``: roles joined with the checkouts that assume them -- check's coverage
findings (OC201, OC202), unreferenced roles (OC305), unknown roles (OC306), and legacy-only
trust for a repository whose ids its answers file gives (OC301)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from audit_helpers import ACCOUNT, audit, audit_json, detail, github_trust, tight, write_export

WORKFLOW = """\
name: deploy
on:
  push:
    branches: [main, dev]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::{account}:role/{role}
          aws-region: us-east-1
"""
ANSWERS = "github_owner: octo-org\ngithub_repo: app\ngithub_owner_id: 1234\ngithub_repo_id: 5678\n"


def _checkout(root: Path, role: str, answers: str | None = None) -> Path:
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "deploy.yml").write_text(WORKFLOW.format(account=ACCOUNT, role=role))
    if answers is not None:
        (root / ".copier-answers.yml").write_text(answers)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", "https://github.com/octo-org/app.git"],
        check=True,
    )
    return root


def _findings(data: dict) -> set[tuple[str, str]]:
    """(rule, role name or workflow file name) of each finding."""
    return {(f["rule"], f["path"].rsplit("/", 1)[-1]) for f in data["findings"]}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    subjects = ["repo:octo-org/app:ref:refs/heads/main", "repo:octo-org/app:environment:old"]
    deploy = github_trust(("StringEquals", "sub", subjects))
    roles = [
        detail("deploy", deploy),
        detail("orphan", tight("repo:octo-org/other:ref:refs/heads/main")),
    ]
    return write_export(tmp_path / "export.json", roles)


def test_join_reports_coverage_and_references(
    tmp_path: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkout(tmp_path / "repos" / "app", "deploy")
    _checkout(tmp_path / "repos" / "legacy", "gone")
    code, data = audit_json(capsys, "--from", str(export), "--workflows", str(tmp_path / "repos"))
    assert code == 1
    assert _findings(data) == {
        ("OC201", "deploy.yml"),  # push to dev is refused
        ("OC202", "deploy"),  # environment:old is presented by no run
        ("OC305", "orphan"),
        ("OC306", "deploy.yml"),  # role/gone is not in the account
    }
    refused = next(f for f in data["findings"] if f["rule"] == "OC201")
    assert "refs/heads/dev" in refused["message"] and refused["path"].endswith(
        "app/.github/workflows/deploy.yml"
    )


def test_legacy_only_trust_when_ids_are_known(
    tmp_path: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkout(tmp_path / "app", "deploy", ANSWERS)
    _, data = audit_json(capsys, "--from", str(export), "--workflows", str(tmp_path / "app"))
    assert ("OC301", "deploy") in _findings(data)
    subjects = [
        "repo:octo-org/app:ref:refs/heads/main",
        "repo:octo-org@1234/app@5678:ref:refs/heads/main",
    ]
    migrating = github_trust(("StringEquals", "sub", subjects))
    both = write_export(tmp_path / "both.json", [detail("deploy", migrating)])
    _, data = audit_json(capsys, "--from", str(both), "--workflows", str(tmp_path / "app"))
    assert "OC301" not in {rule for rule, _ in _findings(data)}


def test_without_ids_no_legacy_finding(
    tmp_path: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkout(tmp_path / "app", "deploy", "github_owner: octo-org\ngithub_repo: app\n")
    _, data = audit_json(capsys, "--from", str(export), "--workflows", str(tmp_path / "app"))
    assert "OC301" not in {rule for rule, _ in _findings(data)}


def test_not_a_checkout(tmp_path: Path, export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()

    code, _, err = audit(capsys, "--from", str(export), "--workflows", str(tmp_path / "empty"))
    assert code == 2 and "no .github/workflows" in err and len(err.strip().splitlines()) == 1
