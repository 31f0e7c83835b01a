"""``oidcify check`` over the corpus against a bare actionlint run over the same files, both as
the user runs them (a fresh process each, default text output), in the same run.

oidcify starts actionlint before it imports any YAML library and parses beside it, so on two
cores the difference is mostly the Python side's fixed cost: the interpreter and the CLI's
imports, reported as ``cli_floor_ms`` (``oidcify --help``). Target: ratio <= 1.3. The real-world
dataset (1,503 files, extracted to a temporary folder) is measured the same way and reported.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from oidcify import tools
from oidcify.check.actionlint import argv
from oidcify.check.sources import collect

SHARED = Path(__file__).resolve().parents[2] / "shared"
TARGETS = {"ratio": ("<=", 1.3)}


def _median_ms(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              check=False)  # fmt: skip
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{command[:3]} exited with {done.returncode}")
    return statistics.median(times)


def _compare(folder: Path, runs: int) -> tuple[float, float, int]:
    binary = tools.find(tools.ACTIONLINT)
    files = [str(s.path) for s in collect([str(folder)]) if s.target]
    bare = _median_ms(argv(binary, files), runs)
    ours = [sys.executable, "-m", "oidcify", "check", "--actionlint", str(binary), str(folder)]
    return bare, _median_ms(ours, runs), len(files)


def run(smoke: bool) -> dict[str, object]:
    runs = 3 if smoke else 15
    floor = _median_ms([sys.executable, "-m", "oidcify", "--help"], runs)
    bare, ours, count = _compare(SHARED / "corpus", runs)
    result: dict[str, object] = {
        "runs": runs, "files": count, "actionlint_ms": round(bare, 1),
        "check_ms": round(ours, 1), "ratio": round(ours / bare, 2),
        "cli_floor_ms": round(floor, 1),
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        with zipfile.ZipFile(SHARED / "corpus-realworld" / "dataset.zip") as archive:
            archive.extractall(scratch)
        bare, ours, count = _compare(Path(scratch), 1 if smoke else 5)
    result["dataset_files"] = count
    result["dataset_actionlint_ms"] = round(bare, 1)
    result["dataset_check_ms"] = round(ours, 1)
    result["dataset_ratio"] = round(ours / bare, 2)
    return result
