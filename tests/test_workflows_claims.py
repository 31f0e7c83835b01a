"""Which sub contexts a job can present, by trigger, filter and environment."""

from __future__ import annotations

import pytest

from oidcify.workflows import parse
from oidcify.workflows.claims import Claim, job_claims

JOB = "jobs:\n  j:\n    runs-on: x\n"


def contexts(on: str, job_extra: str = "", **kwargs: object) -> list[str]:
    wf = parse("w.yml", f"on:\n{on}\n{JOB}{job_extra}")
    return [c.context for c in job_claims(wf, wf.jobs["j"], **kwargs)]  # type: ignore[arg-type]


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
    assert contexts(on, default_branch="trunk") == expected


def test_environment_wins_over_every_trigger() -> None:
    assert contexts("  push:\n  pull_request:", "    environment: prod\n") == ["environment:prod"]


def test_matrix_environments_expand() -> None:
    extra = (
        "    environment: ${{ matrix.env }}\n"
        "    strategy:\n      matrix:\n        env: [dev, prod]\n"
        "        include:\n          - env: qa\n"
    )
    assert contexts("  push:", extra) == ["environment:dev", "environment:prod", "environment:qa"]


def test_expression_environment_is_a_pattern_with_a_note() -> None:
    wf = parse("w.yml", f"on: push\n{JOB}    environment: ${{{{ inputs.env }}}}\n")
    claim, *refs = job_claims(wf, wf.jobs["j"])
    assert claim.context == "environment:*" and not claim.exact
    assert "inputs.env" in claim.note
    # it may come out empty, and the job then runs with no environment: its ref's subject
    assert [c.context for c in refs] == ["ref:refs/heads/*", "ref:refs/tags/*"]


def test_a_conditional_environment_keeps_the_runs_without_one() -> None:
    extra = "    environment: ${{ github.ref_name == 'main' && 'production' || '' }}\n"
    found = contexts("  push:\n    branches: [main, dev]", extra)
    assert found == ["environment:*", "ref:refs/heads/main", "ref:refs/heads/dev"]


@pytest.mark.parametrize(
    "matrix",
    [
        "        env: ${{ fromJSON(vars.ENVS) }}\n        include:\n          - env: staging\n",
        "        env: [staging]\n        include: ${{ fromJSON(vars.MORE) }}\n",
    ],
)
def test_matrix_values_from_an_expression_can_be_any_environment(matrix: str) -> None:
    extra = f"    environment: ${{{{ matrix.env }}}}\n    strategy:\n      matrix:\n{matrix}"
    assert contexts("  push:\n    branches: [main]", extra)[0] == "environment:*"


def test_workflow_call_takes_callers_contexts() -> None:
    wf = parse("w.yml", f"on:\n  workflow_call:\n{JOB}")
    (unknown,) = job_claims(wf, wf.jobs["j"])
    assert unknown.context == "*" and "caller" in unknown.note
    callers = [Claim("ref:refs/heads/main", "push")]
    assert job_claims(wf, wf.jobs["j"], caller_claims=callers) == callers


def test_exactness() -> None:
    wf = parse("w.yml", f"on:\n  push:\n    branches: [main, 'rel/*']\n{JOB}")
    assert [c.exact for c in job_claims(wf, wf.jobs["j"])] == [True, False]


def test_callers_in_the_repository_give_a_reusable_workflow_its_contexts() -> None:
    from oidcify.workflows.claims import caller_claims

    callee = parse(".github/workflows/deploy.yml", f"on:\n  workflow_call:\n{JOB}")
    middle = parse(
        ".github/workflows/middle.yml",
        "on: workflow_call\njobs:\n  m:\n    uses: ./.github/workflows/deploy.yml\n",
    )
    top = parse(
        ".github/workflows/ci.yml",
        "on:\n  push:\n    tags: [v1]\njobs:\n  t:\n    uses: ./.github/workflows/middle.yml\n",
    )
    release = parse(
        ".github/workflows/rel.yml",
        "on: release\njobs:\n  r:\n    uses: ./.github/workflows/deploy.yml\n",
    )
    workflows = {w.path: w for w in (callee, middle, top, release)}
    found = caller_claims(workflows, ".github/workflows/deploy.yml")
    assert found is not None
    assert [c.context for c in found] == ["ref:refs/tags/v1", "ref:refs/tags/*"]
    assert caller_claims(workflows, ".github/workflows/ci.yml") is None


