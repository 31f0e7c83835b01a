"""The runs a job can have: triggers, filters, environments, fork and same-repository pull
requests, callers of reusable workflows, the job's ``if:``, and the claims of each run's token."""

from __future__ import annotations

import pytest

from oidcify import subjects
from oidcify.workflows import parse
from oidcify.workflows.model import Workflow
from oidcify.workflows.runs import JobRun, job_runs, subject_runs, token_runs, trigger_runs

JOB = "jobs:\n  j:\n    runs-on: x\n"
DEPLOY = ".github/workflows/deploy.yml"


def contexts(on: str, job_extra: str = "", repository: str | None = None) -> list[str]:
    """The sub contexts a job of a workflow on its own presents, as the subjects list them."""
    wf = parse("w.yml", f"on:\n{on}\n{JOB}{job_extra}")
    found = job_runs({}, wf, wf.jobs["j"], default_branch="trunk", repository=repository)
    return [run.context for run in subject_runs(found)]


def repo_runs(files: dict[str, str], path: str, job: str, **kwargs: str) -> list[JobRun]:
    workflows = {p: parse(p, text) for p, text in files.items()}
    wf = workflows[path]
    return job_runs(workflows, wf, wf.jobs[job], default_branch="trunk", **kwargs)


def one(on: str, job: str = "") -> list[tuple[str, str, bool]]:
    text = f"on:\n{on}\njobs:\n  j:\n    runs-on: x\n{job}    steps: [{{run: x}}]\n"
    found = repo_runs({".github/workflows/w.yml": text}, ".github/workflows/w.yml", "j")
    return [(r.event, r.context, r.fork) for r in found]


def test_push_filters_pull_requests_and_schedules() -> None:
    assert one("  push:\n    branches: [main]\n    tags: ['v*']") == [
        ("push", "ref:refs/heads/main", False), ("push", "ref:refs/tags/v*", False)]  # fmt: skip
    assert one("  pull_request:") == [("pull_request", "pull_request", False),
                                      ("pull_request", "pull_request", True)]  # fmt: skip
    assert one("  schedule:\n    - cron: '0 0 * * *'") == [
        ("schedule", "ref:refs/heads/trunk", False)
    ]


def test_fork_pull_requests_get_a_token_only_on_pull_request_target() -> None:
    wf = parse("w.yml", f"on: [pull_request, pull_request_target]\n{JOB}")
    runs = job_runs({}, wf, wf.jobs["j"])
    forks = {r.event: r.has_token for r in runs if r.fork}
    assert forks == {"pull_request": False, "pull_request_target": True}
    assert [r.context for r in token_runs(runs)] == [
        "pull_request", "ref:refs/heads/*", "ref:refs/heads/*"]  # fmt: skip


def test_environment_wins_over_every_trigger() -> None:
    assert contexts("  push:\n  pull_request:", "    environment: prod\n") == ["environment:prod"]


def test_environment_wins_and_if_narrows() -> None:
    job = "    environment: prod\n    if: github.event_name == 'push'\n"
    assert one("  push:\n    branches: [main]\n  pull_request:", job) == [
        ("push", "environment:prod", False)]  # fmt: skip
    tags_only = "    if: startsWith(github.ref, 'refs/tags/')\n"
    assert one("  push:", tags_only) == [("push", "ref:refs/tags/*", False)]


def test_expression_environment_keeps_the_ref_runs() -> None:
    wf = parse("w.yml", f"on: push\n{JOB}    environment: ${{{{ inputs.env }}}}\n")
    first, *refs = subject_runs(job_runs({}, wf, wf.jobs["j"]))
    assert first.context == "environment:*" and not first.exact
    assert "inputs.env" in first.note
    # it may come out empty, and the job then runs with no environment: its ref's subject
    assert [r.context for r in refs] == ["ref:refs/heads/*", "ref:refs/tags/*"]


def test_a_conditional_environment_keeps_the_runs_without_one() -> None:
    extra = "    environment: ${{ github.ref_name == 'main' && 'production' || '' }}\n"
    found = contexts("  push:\n    branches: [main, dev]", extra)
    assert found == ["environment:*", "ref:refs/heads/main", "ref:refs/heads/dev"]


def test_exactness() -> None:
    wf = parse("w.yml", f"on:\n  push:\n    branches: [main, 'rel/*']\n{JOB}")
    assert [r.exact for r in job_runs({}, wf, wf.jobs["j"])] == [True, False]


