"""The pre-commit hook: a manifest pre-commit accepts, the right files, and a real run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

MANIFEST = Path(__file__).parents[1] / ".pre-commit-hooks.yaml"
KEYS = """\
on: push
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
"""


def test_manifest_is_valid_for_pre_commit() -> None:
    (hook,) = load_manifest(str(MANIFEST))
    assert hook["id"] == "oidcify-check"
    assert hook["entry"] == "oidcify check"
    assert hook["pass_filenames"] and hook["require_serial"]


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        (".github/workflows/ci.yml", True),
        (".github/workflows/deploy.yaml", True),
        ("terraform/main.tf.rej", True),
        (".github/workflows/nested/ci.yml", False),
        (".github/dependabot.yml", False),
        ("src/config.yml", False),
    ],
)
def test_hook_runs_on_workflows_and_rej_files(path: str, matched: bool) -> None:
    (hook,) = load_manifest(str(MANIFEST))
    assert (re.search(hook["files"], path) is not None) is matched


@pytest.mark.slow
def test_pre_commit_runs_the_hook(tmp_path: Path) -> None:
    """A real ``pre-commit run`` with the manifest's hook as a local hook on this interpreter's
    oidcify (installing the hook repository itself would need the network)."""
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    local = {k: v for k, v in hook.items() if k not in ("additional_dependencies",
                                                         "minimum_pre_commit_version")}  # fmt: skip
    local["language"] = "system"
    local["entry"] = f"{sys.executable} -m oidcify check"
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "deploy.yml").write_text(KEYS, encoding="utf-8")
    (tmp_path / "README.md").write_text("not checked\n", encoding="utf-8")
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    people = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
              for what, value in (("NAME", "t"), ("EMAIL", "t@example.com"))}  # fmt: skip
    env = {**os.environ, **people, "PRE_COMMIT_HOME": str(tmp_path / ".cache")}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    subprocess.run([git, "init", "-q"], cwd=tmp_path, check=True, env=env)
    subprocess.run([git, "add", "."], cwd=tmp_path, check=True, env=env)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"],
                          cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert ".github/workflows/deploy.yml:9:11: " in done.stdout
    assert "[OC102]" in done.stdout and "README.md" not in done.stdout
