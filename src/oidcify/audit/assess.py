"""One audit over accounts already read: pick the GitHub-trusting roles, judge their trust
policies (``judge``), join them with workflows (``joined``), apply the account-wide rules
(``account_rules``), and collect everything into an ``AuditReport``."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from oidcify.audit import judge, repo_scope
from oidcify.audit.account_rules import account_rules
from oidcify.audit.iam_roles import Account
from oidcify.audit.judge import AuditScope, JudgedRole
from oidcify.check.findings import Finding, RuleInfo
from oidcify.errors import InputError


class AuditOptions(NamedTuple):
    unused_days: int = 90
    workflows: tuple[str, ...] = ()  # --workflows DIR ...
    cwd: Path | None = None
    repos: tuple[str, ...] = ()  # --repo OWNER/REPO ...: the question is theirs (repo_scope)


class AuditReport:  # a plain class, as check's Report
    """What an audit found, and what the output needs to describe it."""

    def __init__(
        self, scope: AuditScope, findings: list[Finding], rules: dict[str, RuleInfo]
    ) -> None:
        self.scope = scope
        self.findings = findings
        self.rules = rules  # every rule the audit ran
        self.notes = list(dict.fromkeys(scope.notes))
        self.unreachable = scope.unreachable

    @property
    def errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def role_count(self) -> int:
        return self.scope.roles()

    def github_count(self) -> int:
        return len(self.scope.judged)


def _judged(accounts: list[Account], notes: list[str]) -> list[JudgedRole]:
    found: list[JudgedRole] = []
    for account in accounts:
        for role in account.roles:
            if not role.trusts_github():
                continue
            try:
                found.append(JudgedRole(role, judge.trust_policy(role)))
            except InputError as err:
                notes.append(f"{err}; this trust policy is not judged")
    return found


def assess(
    accounts: list[Account], options: AuditOptions, unreachable: list[str] | None = None
) -> AuditReport:
    scope = AuditScope(accounts, unused_days=options.unused_days, unreachable=unreachable or [],
                       repos=options.repos)  # fmt: skip
    given = repo_scope.identities(options.repos) if options.repos else []
    scope.judged = _judged(accounts, scope.notes)
    findings: list[Finding] = []
    rules = repo_scope.rule_infos() if given else judge.rule_infos()
    if options.workflows:
        from oidcify.audit import joined
        from oidcify.rules import all_rules

        findings += joined.join(scope, list(options.workflows), options.cwd or Path.cwd())
        rules |= {r.INFO.id: r.INFO for r in all_rules() if r.INFO.id in judge.COVERAGE_RULES}
    if given:  # roles the workflows reference are judged against them instead
        skip = {arn.lower() for arn in scope.references or {}}
        findings += repo_scope.judge_scoped(scope.judged, given, scope.notes, skip)
    else:
        findings += judge.judge([j.policy for j in scope.judged])
    for rule in account_rules():
        rules[rule.INFO.id] = rule.INFO
        findings += rule.check(scope)
    unique = {(f.path, f.line, f.column, f.rule, f.message): f for f in reversed(findings)}
    return AuditReport(scope, [unique[key] for key in sorted(unique)], rules)
