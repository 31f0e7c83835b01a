"""Run every benchmark module in this folder: ``python -m benchmarks [--smoke] [NAME ...]``.

A benchmark module defines ``run(smoke: bool) -> dict[str, object]`` and, optionally,
``TARGETS``: ``{metric: (operator, bound)}``. ``--smoke`` runs each once, small, so CI proves the
benchmarks still work; targets are reported, and enforced only without ``--smoke``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import operator
import pkgutil
import sys
from pathlib import Path

_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--smoke", action="store_true", help="one small run each; targets not enforced"
    )
    parser.add_argument("names", nargs="*", help="benchmark modules to run (default: all)")
    args = parser.parse_args()
    names = args.names or sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not m.name.startswith("_")
    )
    missed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        result = module.run(smoke=args.smoke)
        for metric, (op, bound) in getattr(module, "TARGETS", {}).items():
            met = _OPS[op](result[metric], bound)
            result[f"target {metric} {op} {bound}"] = "met" if met else "MISSED"
            missed += not met
        print(json.dumps({"benchmark": name, "smoke": args.smoke, **result}, indent=2))
    return 1 if missed and not args.smoke else 0


if __name__ == "__main__":
    sys.exit(main())
