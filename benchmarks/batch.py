"""``oidcify batch`` over 300 synthetic repositories of 1-4 workflows each (30 in a smoke run):
wall time with ``--jobs 1`` and ``--jobs 2`` in the same run, their ratio (target >= 1.7 on
two cores), and the peak memory of the batch's parent process (target < 150 MB).

The workflows (about 67 lines: a matrix test job, then a job that deploys with static keys in
one of four ways, or already with OIDC, or not to AWS) are near the corpus's median size, and
each repository has a github.com ``origin``, so the run does what a real one does per file.

Each batch runs as its own ``python`` process (a dry run writing patches to a folder, and a
report), timed from start to exit, so start-up, the fork server and the workers count. That
process prints its own ``ru_maxrss`` (RUSAGE_SELF: the parent alone, workers not included) when
the batch is done. Each jobs setting runs twice, alternating, and the faster run counts; the
load average before and after is reported, as other work on the machine lowers the ratio.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"ratio": (">=", 1.7), "parent_peak_mb": ("<", 150)}
ROLE = "arn:aws:iam::123456789012:role/gha-{repo}"
PROBE = """\
import json, resource, sys
from oidcify.cli import main
code = main(sys.argv[1:])
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"exit": code, "peak_kb": peak_kb}))
"""

STEPS = {
    "checkout": "      - uses: actions/checkout@v4\n",
    "node": "      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n"
    "      - run: npm ci && npm run build\n",
    "keys": "      - name: Configure AWS credentials\n"
    "        uses: aws-actions/configure-aws-credentials@{cac}\n        with:\n"
    "          aws-access-key-id: ${{{{ secrets.AWS_ACCESS_KEY_ID }}}}\n"
    "          aws-secret-access-key: ${{{{ secrets.AWS_SECRET_ACCESS_KEY }}}}\n"
    "          aws-region: {region}\n",
    "oidc": "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
    "          role-to-assume: arn:aws:iam::123456789012:role/existing\n"
    "          aws-region: {region}\n",
    "s3": "      - run: aws s3 sync dist/ s3://{name}-site --delete  # publish\n",
    "ecr": "      - uses: aws-actions/amazon-ecr-login@v2\n"
    "      - run: |\n          docker build -t $REGISTRY/{name}:${{{{ github.sha }}}} .\n"
    "          docker push $REGISTRY/{name}:${{{{ github.sha }}}}\n",
    "tf": "      - uses: hashicorp/setup-terraform@v3\n      - run: terraform init\n"
    "      - run: terraform plan -out plan\n",
    "test": "      - run: make test\n",
}
SHAPES = {  # job steps; the "env" shape takes the keys from job env instead of the action
    "deploy": ["checkout", "node", "keys", "s3"],
    "ecr": ["checkout", "keys", "ecr"],
    "env": ["checkout", "tf"],
    "oidc": ["checkout", "oidc", "s3"],
    "ci": ["checkout", "node", "test"],
}
# A test job before the job that deploys: the synthetic files come near the corpus's median
# size (81 lines), so the benchmark times retrofit work rather than process start-up.
PREAMBLE = """\
concurrency:
  group: ${{ github.workflow }}-${{ github.ref }}
  cancel-in-progress: true
env:
  NODE_OPTIONS: --max-old-space-size=4096
  CI: "true"
jobs:
  test:
    name: Test (${{ matrix.os }}, node ${{ matrix.node }})
    runs-on: ${{ matrix.os }}
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, macos-latest]
        node: [18, 20, 22]
        include:
          - os: ubuntu-latest
            node: 22
            coverage: true
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: ${{ matrix.node }}
          cache: npm
      - name: Install
        run: npm ci --no-audit --no-fund
      - name: Lint
        run: |
          npm run lint
          npm run typecheck
      - name: Test
        run: npm test -- --ci --reporters=default --reporters=jest-junit
        env:
          JEST_JUNIT_OUTPUT_DIR: reports
      - name: Coverage
        if: ${{ matrix.coverage }}
        run: npm run coverage
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: reports-${{ matrix.os }}-${{ matrix.node }}
          path: reports/
