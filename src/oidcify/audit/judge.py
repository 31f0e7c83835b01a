"""Judge roles' trust policies with ``check``'s own trust rules (OC2xx), through the rules'
public ``check(ctx)`` interface: each role becomes a ``TrustPolicy`` whose findings are located
in the role's trust policy as IAM returns it, pretty-printed (path: the role's ARN; line: the
line of that JSON where the value is written).

Without workflows the question is OC203's: does the role admit more than one repository (any
repository, a whole owner, a name-prefix wildcard, no ``sub``, negated-only conditions) -- and
the siblings' (``ForAllValues:``, a missing ``aud``, wildcards under ``StringEquals``); a role
that admits two repositories it names exactly is the account-wide rule OC307's.

``AuditScope`` is what one audit judges: the accounts read, their GitHub-trusting roles with the
trust policy ``check`` judges (``JudgedRole``), and what the account-wide rules
(``account_rules``) and the join with workflows (``joined``) need besides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from oidcify.audit.iam_roles import Account, IamRole
from oidcify.check.context import Context
from oidcify.check.findings import Finding, RuleInfo
from oidcify.check.options import Options
from oidcify.check.policies import Locator, Place, TrustPolicy
from oidcify.iam import parse_policy
from oidcify.rules import Rule, all_rules
from oidcify.subjects import Repo

# A workflow's place: (display path, line, column).
WorkflowPlace = tuple[str, int, int]


@dataclass
class JudgedRole:
    role: IamRole
    policy: TrustPolicy


@dataclass
class AuditScope:
    accounts: list[Account]
    judged: list[JudgedRole] = field(default_factory=list)
    unused_days: int = 90
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    known_ids: list[Repo] = field(default_factory=list)  # repositories whose ids are known
    # role-to-assume ARN -> where workflows name it; None without --workflows
    references: dict[str, list[WorkflowPlace]] | None = None
    repos: tuple[str, ...] = ()  # --repo: the repositories the question is about
    notes: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # "account: why", from the fan-out

    def github_roles(self) -> list[JudgedRole]:
        return self.judged

    def roles(self) -> int:
        return sum(len(account.roles) for account in self.accounts)


# Coverage rules: they need workflows, and run in ``joined`` when --workflows is given.
COVERAGE_RULES = ("OC201", "OC202")


def trust_rules() -> list[Rule]:
    """The OC2xx rules that judge a trust policy on its own."""
    return [r for r in all_rules()
            if r.INFO.id.startswith("OC2") and r.INFO.id not in COVERAGE_RULES]  # fmt: skip


def policy_text(role: IamRole) -> str:
    """The trust policy as the findings' lines count it."""
    return json.dumps(role.trust, indent=2)


def trust_policy(role: IamRole) -> TrustPolicy:
    """The role's trust policy as ``check`` judges it; an InputError names the role and the
    part of IAM's document oidcify cannot read."""
    return TrustPolicy(
        label=f"role {role.name}",
        policy=parse_policy(role.trust, origin=role.arn),
        locator=Locator([(role.arn, policy_text(role))], Place(role.arn, 1)),
        role_arn=role.arn,
    )


def judge(policies: list[TrustPolicy], rules: Iterable[Rule] | None = None) -> list[Finding]:
    """What the trust rules find in ``policies`` (judged together: one pass of each rule)."""
    ctx = Context(Options(), [], [])
    ctx.policies = policies
    return [finding for rule in rules or trust_rules() for finding in rule.check(ctx)]


def rule_infos() -> dict[str, RuleInfo]:
    return {rule.INFO.id: rule.INFO for rule in trust_rules()}
