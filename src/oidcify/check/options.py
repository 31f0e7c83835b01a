"""What one ``oidcify check`` was asked to do (parsed from the command line by
``commands/check.py``; light to import, so actionlint can start before the YAML libraries load).

The records that a check needs before actionlint starts (``Options``, ``sources.Source``,
``tools.Tool``, ``actionlint.ActionlintProcess``) are NamedTuples, not dataclasses: importing
``dataclasses`` (it imports ``inspect``, ``ast`` and ``dis``) and making a frozen dataclass cost
some 8 ms and 0.5 ms each, which would delay actionlint's start by that much (and no check loads
it now: see ``workflows/model.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Options(NamedTuple):
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
