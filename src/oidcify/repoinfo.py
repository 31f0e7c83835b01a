"""Facts about a checkout read straight from its files (no git process): the GitHub repository
its ``origin`` remote points at, and the remote's default branch."""

from __future__ import annotations

import re
from pathlib import Path

_REMOTE = re.compile(r'^\[remote\s+"origin"\]\s*$(.*?)(?=^\[|\Z)', re.MULTILINE | re.DOTALL)
_URL = re.compile(r"^\s*url\s*=\s*(\S+)\s*$", re.MULTILINE)
_GITHUB = re.compile(r"github\.com[:/]+([^/\s]+)/([^/\s]+?)(?:\.git)?/?$")


def git_dir(root: Path) -> Path | None:
    """The repository's git directory (``.git`` may be a file pointing elsewhere)."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    try:
        line = dot_git.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not line.startswith("gitdir:"):
        return None
    path = Path(line.partition(":")[2].strip())
    path = path if path.is_absolute() else root / path
    common = path / "commondir"  # a worktree's config and refs live in the common dir
    try:
        return (path / common.read_text(encoding="utf-8").strip()).resolve()
    except OSError:
        return path


def origin_repository(root: Path) -> tuple[str, str] | None:
    """``(owner, name)`` of the GitHub repository ``origin`` points at, if it is on GitHub."""
    folder = git_dir(root)
    try:
        config = (folder / "config").read_text(encoding="utf-8") if folder else ""
    except OSError:
        return None
    section = _REMOTE.search(config)
    url = _URL.search(section.group(1)) if section else None
    match = _GITHUB.search(url.group(1)) if url else None
    return (match.group(1), match.group(2)) if match else None


def default_branch(root: Path) -> str | None:
    """The branch ``origin/HEAD`` names (set by ``git clone``), if recorded."""
    folder = git_dir(root)
    try:
        head = (folder / "refs/remotes/origin/HEAD").read_text(encoding="utf-8") if folder else ""
    except OSError:
        return None
    prefix = "ref: refs/remotes/origin/"
    return head.strip()[len(prefix) :] if head.startswith(prefix) else None
