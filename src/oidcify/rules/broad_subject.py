"""OC203: a trust policy that admits tokens from other repositories, or from every run of one.

Whether a policy admits another repository is decided as IAM decides: each Allow statement
that trusts GitHub's provider is probed with the tokens foreign runs would present
(``check.probes``), and the whole policy is evaluated for each (keys and operators ANDed within
a statement, statements ORed, an explicit Deny winning). So a wildcard ``sub`` that another
key of the same statement pins (``repository``, ``repository_id``), or that a Deny narrows, is
not reported, while a statement with no ``sub`` condition, only negated ones, or conditions on
claims any repository can meet (``environment``, ``Null`` ...) is. Tokens are decided as STS
sees them (``oidcify.iam.sts_keys``): a condition on a claim STS does not evaluate
(``repository_owner``, ``event_name`` ...) finds no key, so a statement requiring one admits
nothing, and a negated one restricts nothing. The
finding names the foreign run that gets in and the statement (and value) that admits it. An
owner's repositories sharing a reusable workflow (``job_workflow_ref``) is a warning, and so is
a ``sub`` such as ``repo:octo-org/app:*`` that admits every run of the repository.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo

if TYPE_CHECKING:
    from oidcify import subjects
    from oidcify.check.policies import TrustPolicy
    from oidcify.check.probes import ForeignRun
    from oidcify.iam import Statement

INFO = RuleInfo(
    id="OC203",
    name="broad-subject",
    severity="error",
    summary="trust policy admits other repositories (or every run of one)",
    help="Name the repository and the refs or environments that deploy: "
    "`repo:OWNER/REPO:ref:refs/heads/main`, `repo:OWNER/REPO:environment:prod`, or pin it with "
    "`repository_id`. A wildcard in the owner or repository part lets any repository on GitHub "
    "(or in the organisation) assume the role; a missing sub condition does the same.",
    tags=("trust",),
)


def _every_run(policy: TrustPolicy) -> Iterator[Finding]:
    """Warnings for ``sub`` values that admit every run of one repository."""
    from oidcify.check.breadth import breadth
    from oidcify.check.policies import SUB_OPERATORS

    for statement, condition in policy.policy.conditions("Allow"):
        op = condition.operator
        if op.base not in SUB_OPERATORS or condition.claim != "sub":
            continue
        for value in condition.values:
            found = breadth(value, like=op.like, ignore_case=op.ignore_case)
            if found and found[0] == "warning":
                place = policy.locator.value(value)
                message = f"{policy.label}: sub {value!r} ({statement.label}) admits {found[1]}"
                yield INFO.at(place.path, place.line, message, column=place.column,
                              severity="warning")  # fmt: skip


def _admitting_value(statement: Statement, run: ForeignRun) -> tuple[str, str, str] | None:
    """(claim, value, what it admits) of the repository-naming value the foreign run's token
    meets, when that value on its own reads as admitting other repositories."""
    from oidcify.check.breadth import IDENTITY_CLAIMS, breadth, claim_breadth
    from oidcify.check.policies import SUB_OPERATORS
    from oidcify.iam import wildcards
    from oidcify.iam.sts_keys import evaluated

    def lookup(name: str) -> str | None:  # a policy variable: the foreign token's claim
        found = run.token.get(name.rpartition(":")[2].lower())
        return found if isinstance(found, str) else None

    for claim in filter(evaluated, IDENTITY_CLAIMS):  # STS never compares the others
        for condition in statement.conditions:
            op = condition.operator
            if condition.claim != claim or op.base not in SUB_OPERATORS:
                continue
            token = run.token.get(claim)
            for value in condition.values:
                try:
                    met = isinstance(token, str) and wildcards.matches(
                        value, token, like=op.like, ignore_case=op.ignore_case, lookup=lookup
                    )
                except wildcards.Unresolved:
                    met = False
                if not met:
                    continue
                if claim == "sub":
                    found = breadth(value, like=op.like, ignore_case=op.ignore_case)
                    what = found[1] if found and found[0] == "error" else None
                else:
                    what = claim_breadth(claim, value, like=op.like, ignore_case=op.ignore_case)
                if what:
                    return claim, value, what
    return None


def _finding(policy: TrustPolicy, statement: Statement, run: ForeignRun) -> Finding:
    gets_in = f"{run.described} gets in"
    value = _admitting_value(statement, run)
    if value:
        claim, text, what = value
        place = policy.locator.value(text)
        message = f"{policy.label}: {claim} {text!r} ({statement.label}) admits {what}: {gets_in}"
        return INFO.at(place.path, place.line, message, column=place.column)
    place = policy.locator.statement(statement)
    message = (
        f"{policy.label}: {statement.label} admits tokens from {run.what}: its conditions do "
        f"not pin the repository (it admits sub {run.token['sub']!r}); {gets_in}"
    )
    # One owner's repositories sharing a reusable workflow is a deliberate design.
    shared = run.what != "any repository on GitHub" and any(
        c.claim == "job_workflow_ref" and not c.operator.negated for c in statement.conditions
    )
    if shared:
        message += ("; through the reusable workflow its job_workflow_ref names, which "
                    "is intended only if all of them may deploy with it")  # fmt: skip
    return INFO.at(place.path, place.line, message, column=place.column,
                   severity="warning" if shared else "error")  # fmt: skip


def foreign_runs(
    policy: TrustPolicy, own: subjects.Repo | None, reusable: tuple[str, ...] = ()
) -> list[tuple[Statement, ForeignRun]]:
    """Each Allow statement of ``policy`` through which a foreign repository's run assumes
    the role (no Deny refusing it), with one such run; ``own`` is the checked repository and
    ``reusable`` the file names of its reusable workflows."""
    from oidcify.check import probes, vocabulary

    words = vocabulary.read(policy.policy)
    found = []
    for statement in policy.policy.statements:
        run = probes.foreign_run(policy, statement, own, words, reusable)
        if run is not None:
            found.append((statement, run))
    return found


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.policies:
        return
    own: subjects.Repo | None = ctx.identity.repo if ctx.identity else None
    reusable = tuple(dict.fromkeys(
        PurePosixPath(w.path).name for _, w, _ in ctx.workflows() if w.is_reusable
    ))  # fmt: skip
    for policy in ctx.policies:
        yield from _every_run(policy)
        for statement, run in foreign_runs(policy, own, reusable):
            yield _finding(policy, statement, run)


EXAMPLE = Example(
    bad="""\
"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/*"}
""",
    good="""\
"StringEquals": {
  "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"
}
""",
    lang="json",
)
