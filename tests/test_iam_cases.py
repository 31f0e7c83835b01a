"""The table of policy-and-token cases in fixtures/iam-cases/, discovered automatically.

Each ``<group>.json`` holds a ``policy`` (or a ``policy_file`` under ``policies/``, for texts JSON
cannot hold, like duplicate keys) and ``cases``. A case gives the token as ``claims`` or as a
``run`` to build claims from (optionally with the ``sub`` GitHub would issue), an optional
``principal`` / ``action``, and the decision a reading of the IAM docs gives: ``expect``
(ALLOW, DENY or ERROR), ``deciding`` (the statement), ``failing`` (the claims whose conditions
refuse an implicit deny), ``error`` (part of the message) and ``why``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oidcify import names, subjects
from oidcify.errors import InputError
from oidcify.iam import evaluate, github_request, github_token, parse_policy

CASES = Path(__file__).parent / "fixtures" / "iam-cases"
PROVIDER = "arn:aws:iam::012345678901:oidc-provider/token.actions.githubusercontent.com"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.json")):
        group = json.loads(path.read_text(encoding="utf-8"))
        found += [pytest.param(group, case, id=f"{path.stem}: {case['name']}")
                  for case in group["cases"]]  # fmt: skip
    return found


ALL = _cases()


def _policy_text(group: dict[str, Any], case: dict[str, Any]) -> str:
    policy_file = case.get("policy_file") or group.get("policy_file")
    if policy_file:
        return (CASES / policy_file).read_text(encoding="utf-8")
    return json.dumps(case.get("policy") or group["policy"])


def _claims(case: dict[str, Any]) -> github_token.Claims:
    if "claims" in case:
        return dict(case["claims"])
    spec = dict(case["run"])
    owner, name = names.parse_repository(spec.pop("repo"))
    ids = spec.pop("owner_id", None), spec.pop("repo_id", None)
    repo = subjects.Repo(owner, name, *ids)
    form: subjects.SubjectForm = "immutable" if ids[0] else "legacy"
    built = github_token.run_claims(github_token.TokenRun(repo, form=form, **spec))
    if "sub" in case:
        assert built["sub"] == case["sub"]
    return built


def test_table_is_large_and_explained() -> None:
    assert len(ALL) >= 60
    for param in ALL:
        _group, case = param.values
        assert case["expect"] in ("ALLOW", "DENY", "ERROR"), param.id
        assert case.get("why"), param.id


@pytest.mark.parametrize(("group", "case"), ALL)
def test_case(group: dict[str, Any], case: dict[str, Any]) -> None:
    text = _policy_text(group, case)
    if case["expect"] == "ERROR":
        with pytest.raises(InputError) as exc:
            parse_policy(text, origin="trust.json")
        assert case["error"] in exc.value.message
        return
    policy = parse_policy(text)
    request = github_request(case.get("principal", PROVIDER), _claims(case))
    if "action" in case:
        request = type(request)(request.principal, case["action"], request.context, "Federated")
    decision = evaluate(policy, request)
    assert ("ALLOW" if decision.allowed else "DENY") == case["expect"], case["why"]
    if "deciding" in case:
        assert decision.deciding_label == case["deciding"]
    if "failing" in case:
        assert {c.condition.claim for _, c in decision.refusals()} == set(case["failing"])
