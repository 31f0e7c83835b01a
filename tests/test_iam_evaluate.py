"""Decisions: principal and action matching, explicit Deny, implicit deny, explanations."""

from __future__ import annotations

from typing import Any

import pytest

from oidcify.iam import Request, evaluate, github_request, issuer_host, parse_policy
from oidcify.iam.evaluate import principal_type

PROVIDER = "arn:aws:iam::012345678901:oidc-provider/token.actions.githubusercontent.com"
OTHER_PROVIDER = "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com"
MAIN = "repo:o/r:ref:refs/heads/main"


def allow(**changes: Any) -> dict[str, Any]:
    statement = {
        "Sid": "Deploy",
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": MAIN}},
    }
    statement.update(changes)
    return statement


def decide(*statements: dict[str, Any], sub: str = MAIN, principal: str = PROVIDER) -> Any:
    policy = parse_policy({"Version": "2012-10-17", "Statement": list(statements)})
    return evaluate(policy, github_request(principal, {"sub": sub, "aud": "sts.amazonaws.com"}))


def test_allow_names_the_deciding_statement() -> None:
    decision = decide(allow())
    assert decision.allowed
    assert decision.deciding_label == "Deploy"
    assert decision.summary == "ALLOW by Deploy"


def test_implicit_deny_lists_the_refusing_condition() -> None:
    decision = decide(allow(), sub="repo:o/r:environment:prod")
    assert not decision.allowed
    assert decision.deciding is None
    assert "implicit deny" in decision.summary
    ((statement, failed),) = decision.refusals()
    assert statement.statement.label == "Deploy"
    assert failed.condition.claim == "sub"


def test_explicit_deny_wins_over_allow() -> None:
    deny = allow(Sid="NoPRs", Effect="Deny", Condition={})
    decision = decide(allow(Condition={}), deny)
    assert not decision.allowed
    assert decision.explicit_deny
    assert decision.deciding_label == "NoPRs"


def test_deny_that_does_not_apply_leaves_the_allow() -> None:
    no_prs = {"StringLike": {"token.actions.githubusercontent.com:sub": "*:pull_request"}}
    deny = allow(Sid="NoPRs", Effect="Deny", Condition=no_prs)
    assert decide(allow(), deny).allowed
    assert not decide(allow(Condition={}), deny, sub="repo:o/r:pull_request").allowed


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        ({"Federated": PROVIDER}, True),
        ({"Federated": [OTHER_PROVIDER, PROVIDER]}, True),
        ({"Federated": OTHER_PROVIDER}, False),
        ({"AWS": PROVIDER}, False),
        ({"AWS": "*"}, True),
        ({"AWS": "arn:aws:iam::012345678901:root"}, False),
        ("*", True),
        ({"Federated": "*"}, True),
    ],
)
def test_principal_matching(principal: Any, allowed: bool) -> None:
    assert decide(allow(Principal=principal)).allowed is allowed


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("sts:AssumeRoleWithWebIdentity", True),
        ("STS:assumerolewithwebidentity", True),
        ("sts:AssumeRole*", True),
        ("sts:*", True),
        ("*", True),
        ("sts:AssumeRole", False),
        ("sts:AssumeRoleWithSAML", False),
        (["sts:AssumeRole", "sts:TagSession"], False),
        ("sts:AssumeRoleWith?ebIdentity", True),
    ],
)
def test_action_matching(action: Any, allowed: bool) -> None:
    assert decide(allow(Action=action)).allowed is allowed


def test_not_action() -> None:
    assert decide(allow(Action=None, NotAction="sts:AssumeRole")).allowed
    assert not decide(allow(Action=None, NotAction="sts:*")).allowed


def test_aws_account_principal_admits_roles_in_that_account() -> None:
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": "012345678901"},
        "Action": "sts:AssumeRole",
    }
    policy = parse_policy({"Version": "2012-10-17", "Statement": [statement]})
    role = "arn:aws:iam::012345678901:role/ci"
    assert evaluate(policy, Request(role, "sts:AssumeRole", {})).allowed
    assert not evaluate(
        policy, Request("arn:aws:iam::111111111111:role/ci", "sts:AssumeRole")
    ).allowed


@pytest.mark.parametrize(
    ("principal", "kind"),
    [
        (PROVIDER, "Federated"),
        ("arn:aws:iam::012345678901:role/x", "AWS"),
        ("012345678901", "AWS"),
        ("ec2.amazonaws.com", "Service"),
        ("accounts.google.com", "Federated"),
    ],
)
def test_principal_type(principal: str, kind: str) -> None:
    assert principal_type(principal) == kind


def test_github_request_prefixes_claims() -> None:
    request = github_request(PROVIDER, {"sub": MAIN, "amr": ["a", "b"]})
    assert request.action == "sts:AssumeRoleWithWebIdentity"
    assert request.context == {
        "token.actions.githubusercontent.com:sub": MAIN,
        "token.actions.githubusercontent.com:amr": ["a", "b"],
    }
    assert request.kind == "Federated"


def test_every_statement_and_condition_is_reported() -> None:
    decision = decide(allow(), allow(Sid="Tags", Condition={"StringLike": {
        "token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/tags/*",
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}))  # fmt: skip
    assert [s.statement.label for s in decision.statements] == ["Deploy", "Tags"]
    assert [c.held for c in decision.statements[1].conditions] == [False, True]
    assert decision.deciding_label == "Deploy"


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
    assert issuer_host(arn) == host


def test_an_enterprise_providers_keys_carry_its_path() -> None:
    request = github_request(PROVIDER + "/octo-ent", {"sub": "repo:o/r:ref:refs/heads/main"})
    assert request.context == {
        "token.actions.githubusercontent.com/octo-ent:sub": "repo:o/r:ref:refs/heads/main"
    }


def test_claim_names_are_case_sensitive() -> None:
    request = github_request(PROVIDER, {"Sub": "repo:evil/x:ref:refs/heads/main", "aud": "a"})
    assert request.context == {"token.actions.githubusercontent.com:aud": "a"}