CALLEE = "on:\n  workflow_call:\njobs:\n  deploy:\n    runs-on: x\n    steps: [{run: x}]\n"
CALLER = "on:\n  push:\n    branches: [{branch}]\njobs:\n  call:\n    uses: {uses}\n"


def test_reusable_workflow_runs_with_its_callers_contexts() -> None:
    files = {
        DEPLOY: CALLEE,
        ".github/workflows/a.yml": CALLER.format(branch="main", uses=f"./{DEPLOY}"),
        ".github/workflows/b.yml": CALLER.format(branch="release", uses=f"./{DEPLOY}"),
    }
    found = repo_runs(files, DEPLOY, "deploy")
    assert sorted(r.context for r in found) == ["ref:refs/heads/main", "ref:refs/heads/release"]
    assert {r.via for r in found} == {".github/workflows/a.yml job call",
                                      ".github/workflows/b.yml job call"}  # fmt: skip
    alone = repo_runs({DEPLOY: CALLEE}, DEPLOY, "deploy")
    assert [(r.event, r.context) for r in alone] == [("*", "*")]  # called from elsewhere
    assert "caller" in alone[0].note


def test_callers_of_callers() -> None:
    middle = "on: workflow_call\njobs:\n  m:\n    uses: ./.github/workflows/deploy.yml\n"
    top = "on:\n  push:\n    tags: [v1]\njobs:\n  t:\n    uses: ./.github/workflows/middle.yml\n"
    release = "on: release\njobs:\n  r:\n    uses: ./.github/workflows/deploy.yml\n"
    files = {DEPLOY: CALLEE, ".github/workflows/middle.yml": middle,
             ".github/workflows/ci.yml": top, ".github/workflows/rel.yml": release}  # fmt: skip
    found = subject_runs(repo_runs(files, DEPLOY, "deploy"))
    assert [r.context for r in found] == ["ref:refs/tags/v1", "ref:refs/tags/*"]


@pytest.mark.parametrize(
    ("repository", "expected"),
    [
        ("o/r", ["ref:refs/heads/main", "ref:refs/heads/release"]),
        ("O/R", ["ref:refs/heads/main", "ref:refs/heads/release"]),
        (None, ["ref:refs/heads/main", "ref:refs/heads/release"]),  # unknown: no caller lost
        ("o/other", ["ref:refs/heads/main"]),
    ],
)
def test_a_caller_naming_this_repository_in_full_is_a_caller_too(
    repository: str | None, expected: list[str]
) -> None:
    files = {
        DEPLOY: CALLEE,
        ".github/workflows/main.yml": CALLER.format(branch="main", uses=f"./{DEPLOY}"),
        ".github/workflows/rel.yml": CALLER.format(branch="release", uses=f"o/r/{DEPLOY}@main"),
    }
    kwargs = {"repository": repository} if repository else {}
    found = repo_runs(files, DEPLOY, "deploy", **kwargs)
    assert [r.context for r in subject_runs(found)] == expected


def test_caller_and_callee_conditions_both_narrow() -> None:
    callee = parse(
        DEPLOY, f"on:\n  workflow_call:\n{JOB}    if: github.event_name != 'pull_request'\n"
    )
    caller = parse(
        ".github/workflows/ci.yml",
        "on:\n  push:\n    branches: [main]\n  pull_request:\n  release:\njobs:\n  call:\n"
        "    if: github.event_name != 'release'\n    uses: ./.github/workflows/deploy.yml\n",
    )
    workflows = {w.path: w for w in (callee, caller)}
    both = subject_runs(job_runs(workflows, caller, caller.jobs["call"]))
    assert [r.context for r in both] == ["ref:refs/heads/main", "pull_request"]
    found = subject_runs(job_runs(workflows, callee, callee.jobs["j"]))
    assert [r.context for r in found] == ["ref:refs/heads/main"]
    # with its callers unknown, the event is unknown too: the run stays
    alone = job_runs({callee.path: callee}, callee, callee.jobs["j"])
    assert [r.context for r in alone] == ["*"]


