"""The few git operations oidcify performs on a checkout: check that it is safe to commit, then
commit exactly the files the retrofit changed, on the current branch or on a new one.

Rules: never on a dirty tree (checked before anything is written), never a push, never another
branch touched, and a failed commit leaves the checkout as it was (files restored, the new branch
deleted, the old branch checked out again). Git's hooks and signing settings are respected.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from oidcify.errors import InputError, ToolError

_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or git am",
}
WORKFLOWS = ".github/workflows/"


def git(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise ToolError("git is not installed or not on PATH", field="git") from None


def _ok(root: Path, *args: str, stdin: str | None = None) -> str:
    done = git(root, *args, stdin=stdin)
    if done.returncode != 0:
        message = " ".join((done.stderr or done.stdout).split()) or f"exit {done.returncode}"
        raise InputError(f"git {args[0]} failed: {message}", field="git")
    return done.stdout


def check_ready(root: Path, branch: str | None = None) -> None:
    """Refuse, with the reason, unless ``root`` is the top of a work tree with a commit, no
    operation in progress, no uncommitted changes to tracked files, no untracked workflow files,
    and (when given) no branch named ``branch`` yet."""
    done = git(root, "rev-parse", "--show-toplevel", "--absolute-git-dir")
    if done.returncode != 0:
        raise InputError("not a git repository", field="git")
    top, git_dir = done.stdout.splitlines()[:2]
    if Path(top).resolve() != root.resolve():
        raise InputError(f"not the top of its git repository ({top})", field="git")
    if git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        raise InputError("the repository has no commit yet", field="git")
    for name, what in _IN_PROGRESS.items():
        if (Path(git_dir) / name).exists():
            raise InputError(f"{what} is in progress; finish or abort it first", field="git")
    dirty = dirty_paths(root)
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise InputError(f"dirty tree: uncommitted changes in {shown}", field="git")
    if branch is not None and branch_exists(root, branch):
        raise InputError(f"branch {branch} already exists; pick another --branch", field="git")


def dirty_paths(root: Path) -> list[str]:
    """Tracked files with staged or unstaged changes, and untracked workflow files (which the
    retrofit would edit and a commit would add); other untracked files are left out."""
    out = _ok(root, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    entries = out.split("\0")
    found: list[str] = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            index += 1  # a rename or copy is followed by its source path
        if code == "??" and not path.startswith(WORKFLOWS):
            continue
        if code != "!!":
            found.append(path)
    return found


def branch_exists(root: Path, branch: str) -> bool:
    done = git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    return done.returncode == 0


def valid_branch_name(root: Path, branch: str) -> bool:
    return git(root, "check-ref-format", "--branch", branch).returncode == 0


def commit(root: Path, files: Sequence[str], message: str) -> str:
    """Commit ``files`` (already written) on the current branch; the new commit's id. On
    failure the files are restored from HEAD and the error says what git said."""
    try:
        _ok(root, "add", "--", *files)
        _ok(root, "commit", "--quiet", "--file=-", "--", *files, stdin=message)
    except InputError:
        git(root, "reset", "--quiet", "--", *files)
        git(root, "checkout", "--quiet", "HEAD", "--", *files)
        raise
    return _ok(root, "rev-parse", "HEAD").strip()


def commit_on_new_branch(
    root: Path, branch: str, files: Sequence[str], message: str, write: Callable[[], object]
) -> str:
    """Create ``branch`` at HEAD, switch to it, ``write()`` the files and commit them; the
    checkout stays on the new branch. On any failure the previous branch is checked out again
    and the new branch deleted."""
    previous = git(root, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    head = _ok(root, "rev-parse", "HEAD").strip()
    _ok(root, "checkout", "--quiet", "-b", branch)
    try:
        write()
        return commit(root, files, message)
    except BaseException:
        git(root, "checkout", "--quiet", "HEAD", "--", *files)
        target = [previous] if previous else ["--detach", head]
        git(root, "checkout", "--quiet", *target)
        git(root, "branch", "--quiet", "-D", branch)
        raise
