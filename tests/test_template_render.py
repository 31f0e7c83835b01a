"""What the template renders for each case of the answer matrix, read back as users' tools read it.

Expected values come from oidcify.aws, oidcify.pins and the answers, not from the template.
"""

from __future__ import annotations

import io
from typing import Any

import hcl2
import pytest
from ruamel.yaml import YAML

from cases import BASE, Case, case_answers, step, steps, triggers
from oidcify import aws, pins
from oidcify.workflows.ifexpr import Facts, may_run

CASES = sorted(case_answers())


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest, cases: dict[str, Case]) -> Case:
    return cases[request.param]


def _tfvars(case: Case) -> dict[str, Any]:
    text = (case.terraform_dir / "terraform.tfvars").read_text()
    options = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False)
    loaded: dict[str, Any] = hcl2.loads(text, serialization_options=options)
    return loaded


def test_every_case_renders_the_same_files(case: Case) -> None:
    rendered = sorted(str(p.relative_to(case.root)) for p in case.root.rglob("*") if p.is_file())
    tf = case.answers["terraform_dir"]
    assert rendered == sorted([
        ".copier-answers.yml",
        ".github/workflows/build-and-push.yml",
        *(f"{tf}/{name}" for name in (".gitignore", "README.md", "batch.tf", "ecr.tf", "main.tf",
                                      "outputs.tf", "terraform.tfvars", "variables.tf")),
    ])  # fmt: skip


def test_answers_file_keeps_strings_in_yaml_1_1_and_1_2(case: Case) -> None:
    text = (case.root / ".copier-answers.yml").read_text()
    yaml12 = YAML(typ="safe").load(io.StringIO(text))
    expected = case_answers()[case.name]
    for answers in (case.answers, yaml12):
        assert answers["aws_account_id"] == expected["aws_account_id"]
        assert isinstance(answers["aws_account_id"], str)
        assert answers["_src_path"] and answers["_commit"]  # what `copier update` needs


def test_tfvars_carry_the_answers(case: Case) -> None:
    tfvars, answers = _tfvars(case), case.answers
    for name in ("github_owner", "github_repo", "aws_account_id", "aws_region", "iam_role_name",
                 "ecr_repository", "deploy_branches", "deploy_tag_pattern", "subject_format",
                 "deploy_environment", "allow_pull_requests", "create_ecr_repository",
                 "oidc_provider", "max_session_duration"):  # fmt: skip
        assert tfvars[name] == answers[name], name
    moving = {"branch", "latest"} & set(answers["image_tags"]) or answers["cache"] == "registry"
    assert tfvars["image_tag_mutability"] == ("MUTABLE" if moving else "IMMUTABLE")


def test_permissions_are_least_privilege(case: Case) -> None:
    workflow = case.workflow
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["build-and-push"]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    text = case.workflow_path.read_text()
    assert "contents: read # " in text and "id-token: write # " in text


def test_triggers_follow_the_answers(case: Case) -> None:
    on, answers = triggers(case), case.answers
    push = on["push"]
    assert push.get("branches", []) == answers["deploy_branches"]
    assert push.get("tags", []) == (
        [answers["deploy_tag_pattern"]] if answers["deploy_tag_pattern"] else []
    )
    assert ("pull_request" in on) == answers["allow_pull_requests"]
    assert ("workflow_dispatch" in on) == bool(answers["deploy_environment"])
    assert set(on) <= {"push", "pull_request", "workflow_dispatch"}
    job = case.workflow["jobs"]["build-and-push"]
    assert job.get("environment", "") == answers["deploy_environment"]


def test_credentials_step_uses_the_partition(case: Case) -> None:
    answers = case.answers
    partition = aws.partition_of(answers["aws_region"])
    creds = step(case, "aws-actions/configure-aws-credentials")
    assert creds is not None
    inputs = creds["with"]
    assert inputs["role-to-assume"] == aws.role_arn(
        partition, answers["aws_account_id"], answers["iam_role_name"]
    )
    assert inputs["aws-region"] == answers["aws_region"]
    assert inputs["allowed-account-ids"] == answers["aws_account_id"]
    assert inputs["mask-aws-account-id"] is True
    assert inputs.get("audience", "sts.amazonaws.com") == partition.sts_audience
    assert inputs["role-session-name"]


def test_image_goes_to_the_ecr_repository(case: Case) -> None:
    answers = case.answers
    registry = aws.ecr_registry(
        aws.partition_of(answers["aws_region"]), answers["aws_account_id"], answers["aws_region"]
    )
    meta = step(case, "docker/metadata-action")
    build = step(case, "docker/build-push-action")
    assert meta is not None and build is not None
    assert meta["with"]["images"] == f"{registry}/{answers['ecr_repository']}"
    assert build["with"]["tags"] == "${{ steps.meta.outputs.tags }}"
    assert build["with"]["labels"] == "${{ steps.meta.outputs.labels }}"
    assert build["with"]["platforms"] == ",".join(answers["platforms"])
    assert build["with"]["file"] == answers["dockerfile"]
    assert build["with"]["context"] == answers["build_context"]
    needs_qemu = answers["platforms"] != ["linux/amd64"]
    assert (step(case, "docker/setup-qemu-action") is not None) == needs_qemu


