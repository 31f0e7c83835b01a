"""OC203: a trust policy that admits tokens from other repositories, or from every run of one.

Each value an Allow statement compares a repository-naming claim with is judged on its own:
``sub`` is read as ``repo:OWNER/REPO:CONTEXT``, and a wildcard or policy variable before the
``:`` that ends REPO lets other repositories in (in OWNER, any repository on GitHub; in REPO,
such as ``repo:octo-org/*`` or ``repo:octo-org/app*``, other repositories of the owner), an
error; a bare ``*`` context (``repo:octo-org/app:*``) admits every branch, tag, environment
and pull request of the repository, a warning. ``repository``, ``repository_owner``, the ids
and ``workflow_ref`` are judged the same way. Then each Allow statement that trusts GitHub's
provider is probed as a whole (``check.probes``): that catches statements with no ``sub``
condition, only negated ones, or conditions on claims any repository can meet
(``environment``, ``ref_type``, ``Null``, ``runner_environment``, ``job_workflow_ref`` ...).
An owner's repositories sharing a reusable workflow (``job_workflow_ref``) is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from oidcify.check.context import Context
from oidcify.check.findings import Finding, RuleInfo

if TYPE_CHECKING:
    from oidcify.check.policies import TrustPolicy

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
# Claims that say which repository a token comes from, judged value by value.
IDENTITY_CLAIMS = ("sub", "repository", "repository_owner", "workflow_ref", "repository_id",
                   "repository_owner_id")  # fmt: skip


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
    head = patterns.fixed_prefix(pattern)
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


def claim_breadth(claim: str, value: str, *, like: bool, ignore_case: bool) -> str | None:
    """What a ``repository``, ``repository_owner``, ``workflow_ref`` or id value admits beyond
    one repository, or None. These claims name the token's own repository (``workflow_ref``
    as ``OWNER/REPO/.github/workflows/FILE@REF``), so a wildcard or policy variable before
    the repository's name ends lets other repositories in."""
    from oidcify.check import patterns

    pattern = patterns.tokens(value, like=like, ignore_case=ignore_case)
    if patterns.is_exact(pattern):
        return None
    head = patterns.fixed_prefix(pattern)
    if claim == "workflow_ref" and re.match(r"[^/]+/[^/]+/", head):
        return None
    owner, slash, _ = head.partition("/")
    if slash and claim in ("repository", "workflow_ref"):
        return f"every repository of {owner} matching {value!r}"
    return f"any repository on GitHub ({claim} matches {value!r})"


def _findings(policy: TrustPolicy) -> Iterator[tuple[int, str, str, str]]:
    """(statement index, value, severity, message) for each value that admits too much."""
    from oidcify.check.policies import SUB_OPERATORS

    for statement, condition in policy.policy.conditions("Allow"):
        op = condition.operator
        if op.base not in SUB_OPERATORS or condition.claim not in IDENTITY_CLAIMS:
            continue
        for value in condition.values:
            if condition.claim == "sub":
                found = breadth(value, like=op.like, ignore_case=op.ignore_case)
            else:
                what = claim_breadth(condition.claim, value, like=op.like,
                                     ignore_case=op.ignore_case)  # fmt: skip
                found = ("error", what) if what else None
            if found:
                message = (f"{policy.label}: {condition.claim} {value!r} ({statement.label}) "
                           f"admits {found[1]}")  # fmt: skip
                yield statement.index, value, found[0], message


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.policies:
        return
    from oidcify.check import probes

    owner = ctx.identity.repo.owner if ctx.identity else None
    owner_id = ctx.identity.repo.owner_id if ctx.identity else None
    for policy in ctx.policies:
        flagged: set[int] = set()
        for index, value, severity, message in _findings(policy):
            flagged.add(index)
            place = policy.locator.value(value)
            yield INFO.at(place.path, place.line, message, column=place.column,
                          severity="error" if severity == "error" else "warning")  # fmt: skip
        for statement in policy.policy.statements:
            if statement.effect != "Allow" or statement.index in flagged:
                continue
            admits = probes.probe(policy, statement, owner, owner_id)
            if not admits:
                continue
            place = policy.locator.statement(statement)
            message = (
                f"{policy.label}: {statement.label} admits tokens from {admits[0]}: its "
                f"conditions do not pin the repository (it admits sub {admits[1]!r})"
            )
            # One owner's repositories sharing a reusable workflow is a deliberate design.
            shared = admits[0] != "any repository on GitHub" and any(
                c.claim == "job_workflow_ref" and not c.operator.negated
                for c in statement.conditions
            )
            if shared:
                message += ("; through the reusable workflow its job_workflow_ref names, which "
                            "is intended only if all of them may deploy with it")  # fmt: skip
            yield INFO.at(place.path, place.line, message, column=place.column,
                          severity="warning" if shared else "error")  # fmt: skip


# For docs/rules.md: (what the rule reports, the fix, the code block's language).
EXAMPLE = (
    """\
"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/*"}
""",
    """\
"StringEquals": {
  "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"
}
""",
    "json",
)
