"""OC203: a trust policy that admits tokens from other repositories, or from every run of one.

Each ``sub`` value of each Allow statement is read as ``repo:OWNER/REPO:CONTEXT``: a wildcard
or policy variable before the ``:`` that ends REPO lets other repositories in (in OWNER, any
repository on GitHub; in REPO, such as ``repo:octo-org/*`` or ``repo:octo-org/app*``, other
repositories of the organisation), an error; a bare ``*`` context (``repo:octo-org/app:*``)
admits every branch, tag, environment and pull request of the repository, a warning. Then each
Allow statement that trusts GitHub's provider is probed as a whole with tokens from an unrelated
repository and from another repository of the same owner, for pushes to a branch and a tag, a
pull request, an environment, and the refs, environments and events the statement's own values
name: this catches statements with no ``sub`` condition, only negated ones, or conditions on
other claims (``environment``, ``ref_type``, ``Null``) that any repository can meet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from oidcify.check.context import Context
from oidcify.check.findings import Finding, RuleInfo

if TYPE_CHECKING:
    from oidcify.check.policies import TrustPolicy
    from oidcify.iam import Statement
    from oidcify.subjects import Repo, SubjectForm

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
# The literal start of a sub value that names one repository, in either subject form.
_PINNED = re.compile(r"repo:[^/:]+/[^/:]+:")
_OWNER = re.compile(r"repo:(?P<owner>[^/:]+)/")
_PARTS = re.compile(r"repo:(?P<owner>[^/:]*)(?:/(?P<repo>[^:]*))?")
PROBE_OWNER = "oidcify-probe-owner"
PROBE_REPO = "oidcify-probe-repo"


def breadth(value: str, *, like: bool = True, ignore_case: bool = False) -> tuple[str, str] | None:
    """(severity, what it admits) for a ``sub`` value, or None when it names one repository.

    Only the literal text before the first wildcard or policy variable is fixed: the rest is
    whatever a token brings, and anyone can create a repository (or an organisation) named to
    fit it. So a value pins one repository only when that literal text already holds the
    whole ``repo:OWNER/REPO:``; ``repo:octo-org/app*`` also admits ``octo-org/app-evil``."""
    from oidcify.check import patterns

    pattern = patterns.tokens(value, like=like, ignore_case=ignore_case)
    if patterns.is_exact(pattern):
        return None
    wild = next(i for i, t in enumerate(pattern) if t in (patterns.STAR, patterns.ANY))
    head = "".join(pattern[:wild])
    if pinned := _PINNED.match(head):
        if pattern[pinned.end() :] == (patterns.STAR,):
            named = value[5 : value.index(":", value.index("/"))]
            return "warning", (
                f"every branch, tag, environment and pull request of {named} "
                "(any workflow anyone with write access adds)"
            )
        return None
    parts = _PARTS.match(value)
    if (owner := _OWNER.match(head)) and parts:
        return (
            "error",
            f"every repository of {owner.group('owner')} matching {parts.group('repo')!r}",
        )
    if parts and parts.group("owner") and head != "repo:":
        return "error", f"repositories of any owner matching {parts.group('owner')!r}"
    return "error", "any repository on GitHub"


def _contexts(statement: Statement) -> list[tuple[str, str | None, str | None]]:
    """(event, ref, environment) of the runs to probe a statement with: the usual ones, and
    those its own values name, since a foreign repository can create any branch, tag or
    environment it likes."""
    from oidcify.check import patterns

    found = [("push", "refs/heads/main", None), ("push", "refs/tags/v1.0.0", None),
             ("pull_request", "refs/pull/1/merge", None),
             ("push", "refs/heads/main", "production")]  # fmt: skip
    for condition in statement.conditions:
        if condition.operator.negated:
            continue
        for raw in condition.values:
            value = patterns.instance(patterns.tokens(raw, like=True), fill="x")
            _, env_sep, env = value.partition(":environment:")
            _, ref_sep, ref = value.partition(":ref:")
            if condition.claim == "environment" or (condition.claim == "sub" and env_sep):
                found.append(("push", "refs/heads/main", env if env_sep else value))
            elif condition.claim == "ref" or (condition.claim == "sub" and ref_sep):
                found.append(("push", ref if ref_sep else value, None))
            elif condition.claim == "event_name" and re.fullmatch(r"[a-z_]+", value):
                found.append((value, "refs/heads/main", None))
    return [c for c in dict.fromkeys(found) if c[2] is None or c[2].strip()]


def _owners(statement: Statement, owner: str | None, owner_id: int | None) -> list[Probe]:
    """The owners whose other repositories to probe with: the checked repository's, and those
    the statement names (``repository_owner``, ``repository_owner_id``, the OWNER of a sub
    value): a statement that pins only the owner admits all of that owner's repositories."""
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
            elif condition.claim == "sub" and (match := _OWNER.match(value)):
                name, _, number = match.group("owner").partition("@")
                named.setdefault(name, set()).add(int(number) if number.isdigit() else None)
    from oidcify import subjects

    found = [Probe(subjects.Repo(PROBE_OWNER, PROBE_REPO, 1, 2), "any repository on GitHub")]
    for name, known in named.items():
        for number in sorted(known | ids, key=str) or [None]:
            repo = subjects.Repo(name, PROBE_REPO, number, 2 if number else None)
            found.append(Probe(repo, f"every repository of {name}"))
    return found


class Probe(NamedTuple):
    repo: Repo
    what: str


def _probe(
    policy: TrustPolicy, statement: Statement, owner: str | None, owner_id: int | None
) -> tuple[str, str] | None:
    """(what, an admitted sub) when the statement as a whole admits a token from a repository
    other than the checked one; decided by evaluating tokens of made-up repositories."""
    from oidcify import claims
    from oidcify.errors import InputError
    from oidcify.iam import Policy, evaluate, github_request

    alone = Policy(policy.policy.version, (statement,))
    provider = policy.provider_arn()
    auds = [v for _, c in alone.conditions() if c.claim == "aud" for v in c.values]
    audience = auds[0] if auds else claims.DEFAULT_AUDIENCE
    contexts = _contexts(statement)
    for repo, what in _owners(statement, owner, owner_id):
        forms: tuple[SubjectForm, ...] = ("legacy", "immutable") if repo.owner_id else ("legacy",)
        for (event, ref, environment), form in itertools.product(contexts, forms):
            run = claims.Run(repo, ref, environment, event, form, audience)
            try:
                token = claims.run_claims(run)
            except InputError:
                continue  # a value no real run could carry
            if evaluate(alone, github_request(provider, token)).allowed:
                return what, str(token["sub"])
    return None


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.policies:
        return
    from oidcify.check.policies import GITHUB_PROVIDER, sub_values

    owner = ctx.identity.repo.owner if ctx.identity else None
    owner_id = ctx.identity.repo.owner_id if ctx.identity else None
    for policy in ctx.policies:
        flagged: set[int] = set()
        for item in sub_values(policy):
            operator = item.condition.operator
            found = breadth(item.value, like=operator.like, ignore_case=operator.ignore_case)
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
            admits = _probe(policy, statement, owner, owner_id) if trusts_github else None
            if admits:
                place = policy.locator.statement(statement)
                yield INFO.at(place.path, place.line, f"{policy.label}: {statement.label} admits "
                              f"tokens from {admits[0]}: its conditions do not pin the "
                              f"repository (it admits sub {admits[1]!r})",
                              column=place.column)  # fmt: skip