def test_checkout_does_not_keep_credentials(case: Case) -> None:
    checkout = step(case, "actions/checkout")
    assert checkout is not None
    assert checkout["with"]["persist-credentials"] is False


def test_actions_come_from_the_pin_table(case: Case) -> None:
    table = pins.load_pins()
    text = case.workflow_path.read_text()
    for entry in steps(case):
        action = entry["uses"].split("@")[0]
        expected = table[action].uses(pinned=case.answers["pin_actions"])
        assert f"uses: {expected}\n" in text


def test_every_pinned_action_is_used(cases: dict[str, Case]) -> None:
    """No stale pins: `oidcify pins list` shows what generated workflows really run."""
    used = {entry["uses"].split("@")[0] for case in cases.values() for entry in steps(case)}
    assert used == set(pins.load_pins())


def test_image_tags_follow_the_answers(case: Case) -> None:
    meta = step(case, "docker/metadata-action")
    assert meta is not None
    rules = meta["with"]["tags"].splitlines()
    kinds = {rule.split(",")[0].removeprefix("type=") for rule in rules}
    wanted = {"semver": "semver", "sha": "sha", "branch": "ref", "latest": "raw"}
    assert kinds == {wanted[tag] for tag in case.answers["image_tags"]}
    assert meta["with"]["flavor"] == "latest=false"  # no implicit, moving `latest`


@pytest.mark.parametrize("name", ["multi-arch"])
def test_pull_requests_build_without_pushing_or_writing_the_cache(
    cases: dict[str, Case], name: str
) -> None:
    build = step(cases[name], "docker/build-push-action")
    assert build is not None
    assert build["with"]["push"] == "${{ github.event_name != 'pull_request' }}"
    assert build["with"]["cache-to"].startswith("${{ github.event_name != 'pull_request' && ")


def test_fork_pull_requests_skip_the_job(case: Case) -> None:
    """Forks get no OIDC token on pull_request: the job skips them rather than failing at the
    AWS step; without pull requests the job has no condition (output as before)."""
    guard = case.workflow["jobs"]["build-and-push"].get("if")
    assert (guard is not None) == case.answers["allow_pull_requests"]
    if guard is None:
        return
    repo = f"{case.answers['github_owner']}/{case.answers['github_repo']}"
    assert not may_run(guard, Facts("pull_request", fork=True, repository=repo))
    assert may_run(guard, Facts("pull_request", fork=False, repository=repo))
    assert may_run(guard, Facts("push", "refs/heads/main", repository=repo))
    assert may_run(guard, Facts("workflow_dispatch", "refs/heads/main", repository=repo))


def test_no_for_all_values_anywhere(case: Case) -> None:
    for path in case.root.rglob("*"):
        if path.is_file():
            assert "ForAllValues" not in path.read_text(), path


def test_matrix_covers_what_the_issue_asks_for(cases: dict[str, Case]) -> None:
    answers = [case.answers for case in cases.values()]
    covered = {
        "defaults": any(set(case_answers()[n]) == set(BASE) for n in cases),
        "multi-arch": any(len(a["platforms"]) > 1 for a in answers),
        "environment": any(a["deploy_environment"] for a in answers),
        "existing provider": any(a["oidc_provider"] == "existing" for a in answers),
        "no ECR creation": any(not a["create_ecr_repository"] for a in answers),
        "immutable subject": any(a["subject_format"] == "immutable" for a in answers),
        "both subject forms": any(a["subject_format"] == "both" for a in answers),
        "China": any(aws.partition_of(a["aws_region"]).name == "aws-cn" for a in answers),
        "GovCloud": any(aws.partition_of(a["aws_region"]).name == "aws-us-gov" for a in answers),
        "unpinned actions": any(not a["pin_actions"] for a in answers),
        "leading zeros": any(a["aws_account_id"].startswith("0") for a in answers),
        "pull requests": any(a["allow_pull_requests"] for a in answers),
        "moving tags": any({"branch", "latest"} & set(a["image_tags"]) for a in answers),
        "workflow not pinned": any(not a["pin_workflow"] for a in answers),
        "ids with legacy subjects": any(
            a["github_repo_id"] and a["subject_format"] == "legacy" for a in answers
        ),
    }
    assert [name for name, ok in covered.items() if not ok] == []


def test_answers_file_lists_answers_by_name_after_the_template_keys(case: Case) -> None:
    """A stable order: `copier update` gathers answers in another order than `copier copy`."""
    text = (case.root / ".copier-answers.yml").read_text()
    keys = [line.split(":", 1)[0] for line in text.splitlines() if not line.startswith("#")]
    assert keys[:2] == ["_commit", "_src_path"]
    assert keys[2:] == sorted(keys[2:]) and set(keys) == set(case.answers)
