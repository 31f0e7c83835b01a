"""Probing one Allow statement of a trust policy with tokens of made-up repositories: does it
admit a token from a repository other than the checked one (OC203)?

The tokens are built as GitHub builds them (``oidcify.claims``) for pushes to a branch and a
tag, a pull request and an environment, plus the refs, environments and events the
statement's own values name; claims a token's owner controls and the statement tests
(``runner_environment``, ``actor``, ``job_workflow_ref`` ...) are filled from the statement's
own values, since a foreign repository can meet them. The repositories probed are an unrelated
one, and other repositories of the owners the statement or the check names.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, NamedTuple

from oidcify import claims, subjects
from oidcify.check import patterns
from oidcify.check.policies import SUB_OPERATORS
from oidcify.errors import InputError
from oidcify.iam import Policy, evaluate, github_request
from oidcify.rules.broad_subject import breadth

if TYPE_CHECKING:
    from oidcify.check.policies import TrustPolicy
    from oidcify.iam import Statement

PROBE_OWNER = "oidcify-probe-owner"
PROBE_REPO = "oidcify-probe-repo"
PROVIDER_HOST = "token.actions.githubusercontent.com"
MAX_OWNERS = 8
MAX_CONTEXTS = 96
# Claims the probe's run decides (or that name the repository): never filled from the policy.
_BUILT = frozenset({"sub", "aud", "iss", "repository", "repository_owner", "repository_id",
                    "repository_owner_id", "workflow_ref", "ref", "ref_type", "environment",
                    "event_name"})  # fmt: skip
_POSITIVE = ("StringEquals", "StringLike", "StringEqualsIgnoreCase", "Bool")


class Probe(NamedTuple):
    repo: subjects.Repo
    what: str


def host(provider_arn: str) -> str | None:
    """The issuer host of a GitHub provider ARN (with an enterprise's path), else None."""
    _, sep, rest = provider_arn.partition(":oidc-provider/")
    return rest if sep and re.fullmatch(rf"{re.escape(PROVIDER_HOST)}(/[\w.-]+)?", rest) else None


def _value(raw: str) -> str:
    return patterns.instance(patterns.tokens(raw, like=True), fill="x")


def _contexts(statement: Statement) -> list[tuple[str, str | None, str | None]]:
    """(event, ref, environment) of the runs to probe with: every combination of the usual
    events, refs and environments with those the statement's own values name, since a
    foreign repository can create any branch, tag or environment and run any event."""
    events, refs, envs = ["push", "pull_request"], ["refs/heads/main", "refs/tags/v1.0.0"], [
        None, "production"]  # fmt: skip
    for condition in statement.conditions:
        if condition.operator.negated:
            continue
        for raw in condition.values:
            value = _value(raw)
            _, env_sep, env = value.partition(":environment:")
            _, ref_sep, ref = value.partition(":ref:")
            if condition.claim == "environment" or (condition.claim == "sub" and env_sep):
                envs.append(env if env_sep else value)
            elif condition.claim == "ref" or (condition.claim == "sub" and ref_sep):
                refs.append(ref if ref_sep else value)
            elif condition.claim == "event_name" and re.fullmatch(r"[a-z_]+", value):
                events.append(value)
    found = []
    for event, ref, env in itertools.product(dict.fromkeys(events), dict.fromkeys(refs),
                                             dict.fromkeys(envs)):  # fmt: skip
        if env is not None and not env.strip():
            continue
        found.append((event, "refs/pull/1/merge" if event == "pull_request" else ref, env))
    return list(dict.fromkeys(found))[:MAX_CONTEXTS]


def _filled(statement: Statement) -> dict[str, str]:
    """Claims outside the run that the statement requires, with values that meet them."""
    found: dict[str, str] = {}
    for condition in statement.conditions:
        op = condition.operator
        if condition.claim in _BUILT or op.negated:
            continue
        if op.base == "Null":
            if condition.values == ("false",):
                found.setdefault(condition.claim, "x")
        elif op.base in _POSITIVE and condition.values:
            found[condition.claim] = _value(condition.values[0])
    return found


def _owners(statement: Statement, owner: str | None, owner_id: int | None) -> list[Probe]:
    """An unrelated owner, the checked repository's, and those the statement names."""
    named: dict[str, set[int | None]] = {owner: {owner_id}} if owner else {}
    ids: set[int | None] = set()
    for condition in statement.conditions:
        if condition.operator.negated:
            continue
        for value in condition.values:
            if condition.claim == "repository_owner":
                named.setdefault(value, set())
            elif condition.claim == "repository_owner_id" and value.isdigit():
                ids.add(int(value))
            elif condition.claim == "sub" and (match := re.match(r"repo:([^/:]+)/", value)):
                name, _, number = match.group(1).partition("@")
                named.setdefault(name, set()).add(int(number) if number.isdigit() else None)
    found = [Probe(subjects.Repo(PROBE_OWNER, PROBE_REPO, 1, 2), "any repository on GitHub")]
    for name, known in list(named.items())[:MAX_OWNERS]:
        for number in sorted(known | ids, key=str) or [None]:
            repo = subjects.Repo(name, PROBE_REPO, number, 2 if number else None)
            found.append(Probe(repo, f"every repository of {name}"))
    return found


def _pinned_by_sub(statement: Statement) -> bool:
    """Whether a plain positive ``sub`` test lists only subjects of named repositories: then
    no made-up repository's token can pass, and probing is wasted work."""
    for condition in statement.conditions:
        op = condition.operator
        if condition.claim == "sub" and op.base in SUB_OPERATORS and not op.qualifier \
                and not op.if_exists:  # fmt: skip
            values = condition.values
            if all(breadth(v, like=op.like, ignore_case=op.ignore_case) is None
                   and PROBE_REPO not in v for v in values):  # fmt: skip
                return True
    return False


def probe(
    policy: TrustPolicy, statement: Statement, owner: str | None, owner_id: int | None
) -> tuple[str, str] | None:
    """(what, an admitted sub) when the statement admits a token from another repository."""
    providers = [i for ids in statement.principals.values() for i in ids]
    issuers = [(i, h) for i in providers if (h := host(i))]
    if not issuers and "*" in providers:
        issuers = [(policy.provider_arn(), PROVIDER_HOST)]
    if not issuers or _pinned_by_sub(statement):
        return None
    alone = Policy(policy.policy.version, (statement,))
    auds = [v for _, c in alone.conditions() if c.claim == "aud" for v in c.values]
    audience = auds[0] if auds else claims.DEFAULT_AUDIENCE
    extra = _filled(statement)
    contexts = _contexts(statement)
    for repo, what in _owners(statement, owner, owner_id):
        forms: tuple[subjects.SubjectForm, ...] = (
            ("legacy", "immutable") if repo.owner_id else ("legacy",)
        )
        for (event, ref, environment), form in itertools.product(contexts, forms):
            try:
                token = claims.run_claims(claims.Run(repo, ref, environment, event, form, audience))
            except InputError:
                continue  # a value no real run could carry
            token = {**extra, **token}
            for provider, issuer in issuers:
                if evaluate(alone, github_request(provider, token, host=issuer)).allowed:
                    return what, str(token["sub"])
    return None
