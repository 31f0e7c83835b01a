"""Files that may still use a secret where the retrofit cannot see it: workflow files that could
not be read or parsed, and YAML outside the workflows it edits (composite actions under
``.github/actions``, local actions that workflows run with ``uses: ./DIR``, the repository's
own ``action.yml``, anything else under ``.github``).

A secret is called deletable only when none of them names it: its name (any case) occurring
anywhere in such a file's bytes keeps it, and a file that could not be read at all keeps every
secret, and so does a place that may use any secret (``all_secrets``). Each kept secret gets an
OW010 warning saying which file keeps it. Reading is raw and
forgiving (Latin-1, so every byte decodes): names of secrets are ASCII.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from oidcify.retrofit.result import Finding
from oidcify.workflow_files import SUFFIXES

Texts = Mapping[str, str | None]  # repository-relative path -> text, None: could not be read

_LOCAL_ACTION = re.compile(r"""uses:\s*['"]?\./([^\s'"@#]+)""")
_ACTION_FILES = ("action.yml", "action.yaml")


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("latin-1")
    except OSError:
        return None


def _under_github(root: Path, skip: set[str]) -> Iterable[str]:
    """YAML files under ``.github`` (symlinked folders not followed), but not ``skip``."""
    for folder, dirs, files in os.walk(root / ".github"):
        dirs.sort()
        for name in sorted(files):
            relative = (Path(folder) / name).relative_to(root).as_posix()
            if name.endswith(SUFFIXES) and relative not in skip:
                yield relative


def _local_actions(root: Path, texts: Iterable[str]) -> Iterable[str]:
    """The action files of ``uses: ./DIR`` steps, and of the repository itself."""
    folders = {"."} | {m.group(1).rstrip("/") for t in texts for m in _LOCAL_ACTION.finditer(t)}
    for folder in sorted(folders):
        for name in _ACTION_FILES:
            relative = os.path.normpath(Path(folder) / name)
            if not relative.startswith(".."):
                yield Path(relative).as_posix()


def read_others(root: Path, texts: Mapping[str, str], skip: Iterable[str]) -> dict[str, str | None]:
    """Texts of the files that may use secrets besides the workflow files ``skip``, whose
    ``texts`` name the local actions they run."""
    skip = set(skip)
    found: dict[str, str | None] = {}
    paths = [*_under_github(root, skip), *_local_actions(root, texts.values())]
    inside = root.resolve()
    for relative in paths:
        path = root / relative
        if relative in found or relative in skip or not path.is_file():
            continue  # a folder or a broken link is nothing GitHub can run
        if path.resolve().is_relative_to(inside):
            found[relative] = _read(path)
    return found


def read_failed(root: Path, relative: str) -> str | None:
    """The raw text of a workflow file that could not be read as a workflow, if any is there."""
    path = root / relative
    return _read(path) if path.is_file() else None


def keep(
    candidates: list[str], others: Texts, failed: Iterable[str], wholesale: Sequence[str] = ()
) -> tuple[list[str], list[Finding]]:
    """The secrets still deletable, and an OW010 warning for each one that is not;
    ``wholesale``: places that may use any secret (``all_secrets.reasons``), which keep all."""
    failed_paths = set(failed)
    unread = sorted(p for p, t in others.items() if t is None)
    upper = {p: t.upper() for p, t in others.items() if t is not None}
    deletable, warnings = [], []
    for name in candidates:
        if unread:
            why = f"{unread[0]} could not be read"
        elif users := sorted(p for p, t in upper.items() if name.upper() in t):
            why = f"{_describe(users[0], failed_paths)} still names it"
            why += f" (and {len(users) - 1} more file(s))" if len(users) > 1 else ""
        elif wholesale:
            why = wholesale[0]
            why += f" (and {len(wholesale) - 1} more place(s))" if len(wholesale) > 1 else ""
        else:
            deletable.append(name)
            continue
        warnings.append(
            Finding(
                "OW010",
                0,
                f"secret {name} is no longer used by the workflows oidcify changes, but {why}: "
                "keep it until that file is checked",
            )
        )
    return deletable, warnings


def _describe(path: str, failed: set[str]) -> str:
    return f"{path} (which oidcify could not process)" if path in failed else path


__all__ = ["keep", "read_failed", "read_others"]
