"""Which jobs call one of the repository's reusable workflows: by local path, or in full naming
this repository (any repository when it is not known)."""

from __future__ import annotations

import pytest

from oidcify.workflows import parse
from oidcify.workflows.callers import callers, calls, own_target
from oidcify.workflows.model import Job

TARGET = ".github/workflows/deploy.yml"


def job(uses: str) -> Job:
    wf = parse(".github/workflows/ci.yml", f"on: push\njobs:\n  c:\n    uses: {uses}\n")
    return wf.jobs["c"]


@pytest.mark.parametrize(
    ("uses", "repository", "expected"),
    [
        (f"./{TARGET}", "octo/app", True),
        (f"./{TARGET}", None, True),
        (f"octo/app/{TARGET}@main", "octo/app", True),
        (f"Octo/App/{TARGET}@v1", "octo/app", True),  # owner and name without case
        (f"octo/app/{TARGET}@main", None, True),  # unknown repository: no caller lost
        (f"octo/shared/{TARGET}@main", "octo/app", False),
        ("./.github/workflows/other.yml", "octo/app", False),
        ("octo/app/.github/workflows/other.yml@main", None, False),
        ("actions/checkout@v4", None, False),
    ],
)
def test_calls(uses: str, repository: str | None, expected: bool) -> None:
    assert calls(job(uses), TARGET, repository) is expected


def test_callers_lists_every_calling_job() -> None:
    ci = parse(
        ".github/workflows/ci.yml",
        f"on: push\njobs:\n  a:\n    uses: ./{TARGET}\n  b:\n    uses: o/r/{TARGET}@v1\n"
        "  c:\n    runs-on: x\n    steps: [{run: x}]\n",
    )
    found = [(wf.path, j.id) for wf, j in callers({ci.path: ci}, TARGET, "o/r")]
    assert found == [(ci.path, "a"), (ci.path, "b")]
    assert [j.id for _, j in callers({ci.path: ci}, TARGET, "o/other")] == ["a"]


@pytest.mark.parametrize(
    ("uses", "repository", "target"),
    [
        ("./.github/workflows/deploy.yml", None, ".github/workflows/deploy.yml"),
        ("octo-org/app/.github/workflows/deploy.yml@main", "octo-org/app",
         ".github/workflows/deploy.yml"),
        ("Octo-Org/App/.github/workflows/deploy.yml@v1", "octo-org/app",
         ".github/workflows/deploy.yml"),
        # an edit never takes another repository's workflow (or an unknown one) for its own
        ("octo-org/app/.github/workflows/deploy.yml@main", None, None),
        ("octo-org/shared/.github/workflows/deploy.yml@v1", "octo-org/app", None),
    ],
)  # fmt: skip
def test_own_target_is_this_repositorys_workflow_only(
    uses: str, repository: str | None, target: str | None
) -> None:
    assert own_target(job(uses), repository) == target
