"""``oidcify retrofit`` over the corpus (../shared/corpus, read in place) against a bare
ruamel.yaml round trip (load + dump) of the same files in the same run.

Reports the median milliseconds per workflow of each and their ratio; the target is a ratio
of at most 1.0 (the retrofit parses each file once and edits text: it must not cost more
than ruamel's own load and dump). Each file is timed several times and its fastest run kept,
so the medians compare work, not scheduling noise.
"""

from __future__ import annotations

import functools
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

TARGETS = {"ratio": ("<=", 1.0)}
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ROLE = "arn:aws:iam::123456789012:role/gha-deploy"


def _texts() -> dict[str, str]:
    files = sorted(CORPUS.glob("*/*.y*ml"))
    if not files:
        raise SystemExit(f"benchmarks/retrofit.py: no workflows under {CORPUS}")
    return {p.name: p.read_bytes().decode("utf-8") for p in files}


def _best_ms(func: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def run(smoke: bool) -> dict[str, object]:
    from ruamel.yaml import YAML

    from oidcify.retrofit import Options, RepoResult, retrofit_texts

    texts = _texts()
    options = Options(role_arn=ROLE, region="us-east-1")

    def bare(text: str) -> str:
        yaml = YAML()
        out = io.StringIO()
        yaml.dump(yaml.load(text), out)
        return out.getvalue()

    def ours(name: str, text: str) -> RepoResult:
        return retrofit_texts({f".github/workflows/{name}": text}, options)

    repeats = 1 if smoke else 7
    ours("warm-up.yml", next(iter(texts.values())))  # pins table and imports, once
    bare_ms = [_best_ms(functools.partial(bare, t), repeats) for t in texts.values()]
    ours_ms = [_best_ms(functools.partial(ours, n, t), repeats) for n, t in texts.items()]
    changed = sum(1 for n, t in texts.items() if ours(n, t).changed)
    bare_median, ours_median = statistics.median(bare_ms), statistics.median(ours_ms)
    return {
        "workflows": len(texts),
        "changed": changed,
        "repeats": repeats,
        "retrofit_median_ms": round(ours_median, 2),
        "ruamel_roundtrip_median_ms": round(bare_median, 2),
        "ratio": round(ours_median / bare_median, 2),
        "total_ratio": round(sum(ours_ms) / sum(bare_ms), 2),
    }
