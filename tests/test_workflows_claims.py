"""Which sub contexts each trigger and environment leads to (a job's runs: test_workflows_runs)."""

from __future__ import annotations

import pytest

from oidcify.workflows import parse
from oidcify.workflows.claims import environment_claims, trigger_claims

JOB = "jobs:\n  j:\n    runs-on: x\n"


def contexts(on: str, default_branch: str = "main") -> list[str]:
    wf = parse("w.yml", f"on:\n{on}\n{JOB}")
    return [c.context for t in wf.triggers.values() for c in trigger_claims(t, default_branch)]


def environments(job_extra: str) -> list[str] | None:
    wf = parse("w.yml", f"on: push\n{JOB}{job_extra}")
    found = environment_claims(wf.jobs["j"])
    return None if found is None else [c.context for c in found]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("  push:", ["ref:refs/heads/*", "ref:refs/tags/*"]),
        ("  push:\n    branches: [main]", ["ref:refs/heads/main"]),
        ("  push:\n    tags: ['v*']", ["ref:refs/tags/v*"]),
        (
            "  push:\n    branches: [main]\n    tags: [v1]",
            ["ref:refs/heads/main", "ref:refs/tags/v1"],
        ),
        ("  push:\n    branches-ignore: [dev]", ["ref:refs/heads/*"]),
        ("  push:\n    branches: ['release/**', '!release/old']", ["ref:refs/heads/release/*"]),
        ("  pull_request:\n    branches: [main]", ["pull_request"]),
        ("  pull_request_target:\n    branches: [main]", ["ref:refs/heads/main"]),
        ("  release:\n    types: [published]", ["ref:refs/tags/*"]),
        ("  schedule:\n    - cron: '0 0 * * *'", ["ref:refs/heads/trunk"]),
        ("  workflow_dispatch:", ["ref:refs/heads/*", "ref:refs/tags/*"]),
        ("  merge_group:", ["ref:refs/heads/gh-readonly-queue/*"]),
        ("  push:\n    branches: ['feat:x']", ["ref:refs/heads/feat%3Ax"]),
        # GitHub-only filter characters: cut there and end in '*' (IAM knows only '*' and '?')
        ("  push:\n    tags: ['v[0-9]+.[0-9]+.[0-9]+']", ["ref:refs/tags/v*"]),
        ("  push:\n    branches: ['release-[0-9]+']", ["ref:refs/heads/release-*"]),
        ("  push:\n    branches: ['v1+']", ["ref:refs/heads/v1*"]),
        # GitHub's '?' makes the character before it optional: 'v?' is '' or 'v'
        ("  push:\n    branches: ['v?']", ["ref:refs/heads/*"]),
        ("  push:\n    branches: ['hotfix-v?1']", ["ref:refs/heads/hotfix-*"]),
        ("  pull_request_target:\n    branches: ['rel-[ab]']", ["ref:refs/heads/rel-*"]),
    ],
)
def test_trigger_contexts(on: str, expected: list[str]) -> None:
    assert contexts(on, "trunk") == expected


def test_named_and_matrix_environments() -> None:
    assert environments("") is None
    assert environments("    environment: prod\n") == ["environment:prod"]
    extra = (
        "    environment: ${{ matrix.env }}\n"
        "    strategy:\n      matrix:\n        env: [dev, prod]\n"
        "        include:\n          - env: qa\n"
    )
    assert environments(extra) == ["environment:dev", "environment:prod", "environment:qa"]


@pytest.mark.parametrize(
    "matrix",
    [
        "        env: ${{ fromJSON(vars.ENVS) }}\n        include:\n          - env: staging\n",
        "        env: [staging]\n        include: ${{ fromJSON(vars.MORE) }}\n",
    ],
)
def test_matrix_values_from_an_expression_can_be_any_environment(matrix: str) -> None:
    extra = f"    environment: ${{{{ matrix.env }}}}\n    strategy:\n      matrix:\n{matrix}"
    assert environments(extra) == ["environment:*"]


def test_a_cut_filter_says_so_in_a_note() -> None:
    wf = parse("w.yml", f"on:\n  push:\n    tags: ['v[0-9]+', 'v*']\n{JOB}")
    cut, plain = trigger_claims(wf.triggers["push"], "main")
    assert cut.context == plain.context == "ref:refs/tags/v*"
    assert "'v[0-9]+'" in cut.note and "'v*'" in cut.note
    assert plain.note == ""
