"""What one audit judges: the accounts read, their GitHub-trusting roles with the trust policy
``check`` judges, and what the account-wide rules (``account_rules``) need besides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from oidcify.audit.iam_roles import Account, IamRole
from oidcify.check.policies import TrustPolicy
from oidcify.subjects import Repo

# A workflow's place: (display path, line, column).
Place = tuple[str, int, int]


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
    references: dict[str, list[Place]] | None = None
    notes: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # "account: why", from the fan-out

    def github_roles(self) -> list[JudgedRole]:
        return self.judged

    def roles(self) -> int:
        return sum(len(account.roles) for account in self.accounts)
