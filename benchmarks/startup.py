"""``oidcify --help`` start-up time against a bare ``python -c pass``.

Heavy libraries (copier, ruamel.yaml, rich) are imported lazily, so ``--help`` should cost a small
multiple of the interpreter's own start-up.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

TARGETS = {"ratio": ("<=", 5.0)}


def _median_ms(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(smoke: bool) -> dict[str, object]:
    runs = 3 if smoke else 21
    bare = _median_ms([sys.executable, "-c", "pass"], runs)
    helped = _median_ms([sys.executable, "-m", "oidcify", "--help"], runs)
    return {"runs": runs, "python_ms": round(bare, 1), "help_ms": round(helped, 1),
            "ratio": round(helped / bare, 2)}  # fmt: skip
