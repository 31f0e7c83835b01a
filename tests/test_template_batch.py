"""The template's ``batch_roles`` (batch.tf), fed by ``oidcify batch --trust-out``.

A real batch over the corpus (local git repositories, role ``gha-{repo}``) writes
``batch.auto.tfvars.json`` into a generated configuration; the Terraform gate passes (fmt,
validate, offline plan); each planned trust policy, read by ``oidcify.iam`` as STS would,
admits every sub claim the jobs assuming that role will present and refuses the same claims from
sibling repositories, and, for the role of a checkout whose answers give the repository's id,
from a repository with another id. The variable's validation refuses entries that would widen a
policy, and with no ``batch_roles`` (nor ids, nor workflow pin) the plan is exactly v0.1.0's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from batch_repos import corpus_repos
from cases import BASE, Case, render, render_release
from oidcify import aws, cli, gates, iam, terraform
from oidcify.batch.trust import GUESSES

pytestmark = pytest.mark.slow
ACCOUNT = BASE["aws_account_id"]
PROVIDER = aws.oidc_provider_arn(aws.AWS, ACCOUNT)
SAMPLES = ("main", "v1.2.3", "feature-x")
TFVARS = "batch.auto.tfvars.json"
PINNED_ID = "4242"


@pytest.fixture(scope="module")
def batch(cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("batch-template")
    config = base / "tf"
    shutil.copytree(cases["defaults"].terraform_dir, config)
    repos = corpus_repos(base / "repos")
    # One checkout generated from the template knows its repository's id: its role pins it.
    owner, name = sorted(repos)[0].split("__")
    answers = {"github_owner": owner, "github_repo": name, "github_repo_id": PINNED_ID}
    (repos[sorted(repos)[0]] / ".copier-answers.yml").write_text(json.dumps(answers) + "\n")
    report = base / "report.json"
    code = cli.main([
        "batch", str(base / "repos"), "--check", "-q", "--region", "us-east-1",
        "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/gha-{{repo}}",
        "--report", str(report), "--trust-out", str(config / TFVARS),
    ])  # fmt: skip
    assert code == 1  # changes are needed, nothing failed
    return {
        "config": config,
        "report": json.loads(report.read_text()),
        "roles": json.loads((config / TFVARS).read_text())["batch_roles"],
    }


@pytest.fixture(scope="module")
def policies(
    batch: dict[str, Any], terraform_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, iam.Policy]:
    config = batch["config"]
    scratch = tmp_path_factory.mktemp("batch-plan")
    result = gates.terraform_gate(terraform_bin, [config], scratch, plugins=terraform.plugin_dir())
    assert result.passed, result.details
    plan = result.plans[config]
    return {
        name: iam.parse_policy(terraform.trust_policy(plan, f'aws_iam_role.batch["{name}"]'))
        for name in batch["roles"]
    }


def admits(policy: iam.Policy, sub: str, repository_id: str | None = None) -> bool:
    claims = {"sub": sub, "aud": "sts.amazonaws.com"}
    claims |= {"repository_id": repository_id} if repository_id else {}
    return iam.evaluate(policy, iam.github_request(PROVIDER, claims)).allowed


def instances(subject: str) -> list[str]:
    return [subject.replace("*", s) for s in SAMPLES] if "*" in subject else [subject]


def emitted(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(role name, repository, subject) for every claim of a job assuming the batch's role."""
    found = []
    for repo in report["repositories"]:
        for claim in repo["claims"]:
            if claim["role"] != repo["role_arn"] or repo["status"] not in ("changed", "unchanged"):
                continue
            for context, subject in zip(claim["contexts"], claim["subjects"], strict=True):
                if context not in GUESSES:
                    found.append((claim["role"].rsplit("/", 1)[-1], repo["repository"], subject))
    return found


def test_each_role_lists_exactly_the_subjects_its_jobs_emit(batch: dict[str, Any]) -> None:
    roles = batch["roles"]
    assert len(roles) > 15
    expected: dict[str, set[str]] = {}
    for name, _, subject in emitted(batch["report"]):
        expected.setdefault(name, set()).add(subject)
    assert {name: set(role["subjects"]) for name, role in roles.items()} == expected


def test_every_emitted_subject_is_admitted(
    batch: dict[str, Any], policies: dict[str, iam.Policy]
) -> None:
    found = emitted(batch["report"])
    assert len(found) > 30
    for name, _, subject in found:
        repository_id = batch["roles"][name].get("repository_id")
        for sub in instances(subject):
            assert admits(policies[name], sub, repository_id), (name, sub)


def test_a_known_repository_id_is_pinned_in_every_statement(
    batch: dict[str, Any], policies: dict[str, iam.Policy]
) -> None:
    pinned = {n: r["repository_id"] for n, r in batch["roles"].items() if "repository_id" in r}
    assert list(pinned.values()) == [PINNED_ID]
    (name,) = pinned
    key = f"{aws.GITHUB_OIDC_HOST}:repository_id"
    policy = policies[name]
    assert [
        [(c.operator.name, c.values) for c in s.conditions if c.key.lower() == key]
        for s in policy.statements
    ] == [[("StringEquals", (PINNED_ID,))]] * len(policy.statements)
    # the same subjects from a repository re-created under the same name: another id
    for subject in batch["roles"][name]["subjects"]:
        for sub in instances(subject):
            assert admits(policy, sub, PINNED_ID), sub
            assert not admits(policy, sub, "4243"), sub


