"""Which repositories a batch runs over: paths given as arguments or listed in ``--repos-file``
(one per line; blank lines and ``#`` comments ignored; ``-`` reads standard input).

A path that holds ``.git`` or ``.github`` is a checkout. Any other directory is a directory of
checkouts: its immediate subdirectories that hold ``.git`` or ``.github``, by name (or, with
none, a checkout without workflows). A path that does not exist stays in the list and fails on
its own, so a typo never stops the rest. The same
checkout named twice runs once. Each checkout gets a short unique label (its directory's name,
with parent folders added while names clash), used in output, reports and patch file names.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from oidcify.batch.outcome import Target
from oidcify.errors import InputError, describe_os_error

MARKERS = (".git", ".github")


def is_checkout(path: Path) -> bool:
    try:
        return any((path / marker).exists() for marker in MARKERS)
    except OSError:  # unreadable: let it fail on its own, as a checkout
        return True


def read_list(source: str) -> list[str]:
    """Paths from a repos file: ``#`` starts a comment at the start of a line or after a space."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as err:
        reason = describe_os_error(err)
        raise InputError(f"cannot read {source}: {reason}", field="--repos-file") from None
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text", field="--repos-file") from None
    paths = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for marker in (" #", "\t#"):
            stripped = stripped.split(marker, 1)[0].rstrip()
        paths.append(stripped)
    return paths


def expand(paths: Iterable[str]) -> list[Path]:
    """Checkouts in order: each path, or the checkouts inside a directory of checkouts."""
    found: list[Path] = []
    for text in paths:
        path = Path(text).expanduser()
        if not path.is_dir() or is_checkout(path):
            found.append(path)
            continue
        try:
            inside = sorted(p for p in path.iterdir() if p.is_dir() and is_checkout(p))
        except OSError:
            inside = []
        found.extend(inside or [path])
    return found


def _unique(paths: Sequence[Path]) -> list[Path]:
    seen: set[Path] = set()
    kept = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept


def labels(paths: Sequence[Path]) -> list[str]:
    """Each path's directory name, with as many parent folders as it takes to tell them apart."""
    parts = [path.resolve().parts for path in paths]
    depth = [1] * len(paths)
    while True:
        shown = ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        clashes = {s for s in shown if shown.count(s) > 1}
        grow = [i for i, s in enumerate(shown) if s in clashes and depth[i] < len(parts[i])]
        if not grow:
            return shown
        for i in grow:
            depth[i] += 1


def targets(arguments: Sequence[str], repos_file: str | None) -> list[Target]:
    listed = list(arguments) + (read_list(repos_file) if repos_file else [])
    if not listed:
        raise InputError(
            "no repositories: give checkout paths, a directory of checkouts, or --repos-file",
            field="REPO",
        )
    paths = _unique(expand(listed))
    # Absolute: worker processes do not share the parent's working directory.
    return [Target(str(p.absolute()), label) for p, label in zip(paths, labels(paths), strict=True)]
