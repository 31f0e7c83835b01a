"""Where GitHub reads a repository's workflows: the YAML files at the top of
``.github/workflows``. One definition for the retrofit, batch and check (this module imports
nothing, so check can use it before any YAML library loads)."""

from __future__ import annotations

from pathlib import Path

WORKFLOWS_DIR = Path(".github") / "workflows"
SUFFIXES = (".yml", ".yaml")
