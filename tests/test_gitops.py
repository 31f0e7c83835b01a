"""When oidcify may commit, and committing exactly its own files (``oidcify.gitops``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from batch_repos import OIDC, STATIC, git, make_repo, status
from oidcify import gitops
from oidcify.errors import InputError

WORKFLOW = ".github/workflows/deploy.yml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "app", {"deploy.yml": STATIC})


def test_clean_with_untracked_files_elsewhere(repo: Path) -> None:
    (repo / "notes.txt").write_text("mine\n")
    gitops.check_ready(repo, "oidc")


@pytest.mark.parametrize(
    ("dirty", "expected"),
    [
        (lambda r: (r / WORKFLOW).write_text("changed\n"), [WORKFLOW]),
        (
            lambda r: (r / ".github/workflows/new.yml").write_text(OIDC),
            [".github/workflows/new.yml"],
        ),
        (lambda r: ((r / "x").write_text("x"), git(r, "add", "x")), ["x"]),
        (
            lambda r: git(r, "mv", WORKFLOW, ".github/workflows/moved.yml"),
            [".github/workflows/moved.yml"],
        ),
    ],
    ids=["modified", "untracked-workflow", "staged", "renamed"],
)
def test_dirty_trees_are_refused(repo: Path, dirty: object, expected: list[str]) -> None:
    dirty(repo)  # type: ignore[operator]
    assert gitops.dirty_paths(repo) == expected
    with pytest.raises(InputError, match="dirty tree: uncommitted changes in"):
        gitops.check_ready(repo)


def test_refusals(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not the top of its git repository"):
        gitops.check_ready(repo / ".github")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(InputError, match="not a git repository"):
        gitops.check_ready(plain)
    empty = make_repo(tmp_path / "empty", {"deploy.yml": STATIC}, commit=False)
    with pytest.raises(InputError, match="no commit yet"):
        gitops.check_ready(empty)
    git(repo, "branch", "oidc")
    with pytest.raises(InputError, match="branch oidc already exists"):
        gitops.check_ready(repo, "oidc")
    (repo / ".git" / "MERGE_HEAD").write_text(git(repo, "rev-parse", "HEAD"))
    with pytest.raises(InputError, match="a merge is in progress"):
        gitops.check_ready(repo)


def test_commit_on_new_branch_from_a_detached_head_restores_it(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "--quiet", "--detach")

    def write() -> None:
        (repo / WORKFLOW).write_text(OIDC)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        gitops.commit_on_new_branch(repo, "oidc", [WORKFLOW], "message", write)
    assert git(repo, "rev-parse", "HEAD").strip() == head
    assert git(repo, "branch", "--show-current").strip() == ""  # detached again
    assert not gitops.branch_exists(repo, "oidc")
    assert status(repo) == ""


def test_commit_commits_only_the_given_files(repo: Path) -> None:
    (repo / WORKFLOW).write_text(OIDC)
    (repo / "notes.txt").write_text("not ours\n")
    sha = gitops.commit(repo, [WORKFLOW], "Title\n\nBody\n")
    assert git(repo, "rev-parse", "HEAD").strip() == sha
    assert git(repo, "show", "--name-only", "--format=%s").split() == ["Title", WORKFLOW]
    assert status(repo) == "?? notes.txt\n"
