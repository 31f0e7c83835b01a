"""OC3xx: what only an account-wide view shows, beyond one trust policy (``oidcify audit``).

- OC301 ``legacy-only-trust``: a role admits a repository only by its legacy subject
  (``repo:OWNER/REPO:...``) while the repository's numeric ids are known (a ``--workflows``
  checkout's ``.copier-answers.yml``). When the repository moves to immutable subjects
  (``repo:OWNER@ID/REPO@ID:...``) its tokens no longer match and its deploys break.
- OC302 ``admin-untrusted-runs``: ``pull_request`` or a wildcard-branch subject on a role that
  can do anything (``AdministratorAccess`` attached, or an inline ``"Action": "*"``). Code
  nobody reviewed yet then runs with the account's keys.
- OC303 ``unused-role``: a GitHub-trusting role not used for more than ``--unused-days`` days
  (``RoleLastUsed``; never used and created before that). A role nobody assumes is only risk.
- OC304 ``duplicate-oidc-provider``: one account has more than one OIDC provider for the same
  GitHub issuer (URLs that differ only in case or a trailing ``/``), which splits the roles'
  trust between providers and makes ``aud``/thumbprint changes miss one of them. Only where
  the source lists providers (live, or ``list-open-id-connect-providers`` output).
- OC305 ``unreferenced-role`` and OC306 ``unknown-role`` (with ``--workflows``): a role no
  workflow names in ``role-to-assume``, and a ``role-to-assume`` ARN that is not among the
  audited roles (deleted, renamed, or in an account not audited).
- OC307 ``several-repositories`` (without ``--repo`` and ``--workflows``): a role whose Allow
  statements admit more than one of the repositories they name (``admitted_repos``), such as
  ``repo:octo-org/app:...`` and ``repo:octo-org/other:...``. Roles OC203 reports as admitting
  any repository, or a whole owner, get no second finding.

``account_rules()`` returns the rule objects (``INFO`` and ``check(scope)``), for the rule
reference as for the audit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

from oidcify.audit.iam_roles import account_of
from oidcify.audit.judge import AuditScope
from oidcify.check.findings import Finding, RuleInfo
from oidcify.check.policies import sub_values


class AccountRule:
    """A rule over the whole audit: ``INFO`` as every rule has, ``check(scope)``."""

    def __init__(self, info: RuleInfo, check: Callable[[AuditScope], Iterator[Finding]]) -> None:
        self.INFO = info
        self.check = check
        self.__doc__ = info.summary  # the rule reference's description of this rule


def _legacy_only(scope: AuditScope) -> Iterator[Finding]:
    for judged in scope.github_roles():
        values = [v.value for v in sub_values(judged.policy)]
        for repo in scope.known_ids:
            legacy = f"repo:{repo.owner}/{repo.name}:".lower()
            immutable = repo.prefix("immutable").lower() + ":"
            named = [v for v in values if v.lower().startswith(legacy)]
            if named and not any(v.lower().startswith(immutable) for v in values):
                place = judged.policy.locator.value(named[0])
                yield LEGACY_ONLY.at(place.path, place.line, f"{judged.policy.label} admits "
                                     f"{repo.full_name} only by legacy subjects ({named[0]!r}); "
                                     f"add {immutable}... before the repository moves to "
                                     "immutable subjects", column=place.column)  # fmt: skip


_CONTEXT = re.compile(r"repo:[^:]*:(?P<context>.*)", re.DOTALL)


def _untrusted(value: str) -> bool:
    """A ``sub`` value admitting pull requests or any branch."""
    match = _CONTEXT.match(value)
    context = match.group("context") if match else "*"
    if context == "pull_request":
        return True
    wild = "*" in context or "?" in context
    return wild and not context.startswith(("environment:", "ref:refs/tags/"))


def _admin(scope: AuditScope) -> Iterator[Finding]:
    for judged in scope.github_roles():
        if not judged.role.is_admin():
            continue
        for item in sub_values(judged.policy):
            if _untrusted(item.value):
                place = judged.policy.locator.value(item.value)
                yield ADMIN.at(place.path, place.line, f"{judged.policy.label} has administrator "
                               f"access and admits sub {item.value!r}: pull requests or any "
                               "branch can run as the account's administrator",
                               column=place.column)  # fmt: skip


def _unused(scope: AuditScope) -> Iterator[Finding]:
    limit = scope.now - timedelta(days=scope.unused_days)
    for judged in scope.github_roles():
        role = judged.role
        if (used := role.last_used) is not None:
            if used < limit:
                yield UNUSED.at(role.arn, 0, f"{judged.policy.label} was last used "
                                f"{(scope.now - used).days} days ago "
                                f"(--unused-days {scope.unused_days})")  # fmt: skip
        elif (made := role.created) is not None and made < limit:
            yield UNUSED.at(role.arn, 0, f"{judged.policy.label} was never used since it "
                            f"was created {(scope.now - made).days} days ago")  # fmt: skip


def issuer_of(provider_arn: str) -> str | None:
    """The GitHub issuer a provider ARN is for, normalised; None for other providers."""
    _, _, url = provider_arn.partition(":oidc-provider/")
    url = url.lower().rstrip("/")
    return url if url.startswith("token.actions.githubusercontent.com") else None


def _duplicates(scope: AuditScope) -> Iterator[Finding]:
    for account in scope.accounts:
        by_issuer: dict[str, list[str]] = {}
        for arn in account.providers or []:
            if (issuer := issuer_of(arn)) is not None:
                by_issuer.setdefault(issuer, []).append(arn)
        for issuer, arns in sorted(by_issuer.items()):
            if len(arns) > 1:
                yield DUPLICATE.at(arns[0], 0, f"account {account.account_id} has "
                                   f"{len(arns)} OIDC providers for https://{issuer}: "
                                   f"{', '.join(arns)}")  # fmt: skip


def _unreferenced(scope: AuditScope) -> Iterator[Finding]:
    if scope.references is None:
        return
    named = {arn.lower() for arn in scope.references}
    for judged in scope.github_roles():
        if judged.role.arn.lower() not in named:
            yield UNREFERENCED.at(judged.role.arn, 0, f"{judged.policy.label} is named in no "
                                  "role-to-assume of the workflows given")  # fmt: skip


def _unknown(scope: AuditScope) -> Iterator[Finding]:
    if scope.references is None:
        return
    known = {role.arn.lower() for account in scope.accounts for role in account.roles}
    audited = {account.account_id for account in scope.accounts}
    for arn, places in sorted(scope.references.items()):
        if arn.lower() in known:
            continue
        account = account_of(arn)
        why = "does not exist in account" if account in audited else "is in an account not audited:"
        for path, line, column in places:
            yield UNKNOWN.at(path, line, f"role-to-assume {arn} {why} {account}",
                             column=column)  # fmt: skip


def _several(scope: AuditScope) -> Iterator[Finding]:
    if scope.repos or scope.references is not None:
        return  # the question is then whether the role admits a repository not given
    from oidcify.audit.admitted_repos import admitted, may_admit_several
    from oidcify.rules.broad_subject import foreign_runs

    for judged in scope.github_roles():
        policy = judged.policy
        found = admitted(policy) if may_admit_several(policy) else []
        if len(found) < 2 or foreign_runs(policy, None):
            continue
        listed = ", ".join(f"{r.label} ({', '.join(s.label for s in r.statements)})"
                           for r in found)  # fmt: skip
        place = policy.locator.statement(found[0].statements[0])
        yield SEVERAL.at(place.path, place.line, f"{policy.label} admits {len(found)} "
                         f"repositories: {listed}; a role per repository keeps one "
                         "repository's runs out of another's deploys",
                         column=place.column)  # fmt: skip


LEGACY_ONLY = RuleInfo(
    id="OC301", name="legacy-only-trust", severity="warning",
    summary="role admits a repository only by legacy subjects, whose ids are known",
    help="Bad: `repo:octo-org/app:ref:refs/heads/main` alone. Good: also "
    "`repo:octo-org@1234/app@5678:ref:refs/heads/main` (the immutable form, ids from the "
    "answers file), so the role keeps working when the repository moves to immutable subjects.",
    tags=("trust", "audit"),
)  # fmt: skip
ADMIN = RuleInfo(
    id="OC302", name="admin-untrusted-runs", severity="error",
    summary="pull requests or any branch may assume a role with administrator access",
    help="Bad: `repo:octo-org/app:pull_request` or `repo:octo-org/app:ref:refs/heads/*` on a "
    "role with AdministratorAccess (or an inline Action \"*\"). Good: only the protected "
    "branch or environment that deploys (`repo:octo-org/app:environment:prod`), and a policy "
    "with the actions the deploy needs.",
    tags=("trust", "audit"),
)  # fmt: skip
UNUSED = RuleInfo(
    id="OC303", name="unused-role", severity="warning",
    summary="GitHub-trusting role not used for longer than --unused-days",
    help="IAM's RoleLastUsed says nobody assumed the role for that long (never, for a role "
    "created before then). Bad: a deploy role left behind by a renamed repository. Good: "
    "delete it (or its trust in GitHub); `--unused-days N` sets the limit (default 90).",
    tags=("audit",),
)  # fmt: skip
DUPLICATE = RuleInfo(
    id="OC304", name="duplicate-oidc-provider", severity="warning",
    summary="more than one OIDC provider for the same GitHub issuer in an account",
    help="Bad: providers for `https://token.actions.githubusercontent.com` and "
    "`https://token.actions.githubusercontent.com/` side by side. Good: one provider per "
    "issuer, which every role trusts; delete the other once no role names it.",
    tags=("audit",),
)  # fmt: skip
UNREFERENCED = RuleInfo(
    id="OC305", name="unreferenced-role", severity="warning",
    summary="GitHub-trusting role no given workflow names in role-to-assume",
    help="With --workflows: no workflow of the checkouts assumes the role. Bad: a role left "
    "from a migration. Good: delete it, or add the checkout that uses it to --workflows.",
    tags=("audit",),
)  # fmt: skip
UNKNOWN = RuleInfo(
    id="OC306", name="unknown-role", severity="warning",
    summary="a workflow's role-to-assume is not among the audited roles",
    help="With --workflows: the ARN a workflow assumes does not exist in the audited "
    "accounts (deleted or renamed: the job fails), or its account was not audited. Bad: "
    "`role-to-assume: arn:aws:iam::111122223333:role/old-name`. Good: the role's current "
    "ARN, and every account the workflows deploy to in --accounts or --from.",
    tags=("audit",),
)  # fmt: skip
SEVERAL = RuleInfo(
    id="OC307", name="several-repositories", severity="warning",
    summary="role admits more than one repository (without --repo or --workflows)",
    help="A role shared by repositories lets each deploy as the others. Bad: `sub` "
    "`[\"repo:octo-org/app:ref:refs/heads/main\", \"repo:octo-org/other:ref:refs/heads/main\"]` "
    "(or two statements, or two `repository_id` values). Good: one role per repository, "
    "`repo:octo-org/app:ref:refs/heads/main` alone. A shared deploy role can be deliberate: "
    "`--repo octo-org/app --repo octo-org/other` then says both are meant.",
    tags=("trust", "audit"),
)  # fmt: skip

_RULES = (
    AccountRule(LEGACY_ONLY, _legacy_only), AccountRule(ADMIN, _admin),
    AccountRule(UNUSED, _unused), AccountRule(DUPLICATE, _duplicates),
    AccountRule(UNREFERENCED, _unreferenced), AccountRule(UNKNOWN, _unknown),
    AccountRule(SEVERAL, _several),
)  # fmt: skip


def account_rules() -> tuple[AccountRule, ...]:
    """The OC3xx rules, ordered by id."""
    return _RULES