# The QA repro: every trigger GitHub offers, one job that only pull requests run.
EVERY = (
    "  push:\n    branches: ['release/**', main]\n    tags: ['v*']\n  pull_request:\n"
    "  schedule:\n    - cron: '0 0 * * *'\n  workflow_dispatch:"
)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("github.event_name == 'pull_request'", ["pull_request"]),
        ("${{ github.event_name != 'pull_request' && github.event_name != 'push' }}",
         ["ref:refs/heads/trunk", "ref:refs/heads/*", "ref:refs/tags/*"]),
        ("startsWith(github.ref, 'refs/tags/')", ["ref:refs/tags/v*", "ref:refs/tags/*"]),
        ("github.ref == 'refs/heads/main'", ["ref:refs/heads/main", "ref:refs/heads/*"]),
        ("github.ref_name == 'main'", ["ref:refs/heads/main", "ref:refs/heads/*",
                                       "ref:refs/tags/*"]),
        ("failure() && github.ref == 'refs/heads/main'",
         ["ref:refs/heads/main", "ref:refs/heads/*"]),
        # a fork's pull request gets no token: a job only forks run presents nothing
        ("github.event.pull_request.head.repo.fork", []),
        ("github.event_name == 'issues'", []),
        # what oidcify cannot decide keeps the run (a policy that misses a run breaks a deploy)
        ("vars.DEPLOY == 'yes'",
         ["ref:refs/heads/release/*", "ref:refs/heads/main", "ref:refs/tags/v*", "pull_request",
          "ref:refs/heads/trunk", "ref:refs/heads/*", "ref:refs/tags/*"]),
        ("github.event_name == 'push' || inputs.force", None),  # None: as the line above
    ],
)  # fmt: skip
def test_if_rules_out_the_runs_it_is_false_for(condition: str, expected: list[str] | None) -> None:
    everything = contexts(EVERY)
    got = contexts(EVERY, f"    if: {condition}\n")
    assert got == (everything if expected is None else expected)


@pytest.mark.parametrize(
    "condition",
    ["github.ref == 'refs/heads/main'", "github.ref_name == 'main'",
     "startsWith(github.ref, 'refs/tags/')", "failure() && github.ref == 'refs/heads/main'",
     "${{ !contains(github.ref, 'refs/pull/') }}", "${{ !github.event.pull_request }}",
     "github.head_ref == ''", "endsWith(github.ref, '/main')"],
)  # fmt: skip
def test_ref_conditions_rule_out_pull_requests(condition: str) -> None:
    wf = parse("w.yml", f"on: [push, pull_request]\n{JOB}    if: {condition}\n")
    runs = trigger_runs(wf, wf.jobs["j"])
    assert runs and all(r.event == "push" for r in runs)


def test_environment_only_when_the_if_leaves_a_run() -> None:
    prod = "    environment: prod\n"
    assert contexts("  push:\n  pull_request:", prod + "    if: github.event_name == 'push'\n") == [
        "environment:prod"
    ]
    assert contexts("  pull_request:", prod + "    if: github.event_name == 'push'\n") == []


def test_repository_when_known_decides_same_repository_tests() -> None:
    same = "    if: github.repository == 'octo/app'\n"
    on = "  push:\n    branches: [main]"
    assert contexts(on, same, repository="octo/app") == ["ref:refs/heads/main"]
    assert contexts(on, same, repository="octo/other") == []
    assert contexts(on, same) == ["ref:refs/heads/main"]


@pytest.mark.parametrize(
    ("on", "condition", "expected"),
    [
        # pushing v1.2.3 or release-1 runs the job: the filter's pattern keeps the run
        ("  push:\n    tags: ['v[0-9]+.[0-9]+.[0-9]+']", "contains(github.ref, 'refs/tags/v1.')",
         ["ref:refs/tags/v*"]),
        ("  push:\n    tags: ['v[0-9]+.[0-9]+.[0-9]+']", "github.ref_name == 'v1.2.3'",
         ["ref:refs/tags/v*"]),
        ("  push:\n    branches: ['release-[0-9]+']", "github.ref == 'refs/heads/release-1'",
         ["ref:refs/heads/release-*"]),
        ("  push:\n    branches: ['v?']", "github.ref == 'refs/heads/v'", ["ref:refs/heads/*"]),
        # what the pattern cannot match is still ruled out
        ("  push:\n    branches: ['release-[0-9]+']", "github.ref == 'refs/heads/main'", []),
        ("  push:\n    tags: ['v[0-9]+']", "startsWith(github.ref, 'refs/heads/')", []),
    ],
)  # fmt: skip
def test_filter_patterns_keep_the_runs_they_match(
    on: str, condition: str, expected: list[str]
) -> None:
    assert contexts(on, f"    if: {condition}\n") == expected


@pytest.mark.parametrize("condition", ["${{ !success() }}", "success() == false", "failure()",
                                       "${{ cancelled() || failure() }}"])  # fmt: skip
