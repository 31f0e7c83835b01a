"""``oidcify check`` against a bare actionlint run over the same files (its command line as
oidcify gives it: JSON output), each a fresh process, taking turns in the same run (medians).
Targets: on the real-world dataset (1,503 files, extracted to a temporary folder)
``dataset_ratio`` <= 1.2; on the corpus (76 files) check faster than ``zizmor --offline`` over
the same files (``zizmor_ratio`` < 1), zizmor taking its turn with the other two. The corpus's
ratio to bare actionlint is reported too: there the interpreter's start is most of the time.

oidcify starts actionlint before it loads its YAML and rule machinery, so on two cores the two
run side by side. On the corpus actionlint is done in ~30 ms, long before the Python side, whose
interpreter, imports, parsing and rules are then the whole wall time: were actionlint started
the moment the interpreter is up (``python_ms``, ~11 ms) and nothing else done, the ratio would
still be ~1.35. On the dataset actionlint is the longer side, and the ratio measures what
oidcify adds around it.

Python runs with a bytecode cache (in a temporary folder, warmed by one untimed run), as an
installed oidcify does: pip compiles the modules when it installs them. Without one (e.g.
``PYTHONDONTWRITEBYTECODE=1`` and an editable install) every run compiles oidcify's modules
from source, some 30 ms that no user pays; ``load_average`` says how busy the machine was.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks._python import bytecode_env
from oidcify import tools
from oidcify.check.actionlint import argv
from oidcify.check.sources import collect

SHARED = Path(__file__).resolve().parents[2] / "shared"
TARGETS = {"dataset_ratio": ("<=", 1.2), "zizmor_ratio": ("<", 1.0)}


def _medians_ms(
    commands: list[list[str]], runs: int, env: dict[str, str], ok: tuple[int, ...] = (0, 1)
) -> list[float]:
    """The median wall time of each command, the commands taking turns run after run (so a
    machine that gets busier or quieter meanwhile weighs on each alike)."""
    times: list[list[float]] = [[] for _ in commands]
    for run in range(-1, runs):  # run -1 warms the caches
        for command, taken in zip(commands, times, strict=True):
            start = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env=env, check=False)  # fmt: skip
            if run >= 0:
                taken.append((time.perf_counter() - start) * 1000)
            if done.returncode not in ok:
                raise RuntimeError(f"{command[:3]} exited with {done.returncode}")
    return [statistics.median(taken) for taken in times]


def _compare(
    folder: Path, runs: int, env: dict[str, str], zizmor: bool = False
) -> tuple[list[float], int]:
    """Medians of bare actionlint, oidcify check (and zizmor --offline), and the file count."""
    binary = tools.find(tools.ACTIONLINT)
    files = [str(s.path) for s in collect([str(folder)]) if s.target]
    ours = [sys.executable, "-m", "oidcify", "check", "--actionlint", str(binary), str(folder)]
    commands = [argv(binary, files), ours]
    if zizmor:  # exit status 10-14: findings of that severity
        commands.append([str(tools.find(tools.ZIZMOR)), "--offline", "--no-progress", *files])
    return _medians_ms(commands, runs, env, ok=(0, 1, 10, 11, 12, 13, 14)), len(files)


def run(smoke: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as cache:
        return _run(smoke, bytecode_env(cache))


def _run(smoke: bool, env: dict[str, str]) -> dict[str, object]:
    runs = 3 if smoke else 15
    python, floor = _medians_ms(
        [[sys.executable, "-c", "pass"], [sys.executable, "-m", "oidcify", "--help"]], runs, env
    )
    (bare, ours, zizmor), count = _compare(SHARED / "corpus", runs, env, zizmor=True)
    result: dict[str, object] = {
        "runs": runs, "files": count, "actionlint_ms": round(bare, 1),
        "check_ms": round(ours, 1), "ratio": round(ours / bare, 2),
        "zizmor_ms": round(zizmor, 1), "zizmor_ratio": round(ours / zizmor, 2),
        "cli_floor_ms": round(floor, 1), "python_ms": round(python, 1),
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        with zipfile.ZipFile(SHARED / "corpus-realworld" / "dataset.zip") as archive:
            archive.extractall(scratch)
        (bare, ours), count = _compare(Path(scratch), 1 if smoke else 7, env)
    result["dataset_files"] = count
    result["dataset_actionlint_ms"] = round(bare, 1)
    result["dataset_check_ms"] = round(ours, 1)
    result["dataset_ratio"] = round(ours / bare, 2)
    result["load_average"] = [round(load, 2) for load in os.getloadavg()]
    return result
