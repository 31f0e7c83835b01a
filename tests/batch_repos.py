"""Local git repositories for the batch and engine tests, built in a temporary folder from the
corpus (../shared/corpus, read in place): one repository per source repository of the corpus,
so most hold one workflow and some several, each with a github.com ``origin`` remote."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).parent / "fixtures" / "retrofit"
STATIC = (FIXTURES / "or001-basic" / "input.yml").read_text(encoding="utf-8")
OIDC = (FIXTURES / "os001-already-oidc" / "input.yml").read_text(encoding="utf-8")
ROLE = "arn:aws:iam::123456789012:role/gha-deploy"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def make_repo(
    root: Path,
    files: dict[str, str | bytes],
    origin: str | None = None,
    commit: bool = True,
) -> Path:
    """A git repository at ``root`` with ``files`` under .github/workflows, committed."""
    folder = root / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    if origin:
        git(root, "remote", "add", "origin", origin)
    if commit:
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "--message", "initial")
    return root


def corpus_sources() -> dict[tuple[str, str], list[Path]]:
    """Corpus files grouped by the repository they came from (``OWNER__REPO__FILE``)."""
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    grouped: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in sorted(CORPUS.glob("*/*.y*ml")):
        owner, repo, _ = path.name.split("__", 2)
        grouped[(owner, repo)].append(path)
    return grouped


def corpus_repos(base: Path) -> dict[str, Path]:
    """One repository per corpus source repository, named ``OWNER__REPO``."""
    made = {}
    for (owner, repo), paths in corpus_sources().items():
        files = {p.name.split("__", 2)[2]: p.read_bytes() for p in paths}
        name = f"{owner}__{repo}"
        made[name] = make_repo(base / name, files, f"https://github.com/{owner}/{repo}.git")
    return made


def status(root: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all")
