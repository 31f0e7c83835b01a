"""OC203: a trust policy that admits tokens from other repositories, or from every run of one.

Each ``sub`` value of each Allow statement (under StringLike-style operators) is read as
``repo:OWNER/REPO:CONTEXT``: a wildcard in OWNER (``*``, ``repo:*``) admits any repository on
GitHub, one in REPO (``repo:octo-org/*``) every repository of the organisation, both errors; a
bare ``*`` context (``repo:octo-org/app:*``) admits every branch, tag, environment and pull
request of the repository, a warning. Then each Allow statement that trusts GitHub's provider is
probed as a whole with a token from an unrelated repository and one from another repository of
the same owner, which catches a statement with no ``sub`` condition at all, or only negated ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from oidcify.check.context import Context
from oidcify.check.findings import Finding, RuleInfo

if TYPE_CHECKING:
    from oidcify.check.policies import TrustPolicy
    from oidcify.iam import Statement

INFO = RuleInfo(
    id="OC203",
    name="broad-subject",
    severity="error",
    summary="trust policy admits other repositories (or every run of one)",
    help="Name the repository and the refs or environments that deploy: "
    "`repo:OWNER/REPO:ref:refs/heads/main`, `repo:OWNER/REPO:environment:prod`. A wildcard in "
    "the owner or repository part lets any repository on GitHub (or in the organisation) assume "
    "the role; a missing sub condition does the same.",
    tags=("trust",),
)
_SUB = re.compile(r"repo:(?P<owner>[^/:]*)/(?P<repo>[^:]*)(?::(?P<rest>.*))?", re.DOTALL)
PROBE_OWNER = "oidcify-probe-owner"
PROBE_REPO = "oidcify-probe-repo"


def breadth(value: str, *, ignore_case: bool = False) -> tuple[str, str] | None:
    """(severity, what it admits) for a StringLike ``sub`` value, or None when narrow. Decided
    by intersecting the value with the subjects of a made-up repository (``patterns``)."""
    from oidcify.check import patterns

    pattern = patterns.tokens(value, like=True, ignore_case=ignore_case)
    probe = f"repo:{PROBE_OWNER}/{PROBE_REPO}:*"
    if patterns.witness(pattern, patterns.tokens(probe, like=True)) is not None:
        return "error", "any repository on GitHub"
    match = _SUB.fullmatch(value)
    if match is None:
        return None
    owner, repo, rest = match.group("owner"), match.group("repo"), match.group("rest")
    sibling = patterns.tokens(f"repo:{owner}/{PROBE_REPO}:*", like=True, ignore_case=ignore_case)
    if patterns.witness(pattern, sibling) is not None:
        return "error", f"every repository of {owner} matching {repo!r}"
    if rest == "*":
        return "warning", (f"every branch, tag, environment and pull request of {owner}/{repo}"
                           " (any workflow anyone with write access adds)")  # fmt: skip
    return None


def _probe(policy: TrustPolicy, statement: Statement, owner: str | None) -> str | None:
    """What a whole statement admits beyond one repository, by evaluating probe tokens."""
    from oidcify.iam import Policy, evaluate, github_request

    alone = Policy(policy.policy.version, (statement,))
    provider = policy.provider_arn()
    auds = [v for _, c in alone.conditions() if c.claim == "aud" for v in c.values] or [
        "sts.amazonaws.com"
    ]
    probes = [(PROBE_OWNER, "any repository on GitHub")]
    if owner:
        probes.append((owner, f"every repository of {owner}"))
    for probe_owner, what in probes:
        full = f"{probe_owner}/{PROBE_REPO}"
        claims: dict[str, str | list[str]] = {
            "sub": f"repo:{full}:ref:refs/heads/main", "aud": auds[0], "repository": full,
            "repository_owner": probe_owner, "event_name": "push", "ref": "refs/heads/main",
            "ref_type": "branch",
        }  # fmt: skip
        if evaluate(alone, github_request(provider, claims)).allowed:
            return what
    return None


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.policies:
        return
    from oidcify.check.policies import GITHUB_PROVIDER, sub_values

    owner = ctx.identity.repo.owner if ctx.identity else None
    for policy in ctx.policies:
        flagged: set[int] = set()
        for item in sub_values(policy):
            if not item.condition.operator.like:
                continue
            found = breadth(item.value, ignore_case=item.condition.operator.ignore_case)
            if found:
                severity, what = found
                flagged.add(item.statement.index)
                place = policy.locator.value(item.value)
                yield INFO.at(
                    place.path, place.line,
                    f"{policy.label}: sub {item.value!r} ({item.statement.label}) admits {what}",
                    column=place.column, severity="error" if severity == "error" else "warning",
                )  # fmt: skip
        for statement in policy.policy.statements:
            if statement.effect != "Allow" or statement.index in flagged:
                continue
            trusts_github = any(
                i == "*" or i.endswith(GITHUB_PROVIDER)
                for ids in (statement.principals or {}).values()
                for i in ids
            )
            admits = _probe(policy, statement, owner) if trusts_github else None
            if admits:
                place = policy.locator.statement(statement)
                yield INFO.at(place.path, place.line, f"{policy.label}: {statement.label} admits "
                              f"tokens from {admits}: its sub conditions do not pin the "
                              "repository", column=place.column)  # fmt: skip
