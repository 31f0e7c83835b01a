"""Writing a retrofit's result: all changed files or none.

Each file is written to a temporary file in its own folder (same file system, so ``os.replace``
is atomic) with the original's mode, then all are moved into place. A file that changed on
disk since it was read, or any write error, stops everything; files already replaced are put
back, and the temporary files removed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from oidcify.errors import InputError
from oidcify.retrofit.result import FileResult, RepoResult


def _stage(root: Path, result: FileResult) -> tuple[Path, Path]:
    assert result.new is not None and result.original is not None
    target = (root / result.path).resolve()
    if target.read_bytes() != result.original.encode("utf-8"):
        raise InputError(
            "changed on disk while oidcify was working; run it again", field=result.path
        )
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".oidcify")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(result.new.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(name).chmod(mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), target


def write(root: Path, repo: RepoResult) -> list[str]:
    """Write every changed file of ``repo`` under ``root``; the paths written."""
    if repo.errors:
        raise InputError(
            f"nothing written: {len(repo.errors)} file(s) could not be processed", field="--write"
        )
    staged: list[tuple[Path, Path, FileResult]] = []
    done: list[tuple[Path, FileResult]] = []
    try:
        for result in repo.changed:
            temp, target = _stage(root, result)
            staged.append((temp, target, result))
        for temp, target, result in staged:
            temp.replace(target)
            done.append((target, result))
    except OSError as err:
        _roll_back(done)
        raise InputError(
            f"nothing written: {err.strerror or err} ({err.filename})", field="--write"
        ) from None
    finally:
        for temp, _, _ in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
    return [r.path for r in repo.changed]


def _roll_back(done: list[tuple[Path, FileResult]]) -> None:
    for target, result in reversed(done):
        assert result.original is not None
        with contextlib.suppress(OSError):
            target.write_bytes(result.original.encode("utf-8"))
