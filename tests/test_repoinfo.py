from __future__ import annotations

from pathlib import Path

import pytest

from oidcify import repoinfo


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:octo-org/app.git", ("octo-org", "app")),
        ("https://github.com/octo-org/app", ("octo-org", "app")),
        ("ssh://git@github.com/octo-org/app.js.git", ("octo-org", "app.js")),
        ("https://gitlab.com/octo-org/app.git", None),
    ],
)
def test_origin_repository(tmp_path: Path, url: str, expected: tuple[str, str] | None) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(
        f'[core]\n\tbare = false\n[remote "upstream"]\n\turl = git@github.com:x/y.git\n'
        f'[remote "origin"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n'
    )
    assert repoinfo.origin_repository(tmp_path) == expected


def test_worktree_and_default_branch(tmp_path: Path) -> None:
    common = tmp_path / "main" / ".git"
    (common / "worktrees" / "wt").mkdir(parents=True)
    (common / "worktrees" / "wt" / "commondir").write_text("../..\n")
    (common / "config").write_text('[remote "origin"]\n\turl = https://github.com/o/r.git\n')
    (common / "refs" / "remotes" / "origin").mkdir(parents=True)
    (common / "refs" / "remotes" / "origin" / "HEAD").write_text("ref: refs/remotes/origin/trunk\n")
    worktree = tmp_path / "wt"
    worktree.mkdir()
    (worktree / ".git").write_text(f"gitdir: {common / 'worktrees' / 'wt'}\n")
    assert repoinfo.origin_repository(worktree) == ("o", "r")
    assert repoinfo.default_branch(worktree) == "trunk"
    assert repoinfo.default_branch(tmp_path) is None
