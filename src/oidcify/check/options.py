"""What one ``oidcify check`` was asked to do (parsed from the command line by
``commands/check.py``; light to import, so actionlint can start before the YAML libraries load)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...] = ()
    actionlint: str | None = None  # --actionlint PATH
    use_actionlint: bool = True
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    select: tuple[str, ...] = ()  # non-empty: only these own rules
    trust_policies: tuple[str, ...] = ()
    terraform: str | None = None
    repo: str | None = None
    default_branch: str | None = None
    subject_format: str | None = None
    ids: tuple[int, int] | None = None  # (owner id, repository id)
    cwd: Path | None = None
