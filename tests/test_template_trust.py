"""Gate 4: the exact trust policy from each case's plan admits every token the generated workflow
can obtain, and refuses the tokens of everyone else (the runs come from trust_checks.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from cases import Case, case_answers, repo_of
from oidcify import aws, iam, subjects, terraform
from oidcify.iam.github_token import run_claims
from trust_checks import decide, strangers, workflow_runs

pytestmark = pytest.mark.slow
CASES = sorted(case_answers())


@pytest.fixture(params=CASES)
def case_policy(
    request: pytest.FixtureRequest, cases: dict[str, Case], plans: dict[str, dict[str, Any]]
) -> tuple[Case, iam.Policy]:
    name = request.param
    return cases[name], iam.parse_policy(terraform.trust_policy(plans[name]))


def test_every_run_of_the_workflow_is_admitted(case_policy: tuple[Case, iam.Policy]) -> None:
    case, policy = case_policy
    runs = workflow_runs(case)
    assert runs
    for run in runs:
        decision = decide(case, policy, run)
        assert decision.allowed, (run_claims(run)["sub"], decision.summary)


def test_everyone_else_is_refused(case_policy: tuple[Case, iam.Policy]) -> None:
    case, policy = case_policy
    for base in workflow_runs(case):
        assert decide(case, policy, base).allowed  # each stranger is one change away from this
        for what, run in strangers(case, base).items():
            decision = decide(case, policy, run)
            assert not decision.allowed, (what, run_claims(run)["sub"], decision.summary)


def test_the_workflow_model_sees_the_same_subjects(case_policy: tuple[Case, iam.Policy]) -> None:
    """oidcify.workflows (written for `retrofit` and `check`) reads the generated workflow on its
    own; the subjects it says the job can present are exactly the ones the policy lists."""
    from oidcify import workflows
    from oidcify.workflows.runs import job_runs, subject_runs

    case, policy = case_policy
    workflow = workflows.parse(str(case.workflow_path), case.workflow_path.read_text())
    runs = job_runs({}, workflow, workflow.jobs["build-and-push"])
    contexts = [run.context for run in subject_runs(runs)]
    expected = subjects.subjects(repo_of(case.answers), contexts, case.answers["subject_format"])
    listed = [value for _, _, value in policy.condition_values(f"{aws.GITHUB_OIDC_HOST}:sub")]
    assert sorted(listed) == sorted(expected)