def test_sibling_repositories_are_refused(
    batch: dict[str, Any], policies: dict[str, iam.Policy]
) -> None:
    found = emitted(batch["report"])
    for name, repository, subject in found:
        owner, repo = repository.split("/")
        for sibling in (f"{owner}/{repo}-sibling", f"{owner}-x/{repo}", f"{owner}/x{repo}"):
            sub = subject.replace(f"repo:{repository}:", f"repo:{sibling}:", 1)
            for instance in instances(sub):
                pinned = batch["roles"][name].get("repository_id")
                assert not admits(policies[name], instance, pinned), (name, instance)


def _module(label: str, roles: dict[str, Any]) -> str:
    inputs = {**BASE, "aws_region": "us-east-1", "iam_role_name": "r", "ecr_repository": "ab"}
    body = "\n".join(
        f"  {k} = {json.dumps(v)}" for k, v in {**inputs, "batch_roles": roles}.items()
    )
    return f'module "{label}" {{\n  source = "./vars"\n{body}\n}}\n'


GOOD = "repo:octo/app:ref:refs/heads/main"
VALIDATION_ROWS = [
    ({"gha-app": {"subjects": [GOOD, "repo:o@1/a@2:environment:prod"]}}, True),
    ({"gha-app": {"subjects": ["repo:octo/app:ref:refs/tags/v*", "repo:o/a:pull_request"]}}, True),
    ({"r": {"subjects": [GOOD], "path": "/ci/", "policy_arns": ["arn:aws:iam::aws:policy/X"]}},
     True),
    ({"gha-app": {"subjects": ["repo:octo/*:ref:refs/heads/main"]}}, False),
    ({"gha-app": {"subjects": ["repo:*:ref:refs/heads/main"]}}, False),
    ({"gha-app": {"subjects": ["repo:octo/app:*"]}}, False),
    ({"gha-app": {"subjects": ["repo:octo/app"]}}, False),
    ({"gha-app": {"subjects": ["octo/app:pull_request"]}}, False),
    ({"gha-app": {"subjects": [f" {GOOD}"]}}, False),
    ({"gha-app": {"subjects": []}}, False),
    ({"gha-app": {"subjects": [GOOD, GOOD]}}, False),
    ({"has space": {"subjects": [GOOD]}}, False),
    ({"gha-app": {"subjects": [GOOD], "path": "ci"}}, False),
    ({"gha-app": {"subjects": [GOOD], "policy_arns": ["ReadOnlyAccess"]}}, False),
    ({"gha-app": {"subjects": [GOOD], "repository_id": "987654321"}}, True),
    ({"gha-app": {"subjects": [GOOD], "repository_id": ""}}, True),
    ({"gha-app": {"subjects": [GOOD], "repository_id": "0123"}}, False),
    ({"gha-app": {"subjects": [GOOD], "repository_id": "octo/app"}}, False),
]  # fmt: skip


def test_batch_roles_validation(
    cases: dict[str, Case], terraform_bin: Path, tmp_path: Path
) -> None:
    (tmp_path / "vars").mkdir()
    shutil.copy(cases["defaults"].terraform_dir / "variables.tf", tmp_path / "vars")
    labels = {f"row{n}": row for n, row in enumerate(VALIDATION_ROWS)}
    (tmp_path / "main.tf").write_text("".join(_module(k, r) for k, (r, _) in labels.items()))
    run = [str(terraform_bin), f"-chdir={tmp_path}"]
    subprocess.run(
        [*run, "init", "-backend=false", "-input=false"], check=True, capture_output=True
    )
    done = subprocess.run([*run, "validate", "-json"], capture_output=True, text=True, check=False)
    refused = {
        d["snippet"]["context"].split('"')[1]: d["detail"]
        for d in json.loads(done.stdout)["diagnostics"]
    }
    for label, (roles, ok) in labels.items():
        assert (label not in refused) == ok, (roles, refused.get(label))
        assert ok or refused[label].startswith("batch_roles: "), refused[label]


def test_no_batch_roles_plans_exactly_like_v010_and_own_name_is_refused(
    cases: dict[str, Case], terraform_bin: Path, tmp_path: Path
) -> None:
    render_release(BASE, tmp_path / "old", "v0.1.0")
    # Without ids and without the workflow pin, today's policy is 0.1.0's.
    render({**BASE, "pin_workflow": False}, tmp_path / "new")
    clash = tmp_path / "clash"
    shutil.copytree(cases["defaults"].terraform_dir, clash)
    own = cases["defaults"].answers["iam_role_name"]
    (clash / TFVARS).write_text(json.dumps({"batch_roles": {own.upper(): {"subjects": [GOOD]}}}))
    configs = {
        "old": tmp_path / "old" / "infra" / "github-oidc",
        "new": tmp_path / "new" / "infra" / "github-oidc",
        "clash": clash,
    }
    plugins = terraform.plugin_dir()

    def plan(name: str) -> terraform.PlanResult:
        return terraform.mock_plan(
            terraform_bin, configs[name], tmp_path / f"s-{name}", plugins=plugins
        )

    with ThreadPoolExecutor(max_workers=3) as pool:
        old, new, clashed = pool.map(plan, configs)
    assert old.plan is not None and new.plan is not None
    resources = [p["planned_values"]["root_module"]["resources"] for p in (old.plan, new.plan)]
    assert resources[0] == resources[1]
    assert clashed.plan is None
    assert "is this configuration's own role (iam_role_name)" in clashed.steps[-1].output
