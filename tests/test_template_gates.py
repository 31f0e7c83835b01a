"""Gates 1-3 over the whole answer matrix: actionlint, zizmor, terraform fmt/validate/plan; and
the shape of what the plan would create, read from the plan's JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cases import Case, case_answers, repo_of
from oidcify import aws, cli, gates, iam, names, subjects, terraform
from oidcify.check.terraform import offline_plan

pytestmark = pytest.mark.slow
CASES = sorted(case_answers())


def test_actionlint_finds_nothing(cases: dict[str, Case], actionlint_bin: Path) -> None:
    result = gates.actionlint(actionlint_bin, [case.workflow_path for case in cases.values()])
    assert result.status == "passed", result.details


def test_zizmor_auditor_finds_nothing_in_pinned_workflows(
    cases: dict[str, Case], zizmor_bin: Path
) -> None:
    pinned = [case.root for case in cases.values() if case.answers["pin_actions"]]
    assert len(pinned) == len(cases) - 1
    result = gates.zizmor(zizmor_bin, pinned)
    assert result.status == "passed", result.details


def test_zizmor_objects_to_unpinned_actions(cases: dict[str, Case], zizmor_bin: Path) -> None:
    result = gates.zizmor(zizmor_bin, [cases["unpinned"].root])
    assert result.status == "failed"
    findings = result.details.splitlines()
    assert findings and all("unpinned-uses" in line for line in findings)


@pytest.mark.parametrize("name", CASES)
def test_oidcify_check_finds_nothing(
    name: str,
    *,
    cases: dict[str, Case],
    plans: dict[str, dict[str, Any]],
    actionlint_bin: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A generated repository passes our own check: actionlint, every OIDC rule (OC107 too
    where actions are pinned) and trust coverage of the role in its Terraform."""
    case = cases[name]
    answers = case.answers
    # The session's plan of each configuration stands in for check's own (the same offline
    # plan, seconds each); test_check_terraform runs check's.
    planned = {cases[n].terraform_dir.resolve(): plans[n] for n in cases}
    monkeypatch.setattr(
        offline_plan, "plan_json", lambda _terraform, config: planned[config.resolve()]
    )
    argv = ["check", str(case.root), "--format", "json", "--actionlint", str(actionlint_bin),
            "--repo", f"{answers['github_owner']}/{answers['github_repo']}",
            "--terraform", str(case.terraform_dir)]  # fmt: skip
    if answers["github_repo_id"]:
        argv += ["--owner-id", answers["github_owner_id"], "--repo-id", answers["github_repo_id"]]
    if answers["pin_actions"]:
        argv += ["--enable", "OC107"]
    code = cli.main(argv)
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert (code, report["findings"]) == (0, [])
    assert report["files"] == 1
    assert err == ""  # every run judged, job_workflow_ref and repository_id included


def test_terraform_fmt_validate_and_plan_succeed(
    terraform_result: tuple[gates.GateResult, dict[str, Path]],
) -> None:
    result, config_of = terraform_result
    assert result.status == "passed", result.details
    assert len(set(config_of.values())) < len(config_of)  # identical renders planned once


def _resources(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = plan["planned_values"]["root_module"].get("resources", [])
    return {r["address"]: r["values"] for r in found}


@pytest.mark.parametrize("name", CASES)
def test_plan_creates_what_the_answers_ask(
    name: str, cases: dict[str, Case], plans: dict[str, dict[str, Any]]
) -> None:
    answers, resources = cases[name].answers, _resources(plans[name])
    partition = aws.partition_of(answers["aws_region"])
    provider = resources.get("aws_iam_openid_connect_provider.github[0]")
    assert (provider is not None) == (answers["oidc_provider"] == "create")
    if provider is not None:
        assert provider["url"] == "https://token.actions.githubusercontent.com"
        assert provider["client_id_list"] == [partition.sts_audience]
    role = resources["aws_iam_role.github_actions"]
    assert role["name"] == answers["iam_role_name"]
    assert role["max_session_duration"] == answers["max_session_duration"]
    repository = resources.get("aws_ecr_repository.image[0]")
    assert (repository is not None) == answers["create_ecr_repository"]
    if repository is not None:
        assert repository["name"] == answers["ecr_repository"]
        assert repository["image_scanning_configuration"] == [{"scan_on_push": True}]
        assert repository["encryption_configuration"][0]["encryption_type"] == "AES256"
        assert repository["image_tag_mutability"] in {"IMMUTABLE", "MUTABLE"}
        assert "aws_ecr_lifecycle_policy.image[0]" in resources


@pytest.mark.parametrize("name", CASES)
def test_push_policy_is_scoped_to_one_repository(
    name: str, cases: dict[str, Case], plans: dict[str, dict[str, Any]]
) -> None:
    answers = cases[name].answers
    partition = aws.partition_of(answers["aws_region"])
    policy = json.loads(_resources(plans[name])["aws_iam_role_policy.ecr_push"]["policy"])
    by_resource = {json.dumps(s["Resource"]): s for s in policy["Statement"]}
    repo_arn = (
        f"arn:{partition.name}:ecr:{answers['aws_region']}:{answers['aws_account_id']}"
        f":repository/{answers['ecr_repository']}"
    )
    assert set(by_resource) == {'"*"', json.dumps(repo_arn)}
    assert by_resource['"*"']["Action"] == "ecr:GetAuthorizationToken"
    assert "ecr:PutImage" in by_resource[json.dumps(repo_arn)]["Action"]


def _expected_subjects(answers: dict[str, Any]) -> set[str]:
    """What the trust policy should list, built by oidcify.subjects (Python), not by the HCL."""
    repo = repo_of(answers)
    if answers["deploy_environment"]:
        contexts = [subjects.environment_context(answers["deploy_environment"])]
    else:
        contexts = [subjects.branch_context(b) for b in answers["deploy_branches"]]
        if answers["deploy_tag_pattern"]:
            contexts.append(subjects.tag_context(answers["deploy_tag_pattern"]))
        if answers["allow_pull_requests"]:
            contexts.append(subjects.PULL_REQUEST_CONTEXT)
    return set(subjects.subjects(repo, contexts, answers["subject_format"]))


@pytest.mark.parametrize("name", CASES)
def test_trust_policy_is_exact(
    name: str, cases: dict[str, Case], plans: dict[str, dict[str, Any]]
) -> None:
    answers = cases[name].answers
    partition = aws.partition_of(answers["aws_region"])
    policy = terraform.trust_policy(plans[name])
    provider_arn = aws.oidc_provider_arn(partition, answers["aws_account_id"])
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Principal"] == {"Federated": provider_arn}
        condition = statement["Condition"]
        assert not any(op.startswith("ForAllValues") for op in condition)
        assert condition["StringEquals"]["token.actions.githubusercontent.com:aud"] == (
            partition.sts_audience
        )
        # One kind of sub test per statement: conditions in a statement are AND-ed.
        assert [op for op in condition if any(k.endswith(":sub") for k in condition[op])] in (
            ["StringEquals"],
            ["StringLike"],
        )
    sub = f"{aws.GITHUB_OIDC_HOST}:sub"
    listed = [(c.operator.name, v) for _, c, v in iam.parse_policy(policy).condition_values(sub)]
    for test, subject in listed:
        assert (test == "StringLike") == names.is_wildcard(subject), subject
    assert {subject for _, subject in listed} == _expected_subjects(answers)
    assert len(listed) == len(_expected_subjects(answers))