"""
TRIGGERS = (
    "on:\n  push:\n    branches: [ main ]\n  workflow_dispatch:\n",
    "on:\n  push:\n    tags:\n      - 'v*'\n",
    "on:\n  pull_request:\n  push:\n    branches:\n      - main\n      - 'release/*'\n",
)


def workflow(rng: random.Random, name: str, shape: str) -> str:
    values = {"cac": rng.choice(["v1", "v2", "v4"]), "region": "eu-west-1", "name": name}
    lines = [f"# {shape} workflow of {name}\nname: {shape}\n", rng.choice(TRIGGERS)]
    if shape == "oidc":
        lines.append("permissions:\n  id-token: write\n  contents: read\n")
    lines.append(PREAMBLE)
    lines.append(f"  {shape}:\n    needs: test\n    runs-on: ubuntu-latest\n")
    if shape == "env":
        lines.append(
            "    env:\n      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
            "      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
            "      AWS_REGION: us-east-1\n"
        )
    lines.append("    steps:\n")
    lines += [STEPS[step].format(**values) for step in SHAPES[shape]]
    return "".join(lines)


def make_fleet(base: Path, count: int) -> int:
    """``count`` repositories of 1-4 workflows each; the number of workflows."""
    rng = random.Random(20260101)
    total = 0
    for i in range(count):
        folder = base / f"repo{i:04}" / ".github" / "workflows"
        folder.mkdir(parents=True)
        # A checkout's origin names its GitHub repository (for {repo} and the sub claims).
        (base / f"repo{i:04}" / ".git").mkdir()
        (base / f"repo{i:04}" / ".git" / "config").write_text(
            f'[remote "origin"]\n\turl = https://github.com/bench-org/repo{i:04}.git\n'
        )
        for j in range(rng.randint(1, 4)):
            shape = rng.choice(list(SHAPES))
            (folder / f"{shape}{j}.yml").write_text(workflow(rng, f"repo{i:04}", shape))
            total += 1
    return total


def run_batch(fleet: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Seconds, and the parent's peak RSS in kB; a failed batch stops the benchmark."""
    argv = [sys.executable, "-c", PROBE, "batch", str(fleet), "--jobs", str(jobs), "-q"]
    argv += ["--role-arn", ROLE, "--region", "us-east-1"]
    argv += ["--diff-dir", str(out / f"patches{jobs}"), "--report", str(out / f"r{jobs}.json")]
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    data = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {}
    if data.get("exit") != 0:
        raise SystemExit(f"benchmarks/batch.py: the batch failed:\n{done.stderr[-3000:]}")
    return seconds, int(data["peak_kb"])


def run(smoke: bool) -> dict[str, object]:
    count, repeats = (30, 1) if smoke else (300, 2)
    with tempfile.TemporaryDirectory(prefix="oidcify-bench-") as scratch:
        base = Path(scratch)
        workflows = make_fleet(base / "fleet", count)
        load_before = os.getloadavg()[0]
        best: dict[int, float] = {}
        peak = 0
        for _ in range(repeats):
            for jobs in (1, 2):
                seconds, peak_kb = run_batch(base / "fleet", base, jobs)
                best[jobs] = min(best.get(jobs, seconds), seconds)
                peak = max(peak, peak_kb)
        report = json.loads((base / "r2.json").read_text())
    return {
        "repos": count,
        "workflows": workflows,
        "changed": report["counts"]["changed"],
        "cpus": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "jobs1_s": round(best[1], 2),
        "jobs2_s": round(best[2], 2),
        "ratio": round(best[1] / best[2], 2),
        "parent_peak_mb": round(peak / 1024, 1),
    }
