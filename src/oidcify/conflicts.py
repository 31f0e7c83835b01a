"""Leftovers of a ``copier update`` that did not merge cleanly: conflict markers and ``.rej`` files.

Copier writes unresolved hunks either inline (``<<<<<<< before updating`` ... ``>>>>>>> after
updating``, the default) or as ``FILE.rej`` next to the file (``--conflict rej``). Committing either
breaks the workflow or the Terraform, so ``oidcify check`` refuses them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

# Git and Copier write exactly seven marker characters; a line of eight or more is text. Only an
# opening marker starts a conflict: a lone "=======" is a Markdown heading's underline.
_OPEN = re.compile(rb"^<{7}(?!<)")
_INSIDE = re.compile(rb"^(={7}$|\|{7}(?!\|))")
_CLOSE = re.compile(rb"^>{7}(?!>)")
_SKIP_DIRS = {".git", ".venv", "node_modules", ".terraform", "__pycache__"}


class Leftover(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """One conflict marker line, or a whole ``.rej`` file (line 0)."""

    path: Path
    line: int  # 1-based; 0 for a whole ``.rej`` file
    message: str

    def describe(self, root: Path | None = None) -> str:
        """``FILE:LINE: message`` (``FILE: message`` for a ``.rej``), FILE relative to ``root``."""
        path = self.path
        if root is not None and path.resolve().is_relative_to(root.resolve()):
            path = path.resolve().relative_to(root.resolve())
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


def _marker_lines(data: bytes) -> list[tuple[int, bytes]]:
    """``(line number, line)`` of each conflict marker: an opening ``<<<<<<<`` and what follows
    it up to and including its ``>>>>>>>``."""
    found: list[tuple[int, bytes]] = []
    inside = False
    for number, line in enumerate(data.splitlines(), start=1):
        if _OPEN.match(line):
            inside = True
        elif not inside or not (_INSIDE.match(line) or _CLOSE.match(line)):
            continue
        found.append((number, line))
        inside = inside and not _CLOSE.match(line)
    return found


def has_markers(text: str) -> bool:
    """Whether ``text`` holds a conflict (cheap test before ``scan_data``)."""
    return "<<<<<<<" in text and bool(_marker_lines(text.encode("utf-8")))


def scan_data(path: Path, data: bytes) -> list[Leftover]:
    """Conflict markers in ``data``, the content of ``path``."""
    if b"\0" in data[:8192]:
        return []  # binary
    return [
        Leftover(
            path, number, f"unresolved conflict marker {line.decode('utf-8', 'replace').rstrip()!r}"
        )
        for number, line in _marker_lines(data)
    ]


def rejected(path: Path) -> Leftover:
    return Leftover(path, 0, f"rejected update hunk: merge it into {path.stem} and delete it")


def scan_file(path: Path) -> list[Leftover]:
    """Conflict markers in one file, or the file itself when it is a ``.rej``."""
    if path.suffix == ".rej":
        return [rejected(path)]
    try:
        data = path.read_bytes()
    except OSError:
        return []
    return scan_data(path, data)


def walk(root: Path) -> Iterator[Path]:
    """Every file below ``root`` except in VCS, virtualenv and cache folders."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            yield Path(folder, name)


def rejects(root: Path) -> list[Path]:
    """The ``.rej`` files among those ``walk`` finds (a Path only for those: a check walks every
    file of the folders it is given)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        # len > 4: a file named just ".rej" has no suffix, as for Path.suffix
        found += [Path(folder, n) for n in sorted(files) if n.endswith(".rej") and len(n) > 4]
    return found


def scan(paths: list[Path]) -> list[Leftover]:
    """Every leftover in ``paths`` (files, or folders searched recursively)."""
    found: list[Leftover] = []
    for path in paths:
        for file in walk(path) if path.is_dir() else [path]:
            found.extend(scan_file(file))
    return found


def _changed_files(root: Path) -> list[Path] | None:
    """Files under ``root`` that git sees as modified, unmerged or new; None outside git."""
    from oidcify import tools  # noqa: PLC0415 - a check, which never runs git here, skips it

    top = tools.run(["git", "-C", root, "rev-parse", "--show-toplevel"])
    listed = tools.run(["git", "-C", root, "status", "--porcelain", "-z", "--untracked-files=all"])
    if top.returncode != 0 or listed.returncode != 0:
        return None
    entries = iter(listed.stdout.split("\0"))
    paths = []
    for entry in entries:
        if entry[:1] in {"R", "C"}:
            next(entries, None)  # -z gives a rename's or copy's old name as the next field
        if entry:  # porcelain paths are relative to the top of the repository
            paths.append(Path(top.stdout.strip(), entry[3:]))
    return [path for path in paths if path.is_file() and path.is_relative_to(root)]


def after_update(root: Path) -> list[Leftover]:
    """Leftovers of a ``copier update`` of ``root``, which Copier only runs on a clean checkout.

    Markers count only in files the update changed, so that a line of the user's own that looks
    like one (a Markdown heading underlined with seven ``=``) is left alone; every ``.rej`` file
    counts, also one that git ignores.
    """
    root = root.resolve()
    changed = _changed_files(root)
    if changed is None:
        return scan([root])
    return scan(sorted(set(changed) | set(rejects(root))))
