"""Which files ``oidcify check PATH...`` checks, found without importing any YAML library (the
actionlint process is started before the heavy imports, so the two run side by side).

- a repository (a folder with ``.github/workflows``): the top level of that folder, ``*.yml`` and
  ``*.yaml``, as GitHub reads it;
- the ``.github/workflows`` folder itself, or a file in it: that repository's workflows, the other
  files of the folder loaded as context (callers of reusable workflows) but not reported on;
- any other folder: every ``*.yml`` / ``*.yaml`` below it, each file on its own (but with no
  PATH at all, only the working directory's ``.github/workflows``);
- any other file: that file, on its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from oidcify.errors import InputError
from oidcify.workflow_files import SUFFIXES, WORKFLOWS_DIR

SKIP_DIRS = frozenset({".git", ".venv", "node_modules", ".terraform", "__pycache__", ".tox"})


class Source(NamedTuple):  # not a dataclass: see options.py
    path: Path  # as found (joined onto the argument given)
    display: str  # as reported: relative to the working directory where possible
    root: Path | None  # the repository whose .github/workflows holds the file; None: on its own
    target: bool = True  # False: loaded only as context for another file

    @property
    def key(self) -> str:
        """The path reusable-workflow calls use (``.github/workflows/x.yml``), or the display."""
        if self.root is None:
            return self.display
        return (WORKFLOWS_DIR / self.path.name).as_posix()


def display(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it is below it (symlinks kept), else as given."""
    try:
        # abspath, not resolve: lexical, so a symlinked file keeps the name it was given
        return Path(os.path.abspath(path)).relative_to(cwd).as_posix()  # noqa: PTH100
    except ValueError:
        return path.as_posix()


def _workflow_files(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(SUFFIXES) and not e.is_dir())
    except OSError as err:
        raise InputError(f"cannot list: {err.strerror}", field=folder.as_posix()) from None
    return [folder / name for name in names]


def _yaml_below(folder: Path) -> list[Path]:
    found: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        base = Path(parent)  # a child of a Path is made in half the time of Path(parent, f)
        found += [base / f for f in sorted(files) if f.endswith(SUFFIXES)]
    return found


def repo_root_of(path: Path) -> Path | None:
    """The repository root when ``path`` is ``ROOT/.github/workflows`` or a file directly in it."""
    folder = path if path.is_dir() else path.parent
    if folder.name == "workflows" and folder.parent.name == ".github":
        return folder.parent.parent
    return None


def _expand(arg: Path) -> list[tuple[Path, Path | None]]:
    if not arg.exists() and not arg.is_symlink():
        raise InputError("no such file or directory", field=arg.as_posix())
    if arg.is_dir():
        if (arg / WORKFLOWS_DIR).is_dir():
            return [(p, arg) for p in _workflow_files(arg / WORKFLOWS_DIR)]
        if root := repo_root_of(arg):
            return [(p, root) for p in _workflow_files(arg)]
        return [(p, None) for p in _yaml_below(arg)]
    return [(arg, repo_root_of(arg))]


def _default(cwd: Path) -> list[tuple[Path, Path | None]]:
    """No PATH: the workflows of the repository in the working directory, if it has any (not
    every YAML file below it, as for a folder named explicitly)."""
    folder = cwd / WORKFLOWS_DIR
    return [(p, cwd) for p in _workflow_files(folder)] if folder.is_dir() else []


def collect(args: list[str], cwd: Path | None = None) -> list[Source]:
    """Every file to check, each once, in the order given; then context files of their repos.
    No ``args``: the repository in the working directory."""
    base = os.path.abspath(cwd or Path.cwd())  # noqa: PTH100 - lexical, see display()
    seen: dict[str, Source] = {}
    roots: dict[str, Path] = {}
    found = [item for arg in args for item in _expand(Path(arg))] if args else _default(Path(base))
    for path, root in found:
        key = os.path.abspath(path)  # noqa: PTH100
        if key not in seen:
            seen[key] = Source(path, _display(key, base, path), root)
        if root is not None:
            roots.setdefault(os.path.abspath(root), root)  # noqa: PTH100
    for root in roots.values():
        for path in _workflow_files(root / WORKFLOWS_DIR):
            key = os.path.abspath(path)  # noqa: PTH100
            if key not in seen:
                seen[key] = Source(path, _display(key, base, path), root, target=False)
    return list(seen.values())


def _display(absolute: str, base: str, path: Path) -> str:
    if absolute.startswith(base + os.sep):
        return absolute[len(base) + 1 :].replace(os.sep, "/")
    return path.as_posix()
