"""Property: on random trust policies, OC203 (``broad_subject.foreign_runs``) agrees with
the IAM evaluator on whether any foreign repository's token is admitted.

Policies are drawn from the names of a small world (owners octo-org, evil and stranger;
repositories app and lib; a few refs, environments, events and workflows), with every
operator OC203 meets. The evaluator is asked about every run of that world that is not the
checked repository, octo-org/app: when one gets in, OC203 must report one; and each run OC203
reports must be one the evaluator admits, of another repository.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oidcify import subjects
from oidcify.check.policies import Locator, Place, TrustPolicy
from oidcify.iam import admits, evaluate, github_request, github_token, parse_policy

PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
KEY = "token.actions.githubusercontent.com:"
OWN = subjects.Repo("octo-org", "app", 123, 456)
SHARED = "octo-org/shared/.github/workflows/deploy.yml@refs/heads/main"
OWNERS = {"octo-org": 123, "evil": 666, "stranger": 777}
OPERATORS = ("StringEquals", "StringLike", "StringNotEquals", "StringNotLike",
             "StringEqualsIgnoreCase", "StringEqualsIfExists", "StringLikeIfExists",
             "ForAnyValue:StringLike", "StringNotLikeIfExists")  # fmt: skip
VALUES: dict[str, tuple[str, ...]] = {
    "aud": ("sts.amazonaws.com", "sts.*", "other"),
    "repository": ("octo-org/app", "octo-org/*", "*/app", "*", "octo-org/app*", "evil/*"),
    "repository_owner": ("octo-org", "evil", "octo-*", "*"),
    "repository_id": ("456", "999", "4*"),
    "repository_owner_id": ("123", "666"),
    "ref": ("refs/heads/main", "refs/tags/*", "refs/heads/*"),
    "ref_type": ("branch", "tag"),
    "environment": ("prod", "staging", "pro*"),
    "event_name": ("push", "workflow_dispatch", "pull_request"),
    "job_workflow_ref": (SHARED, "octo-org/shared/*",
                         "octo-org/app/.github/workflows/deploy.yml@refs/heads/main"),
    "workflow_ref": ("octo-org/app/.github/workflows/deploy.yml@refs/heads/main",
                     "octo-org/*", "*/.github/workflows/deploy.yml@*"),
    "runner_environment": ("self-hosted", "github-hosted"),
}  # fmt: skip
_OWNER_PARTS = ("octo-org", "evil", "*", "octo-*", "octo-org@123", "*@123", "evil@666")
_NAME_PARTS = ("app", "app*", "*", "lib", "app@456", "*@456")
_CONTEXTS = ("ref:refs/heads/main", "ref:refs/tags/*", "environment:prod", "pull_request", "*")


@st.composite
def sub_values(draw: st.DrawFn) -> str:
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.sampled_from(("repo:*", "*", "repo:octo-org/*", "repo:octo-org/app:*")))
    owner, name = draw(st.sampled_from(_OWNER_PARTS)), draw(st.sampled_from(_NAME_PARTS))
    if "*" not in owner and "*" not in name:  # another repository named in full is intended
        owner, name = ("octo-org@123", "app@456") if "@" in owner + name else ("octo-org", "app")
    return f"repo:{owner}/{name}:{draw(st.sampled_from(_CONTEXTS))}"


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    block: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(0, 4))):
        claim = draw(st.sampled_from(("sub", "sub", *VALUES)))
        if draw(st.integers(0, 9)) == 0:
            block.setdefault("Null", {})[KEY + claim] = draw(st.sampled_from(("true", "false")))
            continue
        values = draw(st.lists(sub_values() if claim == "sub" else st.sampled_from(VALUES[claim]),
                               min_size=1, max_size=3, unique=True))  # fmt: skip
        block.setdefault(draw(st.sampled_from(OPERATORS)), {})[KEY + claim] = values
    return block


@st.composite
def policies(draw: st.DrawFn) -> TrustPolicy:
    statements = []
    for index in range(draw(st.integers(1, 3))):
        effect = "Allow" if index == 0 or draw(st.integers(0, 2)) else "Deny"
        statements.append({"Sid": f"S{index}", "Effect": effect,
                           "Principal": {"Federated": PROVIDER},
                           "Action": "sts:AssumeRoleWithWebIdentity",
                           "Condition": draw(conditions())})  # fmt: skip
    doc = {"Version": "2012-10-17", "Statement": statements}
    return TrustPolicy("policy.json", parse_policy(json.dumps(doc)), Locator([], Place("p", 1)))


def _world() -> list[github_token.Claims]:
    """Every token of a run of another repository than octo-org/app in the small world."""
    tokens = []
    numbers = itertools.count(1000)
    pairs = itertools.product(OWNERS.items(), ("app", "lib"))
    repos = [subjects.Repo(o, n, i, next(numbers)) for (o, i), n in pairs
             if (o, n) != ("octo-org", "app")]  # fmt: skip
    runs = [(e, r, env) for e in ("push", "workflow_dispatch") for r in
            ("refs/heads/main", "refs/tags/v1") for env in (None, "prod", "staging")]  # fmt: skip
    runs += [("pull_request", "refs/pull/1/merge", env) for env in (None, "prod", "staging")]
    for repo, (event, ref, env), form, called, runner in itertools.product(
        repos, runs, ("legacy", "immutable"), (None, SHARED), (None, "self-hosted")
    ):
        run = github_token.TokenRun(repo, ref, env, event, form,  # type: ignore[arg-type]
                                    workflow="deploy.yml", job_workflow_ref=called)  # fmt: skip
        token = github_token.run_claims(run)
        tokens.append({**token, **({"runner_environment": runner} if runner else {})})
    return tokens


WORLD = _world()


def _agrees(policy: TrustPolicy) -> None:
    from oidcify.rules.broad_subject import foreign_runs

    reported = foreign_runs(policy, OWN)
    for statement, run in reported:
        decision = evaluate(policy.policy, github_request(PROVIDER, run.token))
        assert decision.allowed, (statement.label, run.token, decision.summary)
        assert str(run.token["repository"]).lower() != "octo-org/app", run.token
    admitted = next((t for t in WORLD for s in policy.policy.statements if s.effect == "Allow"
                     and admits(policy.policy, s, github_request(PROVIDER, t))), None)  # fmt: skip
    if admitted is not None:
        assert reported, ("OC203 is silent, but this token gets in", admitted)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies())
def test_oc203_agrees_with_the_evaluator(policy: TrustPolicy) -> None:
    _agrees(policy)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies())
def test_oc203_agrees_with_the_evaluator_on_many_policies(policy: TrustPolicy) -> None:
    _agrees(policy)
