"""`copier update` on a generated repository: new answers reach the workflow and the trust
policy together, and the user's own edits stay.

The template is a fresh git repository made from the working tree (conftest.plain_template):
Copier records the commit it rendered, and a template checkout with uncommitted changes would
record a draft commit that `copier update` cannot find again."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
import yaml

from cases import BASE, render


def _git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.email=test@example.com", "-c", "user.name=test"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
def test_update_changes_triggers_and_tfvars_together_and_keeps_edits(
    plain_template: Path, tmp_path: Path
) -> None:
    import copier

    template = tmp_path / "template"
    shutil.copytree(plain_template, template)
    _git(template, "init", "-q")
    _git(template, "add", "-A")
    _git(template, "commit", "-qm", "template")
    repo = tmp_path / "repo"
    render(BASE, repo, src=template)
    main_tf = repo / "infra" / "github-oidc" / "main.tf"
    _git(repo, "init", "-q")
    main_tf.write_text(main_tf.read_text() + "# our own note\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "bootstrap")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_update(
            dst_path=repo,
            data={"deploy_branches": ["main", "develop"]},
            defaults=True,
            overwrite=True,
            unsafe=False,
            vcs_ref="HEAD",
            quiet=True,
        )
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "build-and-push.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main", "develop"]
    tfvars = (repo / "infra" / "github-oidc" / "terraform.tfvars").read_text()
    assert 'deploy_branches     = ["main", "develop"]' in tfvars
    assert main_tf.read_text().endswith("# our own note\n")
    answers = yaml.safe_load((repo / ".copier-answers.yml").read_text())
    assert answers["aws_account_id"] == BASE["aws_account_id"]
    assert answers["_src_path"] == str(template)
