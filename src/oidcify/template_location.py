"""Where the template comes from, and what the answers file says it came from.

``oidcify new`` renders from ``--template``, else ``$OIDCIFY_TEMPLATE``, else the source
checkout of an editable install, else the copy of the template the wheel carries
(``oidcify/bundled_template/``: ``copier.yml``, ``template/`` and the Jinja data they import),
offline. The answers file must name a source ``copier update`` can reach later, on another
machine, after this virtualenv is gone: a local path is recorded absolute, and a render from the
bundled copy records the project's canonical git URL (``Source`` in pyproject's
``[project.urls]``, read from the installed metadata) at the release tag of this package,
``v<version>``, never a path inside site-packages.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from oidcify.errors import InputError

ENV_VAR = "OIDCIFY_TEMPLATE"
URL_LABEL = "Source"  # the [project.urls] entry that names the canonical git repository
_REMOTE_PREFIXES = ("gh:", "gl:", "git@", "git+", "ssh:", "file:")


@dataclass(frozen=True)
class Source:
    """What Copier renders from (``location``); with ``recorded``, the ``_src_path`` the answers
    file gets instead, at release ``commit``."""

    location: str
    recorded: str | None = None
    commit: str | None = None

    def __str__(self) -> str:
        if self.recorded is None:
            return self.location
        return f"the template bundled with oidcify, {self.recorded} at {self.commit}"


def checkout_root() -> Path | None:
    """The source checkout this package runs from (an editable install), if it holds copier.yml."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "copier.yml").is_file() else None


def bundled_root() -> Path | None:
    """The copy of the template an installed wheel carries, if there is one."""
    root = Path(__file__).resolve().parent / "bundled_template"
    return root if (root / "copier.yml").is_file() else None


def canonical_url() -> str | None:
    """The project's git URL, as pyproject.toml's ``[project.urls]`` names it."""
    from importlib import metadata  # noqa: PLC0415 - only when rendering from the bundled copy

    try:
        entries = metadata.metadata("oidcify").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = str(entry).partition(",")
        if label.strip() == URL_LABEL and url.strip():
            return url.strip()
    return None


def is_remote(src: str) -> bool:
    """Whether Copier reads ``src`` as a git URL rather than a local path."""
    return "://" in src or src.startswith(_REMOTE_PREFIXES)


def _local(text: str, field: str) -> str:
    """A local template path made absolute, so the answers file names it from anywhere."""
    path = Path(text).expanduser()
    if not path.exists():
        raise InputError(f"{text} does not exist (a template path or git URL)", field=field)
    return str(path.resolve())


def source(explicit: str | None = None) -> Source:
    """``--template``, else ``$OIDCIFY_TEMPLATE``, else the checkout, else the bundled copy."""
    from oidcify import __version__  # noqa: PLC0415

    for text, field in ((explicit, "--template"), (os.environ.get(ENV_VAR), f"${ENV_VAR}")):
        if text:
            return Source(text if is_remote(text) else _local(text, field))
    if (checkout := checkout_root()) is not None:
        return Source(str(checkout))
    bundled, url = bundled_root(), canonical_url()
    if bundled is None or url is None:
        raise InputError(
            f"no template found: pass --template PATH-OR-GIT-URL or set ${ENV_VAR} "
            "(this installation of oidcify carries no template)",
            field="--template",
        )
    return Source(str(bundled), recorded=url, commit=f"v{__version__}")


def record(answers_file: Path, src: Source) -> None:
    """Make the answers file Copier wrote name ``src.recorded`` at ``src.commit``.

    The template writes one ``NAME: JSON`` line per answer, sorted, ``_commit`` and
    ``_src_path`` first; only those two lines change."""
    if src.recorded is None:
        return
    lines = answers_file.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(("_commit:", "_src_path:"))]
    at = next((i for i, line in enumerate(kept) if not line.startswith("#")), len(kept))
    ours = [f"_commit: {json.dumps(src.commit)}\n", f"_src_path: {json.dumps(src.recorded)}\n"]
    temporary = answers_file.with_name(f".{answers_file.name}.tmp")
    temporary.write_text("".join([*kept[:at], *ours, *kept[at:]]), encoding="utf-8")
    temporary.replace(answers_file)


def check_recorded(src: str, answers_file: Path) -> None:
    """Refuse a recorded local template that is not a directory here, naming the path (Copier
    says only "Local template must be a directory")."""
    if is_remote(src) or Path(src).expanduser().is_dir():
        return
    relative = "" if Path(src).expanduser().is_absolute() else ", read from the current folder"
    raise InputError(
        f"the template {src} is not a directory{relative}; run where it is, or copy again from "
        "a git URL",
        field=f"{answers_file}: _src_path",
    )
