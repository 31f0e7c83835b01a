"""``oidcify.check.probes``: which Allow statements a made-up repository's token gets through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from check_helpers import run_check
from oidcify.check import probes
from oidcify.iam import parse_policy

FIXTURE = Path(__file__).parent / "fixtures" / "check" / "trust" / "broad-other-claims"
PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
SUB = "token.actions.githubusercontent.com:sub"


@pytest.mark.parametrize(
    ("arn", "host"),
    [
        (PROVIDER, "token.actions.githubusercontent.com"),
        (PROVIDER + "/octo-ent", "token.actions.githubusercontent.com/octo-ent"),
        ("arn:aws:iam::123456789012:oidc-provider/gitlab.com", None),
        ("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com.evil", None),
    ],
)
def test_host_of_a_github_provider(arn: str, host: str | None) -> None:
    assert probes.host(arn) == host


def test_a_shared_reusable_workflow_within_one_owner_is_a_warning() -> None:
    report = run_check(FIXTURE / ".github", cwd=FIXTURE, repo="octo-org/app",
                       trust_policies=(str(FIXTURE / "policy.json"),))  # fmt: skip
    severities = {f.message.split(":")[1].split()[0]: f.severity for f in report.findings}
    assert severities["OrgSharedWorkflow"] == "warning"
    assert severities["CalledWorkflow"] == severities["SelfHosted"] == "error"


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


def test_owners_probed_are_bounded() -> None:
    named = [f"repo:owner{i}/app:ref:refs/heads/main" for i in range(200)]
    found = probes._owners(_statement(named), "octo-org", None)  # type: ignore[arg-type]
    assert found[0].what == "any repository on GitHub"
    assert len(found) == 1 + probes.MAX_OWNERS
