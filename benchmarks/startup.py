"""``oidcify --help`` start-up time against a bare ``python -c pass``.

Heavy libraries (copier, ruamel.yaml, rich) and the other commands' modules are imported lazily,
so ``--help`` should cost a small multiple of the interpreter's own start-up. Both run with a
bytecode cache, as an installed copy does.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks._python import bytecode_env

TARGETS = {"ratio": ("<=", 3.5)}


def _median_ms(argv: list[str], runs: int, env: dict[str, str]) -> float:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)  # fills the cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(smoke: bool) -> dict[str, object]:
    runs = 3 if smoke else 21
    with tempfile.TemporaryDirectory() as cache:
        env = bytecode_env(cache)
        bare = _median_ms([sys.executable, "-c", "pass"], runs, env)
        helped = _median_ms([sys.executable, "-m", "oidcify", "--help"], runs, env)
    return {"runs": runs, "python_ms": round(bare, 1), "help_ms": round(helped, 1),
            "ratio": round(helped / bare, 2)}  # fmt: skip
