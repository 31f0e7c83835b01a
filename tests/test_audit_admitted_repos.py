"""Which of the repositories a trust policy names it admits, decided by IAM's rules: whole
statements, a Deny winning, negated conditions admitting nothing, ids pinning names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from audit_helpers import HOST, detail, github_trust, provider, tight
from oidcify.audit.admitted_repos import admitted, may_admit_several
from oidcify.audit.iam_roles import IamRole
from oidcify.audit.judge import trust_policy

MAIN = "ref:refs/heads/main"


def _labels(trust: dict[str, Any]) -> list[str]:
    role = IamRole(detail("r", trust)["Arn"], "r", trust)
    return [repo.label for repo in admitted(trust_policy(role))]


def _statement(sub: str, effect: str = "Allow", sid: str | None = None) -> dict[str, Any]:
    operator = "StringLike" if "*" in sub else "StringEquals"
    found: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"Federated": provider()},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {operator: {f"{HOST}:sub": sub}},
    }
    return {**found, "Sid": sid} if sid else found


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


@pytest.mark.parametrize(
    ("trust", "expected"),
    [
        (tight(), ["octo-org/app"]),
        (tight([f"repo:octo-org/Zeta:{MAIN}", f"repo:octo-org/app:{MAIN}"]),
         ["octo-org/app", "octo-org/Zeta"]),
        (_policy(_statement(f"repo:octo-org/b:{MAIN}"), _statement("repo:octo-org/a:pull_request")),
         ["octo-org/a", "octo-org/b"]),
        # the same repository in both subject forms, or twice in other case, is one
        (tight([f"repo:octo-org/app:{MAIN}", f"repo:octo-org@1/app@2:{MAIN}",
                f"repo:Octo-Org/App:{MAIN}"]), ["octo-org/app"]),
        # a Deny that refuses every run of one of them
        (_policy(_statement(f"repo:octo-org/*:{MAIN}", sid="Both"),
                 _statement("repo:octo-org/other:*", "Deny")), []),
        (_policy(_statement(f"repo:octo-org/app:{MAIN}"), _statement(f"repo:octo-org/b:{MAIN}"),
                 _statement("repo:octo-org/b:*", "Deny")), ["octo-org/app"]),
        # a Deny that refuses only some of its runs leaves it admitted
        (_policy(_statement("repo:octo-org/app:*"), _statement("repo:octo-org/b:*"),
                 _statement("repo:octo-org/b:pull_request", "Deny")),
         ["octo-org/app", "octo-org/b"]),
        # named only in a negated condition
        (github_trust(("StringEquals", "sub", f"repo:octo-org/app:{MAIN}"),
                      ("StringNotEquals", "repository", "octo-org/other")), ["octo-org/app"]),
        # a repository value the sub of the same statement contradicts
        (github_trust(("StringEquals", "sub", f"repo:octo-org/app:{MAIN}"),
                      ("StringEquals", "repository", ["octo-org/app", "octo-org/b"])),
         ["octo-org/app"]),
        (github_trust(("StringLike", "sub", "repo:octo-org/*"),
                      ("StringEquals", "repository", ["octo-org/app", "octo-org/b"])),
         ["octo-org/app", "octo-org/b"]),
    ],
)  # fmt: skip
def test_named_repositories_admitted(trust: dict[str, Any], expected: list[str]) -> None:
    assert _labels(trust) == expected


def test_repository_ids_count_once_each() -> None:
    by_id = github_trust(("StringLike", "sub", "repo:octo-org/*"),
                         ("StringEquals", "repository_id", ["123", "45"]))  # fmt: skip
    assert _labels(by_id) == ["repository id 123", "repository id 45"]
    # two names pinned to one id: a renamed repository, one repository
    renamed = github_trust(
        ("StringEquals", "sub", [f"repo:octo-org/old:{MAIN}", f"repo:octo-org/new:{MAIN}"]),
        ("StringEquals", "repository_id", "123"),
    )
    assert _labels(renamed) == ["octo-org/old (id 123)"]  # the first name written


def test_statements_are_kept_per_repository() -> None:
    trust = _policy(_statement(f"repo:octo-org/app:{MAIN}", sid="App"),
                    _statement("repo:octo-org/app:environment:prod", sid="AppProd"),
                    _statement(f"repo:octo-org/b:{MAIN}", sid="B"))  # fmt: skip
    role = IamRole(detail("r", trust)["Arn"], "r", trust)
    found = {r.label: [s.label for s in r.statements] for r in admitted(trust_policy(role))}
    assert found == {"octo-org/app": ["App", "AppProd"], "octo-org/b": ["B"]}


def test_other_provider_admits_nothing() -> None:
    trust = tight([f"repo:octo-org/app:{MAIN}", f"repo:octo-org/b:{MAIN}"])
    trust["Statement"][0]["Principal"] = {"Federated": "arn:aws:iam::1:oidc-provider/gitlab.com"}
    role = IamRole(detail("r", trust)["Arn"], "r", trust)
    assert admitted(trust_policy(role)) == []


@pytest.mark.parametrize(
    ("trust", "several"),
    [
        (tight(), False),
        (tight([f"repo:octo-org/app:{MAIN}", f"repo:Octo-Org/App:{MAIN}",
                f"repo:octo-org@1/app@2:{MAIN}"]), False),
        (github_trust(("StringEquals", "sub", f"repo:octo-org/app:{MAIN}"),
                      ("StringNotEquals", "repository", "octo-org/other")), False),
        (tight([f"repo:octo-org/app:{MAIN}", f"repo:octo-org/b:{MAIN}"]), True),
        (github_trust(("StringEquals", "sub", f"repo:octo-org/app:{MAIN}"),
                      ("StringEquals", "repository_id", "12")), True),
        (github_trust(("StringEquals", "workflow_ref",
                       ["a/b/.github/workflows/d.yml@refs/heads/main",
                        "a/c/.github/workflows/d.yml@refs/heads/main"])), True),
    ],
)  # fmt: skip
def test_quick_test_before_probing(trust: dict[str, Any], several: bool) -> None:
    role = IamRole(detail("r", trust)["Arn"], "r", trust)
    assert may_admit_several(trust_policy(role)) is several


def test_claims_outside_the_run() -> None:
    subs = [f"repo:octo-org/app:{MAIN}", f"repo:octo-org/b:{MAIN}"]
    # a run of either repository, started by the actor the statement names
    by_actor = github_trust(("StringEquals", "sub", subs), ("StringEquals", "actor", "deployer"))
    assert _labels(by_actor) == ["octo-org/app", "octo-org/b"]
    # a Deny on the actor leaves runs started by others
    denied = json.loads(json.dumps(by_actor))
    denied["Statement"][0]["Condition"].pop("StringEquals")
    denied["Statement"][0]["Condition"]["StringEquals"] = {f"{HOST}:sub": subs}
    deny = _statement("repo:octo-org/b:*", "Deny")
    deny["Condition"]["StringNotEquals"] = {f"{HOST}:actor": "release-bot"}
    denied["Statement"].append(deny)
    assert _labels(denied) == ["octo-org/app", "octo-org/b"]  # release-bot's runs of b get in
    # a statement no value of a claim can meet admits nothing
    never = github_trust(("StringEquals", "sub", subs), ("StringLike", "actor", "a*"),
                         ("StringNotLike", "actor", "a*"))  # fmt: skip
    assert _labels(never) == []


def test_enterprise_issuer_and_custom_audience() -> None:
    host = f"{HOST}/octo-enterprise"
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": provider(issuer=host)},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            f"{host}:aud": "https://github.com/octo-org",
            f"{host}:sub": [f"repo:octo-org/app:{MAIN}", f"repo:octo-org/b:{MAIN}"],
        }},
    }]}  # fmt: skip
    assert _labels(trust) == ["octo-org/app", "octo-org/b"]
