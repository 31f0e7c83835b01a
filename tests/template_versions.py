"""Two releases of the template in a throwaway git repository, for `copier update` tests.

``v1`` is the working tree as it is: what a user generates today. ``v2`` is a later release made
from a copy of it with one change of each kind a release brings (docs/template-maintenance.md):

- a new action release, written by ``oidcify pins refresh`` (``pins.refresh``): actions/checkout
  moves to ``V2_CHECKOUT``, a made-up future release (offline gates do not resolve SHAs);
- a new question whose default reproduces v1's output: ``job_timeout_minutes`` (30), used for
  the job's ``timeout-minutes``;
- a changed line of Terraform: ``required_version`` goes from ``>= 1.5.0`` to ``>= 1.6.0``;
- a renamed question, by the documented pattern: ``dockerfile`` becomes ``dockerfile_path``.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

from oidcify import pins

V2_CHECKOUT = pins.Pin("actions/checkout", "v7.9.0", "0123456789abcdef0123456789abcdef01234567")
WORKFLOW = Path(".github/workflows/build-and-push.yml")
MAIN_TF = Path("infra/github-oidc/main.tf")
V1_REQUIRED = 'required_version = ">= 1.5.0"'
V2_REQUIRED = 'required_version = ">= 1.6.0"'

NEW_QUESTION = """
job_timeout_minutes:
  type: int
  default: 30
  help: Minutes after which GitHub cancels a build
  validator: >-
    {% if job_timeout_minutes < 1 or job_timeout_minutes > 360 %}job_timeout_minutes: must be
    from 1 to 360, got {{ job_timeout_minutes }}{% endif %}
"""
OLD_DOCKERFILE_QUESTION = """dockerfile:
  type: str
  default: Dockerfile
"""
# The rename pattern: the old answer, still in the context during an update, is the default;
# `ask` (Copier >= 9.19) takes it without a prompt while the old answer is there.
RENAMED_DOCKERFILE_QUESTION = """dockerfile_path:
  type: str
  default: "{{ dockerfile if dockerfile is defined else 'Dockerfile' }}"
  ask: "{{ dockerfile is not defined }}"
"""


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.email=test@example.com", "-c", "user.name=test"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=repo, check=True, capture_output=True, text=True
    )
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def bootstrapped(src: Path, project: Path, answers: dict[str, Any], ref: str) -> Path:
    """``project`` copied from ``src`` at ``ref`` with ``answers`` and committed: a user's
    repository as it stands before its next ``copier update``."""
    from cases import render

    render(answers, project, src=src, vcs_ref=ref)
    git(project, "init", "-q")
    commit_all(project, f"bootstrap at {ref}")
    return project


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old``; a template that moved on fails loudly here."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_v2(root: Path) -> None:
    """Turn a copy of v1 at ``root`` into v2 (see the module docstring)."""
    tsv = root.parent / "releases.tsv"
    pin = V2_CHECKOUT
    tsv.write_text(f"action\tversion\tcommit\n{pin.action}\t{pin.version}\t{pin.commit}\n")
    table = root / "src" / "oidcify" / "data" / "action_pins.jinja"
    assert pins.refresh(tsv, path=table) == [(pins.load_pins()[pin.action], pin)]
    copier_yml = root / "copier.yml"
    copier_yml.write_text(copier_yml.read_text(encoding="utf-8") + NEW_QUESTION, encoding="utf-8")
    edit(copier_yml, OLD_DOCKERFILE_QUESTION, RENAMED_DOCKERFILE_QUESTION)
    edit(copier_yml, 'check("dockerfile", dockerfile,', 'check("dockerfile_path", dockerfile_path,')
    workflow = root / "template" / ".github" / "workflows" / "build-and-push.yml.jinja"
    edit(workflow, "timeout-minutes: 30", "timeout-minutes: {{ job_timeout_minutes }}")
    edit(workflow, "file: {{ dockerfile }}", "file: {{ dockerfile_path }}")
    edit(root / "template" / "{{ terraform_dir }}" / "main.tf", V1_REQUIRED, V2_REQUIRED)


def template_repo(plain_template: Path, root: Path) -> Path:
    """A git repository of the template at ``root`` with the tags v1 and v2."""
    shutil.copytree(plain_template, root)
    git(root, "init", "-q")
    commit_all(root, "v1")
    git(root, "tag", "v1")
    make_v2(root)
    commit_all(root, "v2")
    git(root, "tag", "v2")
    return root


def update(project: Path, **options: Any) -> None:
    """``copier update`` as a user runs it after committing: with defaults unless told."""
    import copier

    settings: dict[str, Any] = {"defaults": True, "overwrite": True, "unsafe": False}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_update(dst_path=project, quiet=True, **{**settings, **options})


def answers(project: Path) -> dict[str, Any]:
    import yaml

    loaded: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return loaded


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` outside ``.git``, by relative path."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


class Prompts:
    """Stands in for Copier's prompt: records each question asked and answers its default."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, questions: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
        name = questions[0]["name"]
        self.asked.append(name)
        return {name: answers[name]}
