"""OC203 (``rules.broad_subject``) on trust policies of 200 condition values each, in the
shapes that cost it the most: values it must probe one by one, refs and environments mixed in
one statement, and a Deny that refuses every foreign run, so that no early answer cuts the
search short. Each policy is judged in-process, as ``oidcify check`` judges it (the policy
parsed beforehand); the slowest shape's median is the target: under 0.5 s.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from oidcify import subjects
from oidcify.check.policies import Locator, Place, TrustPolicy
from oidcify.iam import parse_policy
from oidcify.rules.broad_subject import foreign_runs

TARGETS = {"slowest_s": ("<", 0.5)}
PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
KEY = "token.actions.githubusercontent.com:"
OWN = subjects.Repo("octo-org", "app", 123, 456)
_REFS = [f"refs/heads/release-{i:03d}" for i in range(100)]
_ENVS = [f"env-{i:03d}" for i in range(100)]


def _statement(effect: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {"Effect": effect, "Principal": {"Federated": PROVIDER},
            "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition}  # fmt: skip


def _policies() -> dict[str, list[dict[str, Any]]]:
    any_repo = [f"repo:*:ref:{r}" for r in _REFS] + [f"repo:*:environment:{e}" for e in _ENVS]
    own = [f"repo:octo-org/app:ref:{r}" for r in _REFS]
    own += [f"repo:octo-org/app:environment:{e}" for e in _ENVS]
    only_own = _statement("Deny", {"StringNotEquals": {KEY + "repository": "octo-org/app"}})
    refs_and_envs = {KEY + "ref": _REFS, KEY + "environment": _ENVS}
    by_id = {"StringLike": {KEY + "sub": any_repo}, "StringEquals": {KEY + "repository_id": "456"}}
    # event_name is no key STS evaluates (a statement requiring it admits nothing): a workflow
    dispatch = {KEY + "workflow": "Deploy", KEY + "environment": _ENVS * 2}
    return {
        "subjects_of_this_repository": [_statement("Allow", {"StringEquals": {KEY + "sub": own}})],
        "any_repository_denied": [
            _statement("Allow", {"StringLike": {KEY + "sub": any_repo}}),
            only_own,
        ],
        "refs_and_environments_denied": [
            _statement("Allow", {"StringEquals": refs_and_envs}),
            only_own,
        ],
        "pinned_by_repository_id": [_statement("Allow", by_id)],
        "admitted": [_statement("Allow", {"StringEquals": dispatch})],
    }


def _seconds(policy: TrustPolicy, runs: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        found = len(foreign_runs(policy, OWN))
        times.append(time.perf_counter() - start)
    return statistics.median(times), found


def run(smoke: bool) -> dict[str, object]:
    runs = 1 if smoke else 7
    result: dict[str, object] = {"runs": runs}
    slowest = 0.0
    for name, statements in _policies().items():
        doc = {"Version": "2012-10-17", "Statement": statements}
        policy = TrustPolicy(name, parse_policy(json.dumps(doc)), Locator([], Place(name, 1)))
        seconds, found = _seconds(policy, runs)
        result[f"{name}_s"] = round(seconds, 3)
        result[f"{name}_admitting_statements"] = found
        slowest = max(slowest, seconds)
    result["slowest_s"] = round(slowest, 3)
    return result
