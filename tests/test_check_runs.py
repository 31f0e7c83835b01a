"""The runs a job can have: triggers, filters, environments, fork and same-repo PRs, callers of
reusable workflows, and the job's ``if:``."""

from __future__ import annotations

from oidcify.check.oidc import Repo
from oidcify.check.runs import job_runs
from oidcify.workflows import parse


def runs(files: dict[str, str], path: str, job: str) -> list[tuple[str, str, bool]]:
    workflows = {p: parse(p, text) for p, text in files.items()}
    repo = Repo(workflows)
    wf = workflows[path]
    found = job_runs(wf, wf.jobs[job], repo, "trunk", repository="o/r")
    return [(r.event, r.context, r.fork) for r in found]


def one(on: str, job: str = "") -> list[tuple[str, str, bool]]:
    text = f"on:\n{on}\njobs:\n  j:\n    runs-on: x\n{job}    steps: [{{run: x}}]\n"
    return runs({".github/workflows/w.yml": text}, ".github/workflows/w.yml", "j")


def test_push_filters_pull_requests_and_schedules() -> None:
    assert one("  push:\n    branches: [main]\n    tags: ['v*']") == [
        ("push", "ref:refs/heads/main", False), ("push", "ref:refs/tags/v*", False)]  # fmt: skip
    assert one("  pull_request:") == [("pull_request", "pull_request", False),
                                      ("pull_request", "pull_request", True)]  # fmt: skip
    assert one("  schedule:\n    - cron: '0 0 * * *'") == [
        ("schedule", "ref:refs/heads/trunk", False)
    ]


def test_environment_wins_and_if_narrows() -> None:
    job = "    environment: prod\n    if: github.event_name == 'push'\n"
    assert one("  push:\n    branches: [main]\n  pull_request:", job) == [
        ("push", "environment:prod", False)]  # fmt: skip
    tags_only = "    if: startsWith(github.ref, 'refs/tags/')\n"
    assert one("  push:", tags_only) == [("push", "ref:refs/tags/*", False)]


def test_reusable_workflow_runs_with_its_callers_contexts() -> None:
    callee = "on:\n  workflow_call:\njobs:\n  deploy:\n    runs-on: x\n    steps: [{run: x}]\n"
    caller = ("on:\n  push:\n    branches: [{branch}]\njobs:\n  call:\n"
              "    uses: ./.github/workflows/deploy.yml\n")  # fmt: skip
    files = {
        ".github/workflows/deploy.yml": callee,
        ".github/workflows/a.yml": caller.format(branch="main"),
        ".github/workflows/b.yml": caller.format(branch="release"),
    }
    found = runs(files, ".github/workflows/deploy.yml", "deploy")
    assert sorted(c for _, c, _ in found) == ["ref:refs/heads/main", "ref:refs/heads/release"]
    alone = runs({".github/workflows/deploy.yml": callee}, ".github/workflows/deploy.yml",
                 "deploy")  # fmt: skip
    assert alone == [("*", "*", False)]  # called from elsewhere: unknown