def test_rollback_job_keeps_its_runs(condition: str) -> None:
    # the usual rollback: runs when a needed job fails, which no trigger decides
    job = f"    needs: deploy\n    if: {condition}\n"
    assert contexts("  push:\n    branches: [main]", job) == ["ref:refs/heads/main"]
    assert contexts("  push:\n    branches: [main]", job + "    environment: prod\n") == [
        "environment:prod"
    ]


REPO = subjects.Repo("octo", "app", 11, 22)


def test_token_claims_of_a_push_run() -> None:
    wf = parse(DEPLOY, f"on:\n  push:\n    branches: [main]\n{JOB}    environment: prod\n")
    (run,) = job_runs({}, wf, wf.jobs["j"])
    assert run.token_claims(REPO) == {
        "sub": "repo:octo/app:environment:prod",
        "repository": "octo/app",
        "repository_owner": "octo",
        "event_name": "push",
        "ref": "refs/heads/main",
        "ref_type": "branch",
        "environment": "prod",
        "repository_id": "22",
        "repository_owner_id": "11",
        "job_workflow_ref": "octo/app/.github/workflows/deploy.yml@refs/heads/main",
    }
    assert run.token_claims(REPO, "immutable")["sub"] == "repo:octo@11/app@22:environment:prod"


def test_token_claims_leave_out_what_a_pattern_hides() -> None:
    wf = parse(DEPLOY, f"on:\n  push:\n    tags: ['v*']\n{JOB}")
    (run,) = job_runs({}, wf, wf.jobs["j"])
    bare = run.token_claims(subjects.Repo("octo", "app"))
    assert {"ref", "job_workflow_ref", "repository_id"}.isdisjoint(bare)
    one_tag = run.token_claims(REPO, context="ref:refs/tags/v1")
    assert one_tag["job_workflow_ref"] == "octo/app/.github/workflows/deploy.yml@refs/tags/v1"
    assert one_tag["ref_type"] == "tag"
    outside = parse("deploy.yml", f"on:\n  push:\n    branches: [main]\n{JOB}")
    (lone,) = job_runs({}, outside, outside.jobs["j"])
    assert "job_workflow_ref" not in lone.token_claims(REPO)  # not in .github/workflows


def _called(uses: str) -> list[str | None]:
    files = {DEPLOY: CALLEE, ".github/workflows/ci.yml": CALLER.format(branch="main", uses=uses)}
    workflows: dict[str, Workflow] = {p: parse(p, t) for p, t in files.items()}
    wf = workflows[DEPLOY]
    runs = job_runs(workflows, wf, wf.jobs["deploy"], repository="octo/app")
    return [r.job_workflow_ref("octo/app") for r in runs]


def test_job_workflow_ref_names_the_called_workflow_at_the_ref_it_is_called_at() -> None:
    at_main = "octo/app/.github/workflows/deploy.yml@refs/heads/main"
    assert _called(f"./{DEPLOY}") == [at_main]
    sha = "0123456789abcdef0123456789abcdef01234567"
    assert _called(f"octo/app/{DEPLOY}@{sha}") == [f"octo/app/{DEPLOY}@{sha}"]
    assert _called(f"octo/app/{DEPLOY}@refs/tags/v1") == [f"octo/app/{DEPLOY}@refs/tags/v1"]
    # "@v1" may be a branch or a tag: the token's job_workflow_ref is not known
    assert _called(f"octo/app/{DEPLOY}@v1") == [None]


def test_job_workflow_ref_through_a_chain_of_calls() -> None:
    middle = ".github/workflows/middle.yml"
    files = {
        DEPLOY: CALLEE,
        middle: f"on: workflow_call\njobs:\n  m:\n    uses: ./{DEPLOY}\n",
        ".github/workflows/ci.yml": CALLER.format(branch="main", uses=f"octo/app/{middle}@v1"),
        ".github/workflows/tag.yml": CALLER.format(
            branch="dev", uses=f"octo/app/{middle}@refs/tags/v2"
        ),
    }
    runs = repo_runs(files, DEPLOY, "deploy", repository="octo/app")
    found = {r.ref: r.job_workflow_ref("octo/app") for r in runs}
    # the middle workflow runs at v1 (a branch or a tag): the deploy file's ref is unknown too
    assert found == {"refs/heads/main": None,
                     "refs/heads/dev": f"octo/app/{DEPLOY}@refs/tags/v2"}  # fmt: skip
