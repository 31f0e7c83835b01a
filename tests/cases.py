"""The template's answer matrix (fixtures/template_cases/*.yml) and what tests read back from it.

Every case is rendered once per session through Copier's API from the repository root; the
rendered files are then read as a user's tools would read them, never through the template's
own Jinja.
"""

from __future__ import annotations

import hashlib
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from oidcify import subjects

REPO = Path(__file__).resolve().parents[1]
CASES_DIR = REPO / "tests" / "fixtures" / "template_cases"
BASE = {"github_owner": "octo-org", "github_repo": "app", "aws_account_id": "012345678901"}


@dataclass(frozen=True)
class Case:
    name: str
    root: Path

    @property
    def answers(self) -> dict[str, Any]:
        """The answers Copier recorded, defaults included."""
        loaded: dict[str, Any] = yaml.safe_load((self.root / ".copier-answers.yml").read_text())
        return loaded

    @property
    def workflow_path(self) -> Path:
        return self.root / ".github" / "workflows" / "build-and-push.yml"

    @property
    def workflow(self) -> dict[Any, Any]:
        loaded: dict[Any, Any] = yaml.safe_load(self.workflow_path.read_text())
        return loaded

    @property
    def terraform_dir(self) -> Path:
        return self.root / self.answers["terraform_dir"]

    def terraform_digest(self) -> str:
        """Identical Terraform renders (e.g. cases that differ only in the workflow) plan once."""
        digest = hashlib.sha256()
        for path in sorted(self.terraform_dir.glob("*.tf*")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()


def case_answers() -> dict[str, dict[str, Any]]:
    """Each case's answers: BASE plus the case file's."""
    return {
        path.stem: {**BASE, **(yaml.safe_load(path.read_text()) or {})}
        for path in sorted(CASES_DIR.glob("*.yml"))
    }


def repo_of(answers: dict[str, Any]) -> subjects.Repo:
    """The GitHub repository the answers name, with its numeric ids when given."""
    ids = [int(answers[k]) if answers[k] else None for k in ("github_owner_id", "github_repo_id")]
    return subjects.Repo(answers["github_owner"], answers["github_repo"], *ids)


def render(answers: dict[str, Any], dest: Path, src: Path = REPO, vcs_ref: str = "HEAD") -> None:
    import copier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Copier warns that it includes uncommitted changes
        copier.run_copy(
            src_path=str(src),
            dst_path=dest,
            data=answers,
            defaults=True,
            unsafe=False,
            vcs_ref=vcs_ref,
            quiet=True,
        )


# Release commits, for checkouts that carry the history but not the tags (CI deletes them).
RELEASES = {
    "v0.1.0": "ff96e56446ea345d3ef12c18ef8c27e8893a5fef",
    "v0.2.0": "292cba26428a7f5c42a49210e6b8fe244c973e7a",
    "v0.3.2": "14a0d2357f20f33512fdc91d48f0fa8be4b74c2e",
}


def render_release(answers: dict[str, Any], dest: Path, release: str) -> None:
    """The template as released in ``release`` (a tag of RELEASES), rendered with ``answers``;
    skips the test in a checkout that has neither the tag nor its commit (a shallow clone)."""
    source = dest.parent / f"template-{release}"
    source.mkdir()
    extract_release(release, source)
    render(answers, dest, src=source)


def extract_release(release: str, dest: Path) -> None:
    """The template's files as released in ``release`` (a tag of RELEASES), into ``dest``;
    skips the test in a checkout that has neither the tag nor its commit (a shallow clone)."""
    import pytest

    ref = next((r for r in (release, RELEASES[release]) if _has_commit(r)), None)
    if ref is None:
        pytest.skip(f"this checkout has neither the tag {release} nor its commit")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "copier.yml", "template", "src/oidcify/data"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)


def _has_commit(ref: str) -> bool:
    found = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


def steps(case: Case) -> list[dict[str, Any]]:
    job = case.workflow["jobs"]["build-and-push"]
    found: list[dict[str, Any]] = job["steps"]
    return found


def step(case: Case, action: str) -> dict[str, Any] | None:
    """The step that uses ``action`` (OWNER/REPO), if any."""
    return next((s for s in steps(case) if s.get("uses", "").startswith(action + "@")), None)


def triggers(case: Case) -> dict[str, Any]:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1), as GitHub does not.
    workflow = case.workflow
    found: dict[str, Any] = workflow.get("on", workflow.get(True))
    return found
