"""``oidcify.check.probes``: which Allow statements a made-up repository's token gets through."""

from __future__ import annotations

import json
from pathlib import Path

from check_helpers import run_check
from oidcify import subjects
from oidcify.check import probes
from oidcify.check.policies import Locator, Place, TrustPolicy
from oidcify.iam import parse_policy

FIXTURE = Path(__file__).parent / "fixtures" / "check" / "trust" / "broad-other-claims"
PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
SUB = "token.actions.githubusercontent.com:sub"


def test_a_shared_reusable_workflow_within_one_owner_is_a_warning() -> None:
    report = run_check(FIXTURE / ".github", cwd=FIXTURE, repo="octo-org/app", ids=(1234, 5678),
                       trust_policies=(str(FIXTURE / "policy.json"),))  # fmt: skip
    severities = {f.message.split(":")[1].split()[0]: f.severity for f in report.findings
                  if f.rule == "OC203"}  # fmt: skip
    assert severities["OrgSharedWorkflow"] == "warning"
    assert severities["Enterprise"] == "error"
    assert "SelfHosted" not in severities  # runner_environment is no key: it admits nothing
    assert "CalledWorkflow" not in severities  # deploy.yml is no reusable workflow others call


def _statement(values: list[str], operator: str = "StringEquals") -> object:
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {operator: {SUB: values}},
    }]}  # fmt: skip
    return parse_policy(json.dumps(doc)).statements[0]


def test_only_named_repositories_in_sub_need_no_probe() -> None:
    named = [f"repo:owner{i}/app:ref:refs/heads/main" for i in range(200)]
    assert probes._pinned_by_sub(_statement(named))  # type: ignore[arg-type]
    assert probes._pinned_by_sub(_statement([*named, "repo:owner1/*"]))  # type: ignore[arg-type]
    widened = _statement([*named, "repo:owner1/*"], "StringLike")
    assert not probes._pinned_by_sub(widened)  # type: ignore[arg-type]


def _trust(statement: dict[str, object], *more: dict[str, object]) -> TrustPolicy:
    doc = {"Version": "2012-10-17", "Statement": [statement, *more]}
    return TrustPolicy("policy.json", parse_policy(json.dumps(doc)), Locator([], Place("p", 1)))


def test_every_owner_named_is_probed() -> None:
    """No cap: the 200th owner of a list is probed as surely as the first."""
    owners = [f"owner{i}" for i in range(200)]
    allow = {"Effect": "Allow", "Principal": {"Federated": PROVIDER},
             "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringLike": {SUB: [f"repo:{o}/*" for o in owners]}}}  # fmt: skip
    deny = {"Effect": "Deny", "Principal": {"Federated": PROVIDER},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringNotLike": {SUB: f"repo:{owners[-1]}/*"}}}  # fmt: skip
    policy = _trust(allow, deny)
    run = probes.foreign_run(policy, policy.policy.statements[0], None)
    assert run is not None
    assert run.repo.owner == owners[-1]
    assert run.what == f"every repository of {owners[-1]}"


def test_no_foreign_run_when_a_deny_refuses_all_but_this_repository() -> None:
    allow = {"Effect": "Allow", "Principal": {"Federated": PROVIDER},
             "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringLike": {SUB: "repo:*"}}}  # fmt: skip
    deny = {"Effect": "Deny", "Principal": {"Federated": PROVIDER},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringNotEquals": {"token.actions.githubusercontent.com:repository":
                                              "octo-org/app"}}}  # fmt: skip
    policy = _trust(allow, deny)
    own = subjects.Repo("octo-org", "app")
    assert probes.foreign_run(policy, policy.policy.statements[0], own) is None
    assert probes.foreign_run(policy, policy.policy.statements[1], own) is None  # a Deny