def test_a_caller_naming_this_repository_in_full_is_a_caller_too() -> None:
    from oidcify.workflows.claims import caller_claims

    callee = parse(".github/workflows/deploy.yml", f"on:\n  workflow_call:\n{JOB}")
    local = parse(
        ".github/workflows/main.yml",
        "on:\n  push:\n    branches: [main]\njobs:\n"
        "  d:\n    uses: ./.github/workflows/deploy.yml\n",
    )
    full = parse(
        ".github/workflows/release.yml",
        "on:\n  push:\n    tags: ['v*']\njobs:\n"
        "  d:\n    uses: o/r/.github/workflows/deploy.yml@main\n",
    )
    workflows = {w.path: w for w in (callee, local, full)}
    for repository in ("o/r", "O/R", None):
        found = caller_claims(workflows, callee.path, repository=repository)
        assert found is not None
        assert [c.context for c in found] == ["ref:refs/heads/main", "ref:refs/tags/v*"]
    other = caller_claims(workflows, callee.path, repository="o/other")
    assert other is not None and [c.context for c in other] == ["ref:refs/heads/main"]


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
         ["ref:refs/heads/main", "ref:refs/heads/*", "ref:refs/tags/*"]),
        ("startsWith(github.ref, 'refs/tags/')", ["ref:refs/tags/v*", "ref:refs/tags/*"]),
        ("github.ref == 'refs/heads/main'", ["ref:refs/heads/main", "ref:refs/heads/*"]),
        # a fork's pull request gets no token: a job only forks run presents nothing
        ("github.event.pull_request.head.repo.fork", []),
        ("github.event_name == 'issues'", []),
        # what oidcify cannot decide keeps the run (a policy that misses a run breaks a deploy)
        ("vars.DEPLOY == 'yes'",
         ["ref:refs/heads/release/*", "ref:refs/heads/main", "ref:refs/tags/v*", "pull_request",
          "ref:refs/heads/*", "ref:refs/tags/*"]),
        ("github.event_name == 'push' || inputs.force", None),  # None: as the line above
    ],
)  # fmt: skip
def test_if_rules_out_the_runs_it_is_false_for(condition: str, expected: list[str] | None) -> None:
    everything = contexts(EVERY)
    got = contexts(EVERY, f"    if: {condition}\n")
    assert got == (everything if expected is None else expected)


def test_environment_only_when_the_if_leaves_a_run() -> None:
    prod = "    environment: prod\n"
    assert contexts("  push:\n  pull_request:", prod + "    if: github.event_name == 'push'\n") == [
        "environment:prod"
    ]
    assert contexts("  pull_request:", prod + "    if: github.event_name == 'push'\n") == []


def test_caller_and_callee_conditions_both_narrow() -> None:
    from oidcify.workflows.claims import caller_claims

    callee = parse(
        ".github/workflows/deploy.yml",
        f"on:\n  workflow_call:\n{JOB}    if: github.event_name != 'pull_request'\n",
    )
    caller = parse(
        ".github/workflows/ci.yml",
        "on:\n  push:\n    branches: [main]\n  pull_request:\n  release:\njobs:\n  call:\n"
        "    if: github.event_name != 'release'\n    uses: ./.github/workflows/deploy.yml\n",
    )
    workflows = {w.path: w for w in (callee, caller)}
    callers = caller_claims(workflows, callee.path)
    assert callers is not None
    assert [c.context for c in callers] == ["ref:refs/heads/main", "pull_request"]
    found = job_claims(callee, callee.jobs["j"], caller_claims=callers)
    assert [c.context for c in found] == ["ref:refs/heads/main"]
    # with its callers unknown, the event is unknown too: the run stays
    assert [c.context for c in job_claims(callee, callee.jobs["j"])] == ["*"]


def test_repository_when_known_decides_same_repository_tests() -> None:
    same = "    if: github.repository == 'octo/app'\n"
    assert contexts("  push:\n    branches: [main]", same, repository="octo/app") == [
        "ref:refs/heads/main"
    ]
    assert contexts("  push:\n    branches: [main]", same, repository="octo/other") == []
    assert contexts("  push:\n    branches: [main]", same) == ["ref:refs/heads/main"]


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


def test_a_cut_filter_says_so_in_a_note() -> None:
    from oidcify.workflows.claims import trigger_claims

    wf = parse("w.yml", f"on:\n  push:\n    tags: ['v[0-9]+', 'v*']\n{JOB}")
    cut, plain = trigger_claims(wf.triggers["push"], "main")
    assert cut.context == plain.context == "ref:refs/tags/v*"
    assert "'v[0-9]+'" in cut.note and "'v*'" in cut.note
    assert plain.note == ""
