"""How benchmarks start Python: like an installed copy, with compiled bytecode.

This machine sets ``PYTHONDONTWRITEBYTECODE=1`` and the package is an editable install, so without
a cache every timed run would recompile oidcify's modules, a cost installed users never pay.
"""

from __future__ import annotations

import os


def bytecode_env(cache: str) -> dict[str, str]:
    """The environment with bytecode written to and read from ``cache``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env
