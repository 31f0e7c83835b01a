"""Gate 4: the exact trust policy from each case's plan admits every token the generated workflow
can obtain, and refuses the tokens of everyone else (the runs come from trust_checks.py).
"""

from __future__ import annotations

import dataclasses
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


def _pins(policy: iam.Policy, claim: str) -> list[tuple[str | None, str, tuple[str, ...]]]:
    """Per statement: its sid, and the operator and values with which it tests ``claim``."""
    key = f"{aws.GITHUB_OIDC_HOST}:{claim}"
    return [
        (s.sid, c.operator.name, c.values)
        for s in policy.statements
        for c in s.conditions
        if c.key.lower() == key
    ]


def test_every_statement_pins_the_repository_id_when_it_is_known(
    case_policy: tuple[Case, iam.Policy],
) -> None:
    """A repository deleted and re-created, or renamed and its name taken, gets another id:
    with the id in every statement, no statement admits it, whatever its sub says."""
    case, policy = case_policy
    repo_id = case.answers["github_repo_id"]
    expected = [(s.sid, "StringEquals", (repo_id,)) for s in policy.statements] if repo_id else []
    assert _pins(policy, "repository_id") == expected


def test_the_workflow_file_is_pinned_unless_the_answers_say_not(
    case_policy: tuple[Case, iam.Policy],
) -> None:
    case, policy = case_policy
    pinned = _pins(policy, "job_workflow_ref")
    prefix = f"{case.answers['github_owner']}/{case.answers['github_repo']}/.github/workflows/"
    if case.answers["pin_workflow"]:
        assert [sid for sid, _, _ in pinned] == [s.sid for s in policy.statements]
        for _, operator, values in pinned:
            assert all(v.startswith(f"{prefix}{case.workflow_path.name}@refs/") for v in values)
            # StringLike only where a ref pattern needs it
            assert operator == ("StringLike" if any("*" in v for v in values) else "StringEquals")
    else:
        assert pinned == []
        for run in workflow_runs(case):  # any other workflow file of the repository gets in
            other = dataclasses.replace(run, workflow="deploy.yml")
            assert decide(case, policy, other).allowed, run_claims(other)


def _shape(policy: iam.Policy) -> list[Any]:
    return [
        (s.sid, s.effect, s.principals, s.actions,
         sorted((c.operator.name, c.key, tuple(sorted(c.values))) for c in s.conditions))
        for s in policy.statements
    ]  # fmt: skip


def test_check_computes_the_planned_policy_without_terraform(
    case_policy: tuple[Case, iam.Policy],
) -> None:
    """`oidcify check --terraform` on a machine without terraform mirrors main.tf in Python
    (check.terraform.template_policy); for every case it must read the policy the plan shows."""
    from oidcify.check.terraform import folder as tf_folder
    from oidcify.check.terraform import hcl_policies

    case, policy = case_policy
    folder = case.terraform_dir
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in tf_folder._files(folder)]
    (read,) = hcl_policies.policies(folder, texts)
    assert _shape(read.policy) == _shape(policy)
