"""Leftovers of a ``copier update`` that did not merge cleanly: conflict markers and ``.rej`` files.

Copier writes unresolved hunks either inline (``<<<<<<< before updating`` ... ``>>>>>>> after
updating``, the default) or as ``FILE.rej`` next to the file (``--conflict rej``). Committing either
breaks the workflow or the Terraform, so ``oidcify check`` refuses them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Git and Copier write exactly seven marker characters; a line of eight or more is text.
_MARKER = re.compile(rb"^(<{7}(?!<)|={7}$|>{7}(?!>)|\|{7}(?!\|))")
_SKIP_DIRS = {".git", ".venv", "node_modules", ".terraform", "__pycache__"}


@dataclass(frozen=True)
class Leftover:
    path: Path
    line: int  # 1-based; 0 for a whole ``.rej`` file
    message: str


def has_markers(text: str) -> bool:
    """Whether ``text`` has a line that is a conflict marker (cheap test before ``scan_data``)."""
    if not any(m in text for m in ("<<<<<<<", "=======", ">>>>>>>", "|||||||")):
        return False
    return any(_MARKER.match(line) for line in text.encode("utf-8").splitlines())


def scan_data(path: Path, data: bytes) -> list[Leftover]:
    """Conflict markers in ``data``, the content of ``path``."""
    if b"\0" in data[:8192]:
        return []  # binary
    found = []
    for number, line in enumerate(data.splitlines(), start=1):
        if _MARKER.match(line):
            text = line.decode("utf-8", "replace").rstrip()
            found.append(Leftover(path, number, f"unresolved conflict marker {text!r}"))
    return found


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


def scan(paths: list[Path]) -> list[Leftover]:
    """Every leftover in ``paths`` (files, or folders searched recursively)."""
    found: list[Leftover] = []
    for path in paths:
        for file in walk(path) if path.is_dir() else [path]:
            found.extend(scan_file(file))
    return found
