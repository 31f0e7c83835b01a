"""Finding and reading a repository's workflow files, with one clear error per bad file.

GitHub reads only the top level of ``.github/workflows`` and only ``*.yml`` / ``*.yaml`` files (a
folder named ``x.yml`` is not a workflow and is ignored). A file
is read as bytes and decoded strictly, so a stray Latin-1 byte is an error naming its offset
rather than a silent replacement character; a symlink that leaves the repository is refused.
"""

from __future__ import annotations

from pathlib import Path

from oidcify.errors import InputError
from oidcify.utf8 import decode_strict
from oidcify.workflow_files import SUFFIXES, WORKFLOWS_DIR
from oidcify.workflows.model import Workflow, parse


def discover(repo: Path) -> list[Path]:
    """Workflow files of ``repo`` relative to it, sorted; none when the folder is missing."""
    folder = repo / WORKFLOWS_DIR
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as err:
        raise InputError(f"cannot list: {err.strerror}", field=str(WORKFLOWS_DIR)) from None
    return sorted(p.relative_to(repo) for p in entries if p.suffix in SUFFIXES and not p.is_dir())


def read_text(repo: Path, relative: Path) -> str:
    """The text of ``repo/relative``: UTF-8 (a BOM is kept), inside the repo, a regular file."""
    where = relative.as_posix()
    path = repo / relative
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError("broken symlink or unreadable path", field=where) from None
    if not resolved.is_relative_to(repo.resolve()):
        raise InputError(f"symlink points outside the repository (to {resolved})", field=where)
    if not resolved.is_file():
        raise InputError("not a regular file", field=where)
    try:
        data = resolved.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", field=where) from None
    return decode_strict(data, where)


def load(repo: Path, relative: Path) -> Workflow:
    """Read and parse one workflow file; an InputError naming the file on any problem."""
    return parse(relative.as_posix(), read_text(repo, relative))
