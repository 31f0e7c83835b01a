"""The audit's model of an account: its roles (as IAM describes them) and OIDC providers.

Exports and the live API both describe a role as a ``RoleDetail``
(``GetAccountAuthorizationDetails``) or a ``Role`` (``GetRole``): the same keys, so one reader
serves both. IAM's API returns policy documents URL-encoded (``%7B%22Version%22...``); the
AWS CLI and boto3 decode them, a raw API answer or a hand-made export may not: every form is
accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from oidcify.errors import InputError

GITHUB_HOST = "token.actions.githubusercontent.com"
ADMIN_POLICY = "/AdministratorAccess"


@dataclass
class IamRole:
    """One IAM role, with what the audit reads of it."""

    arn: str
    name: str
    trust: dict[str, Any]  # the trust policy document, decoded
    attached: list[str] = field(default_factory=list)  # managed policy ARNs
    inline: list[dict[str, Any]] = field(default_factory=list)  # inline policy documents
    last_used: datetime | None = None  # timezone-aware, as _date gives it
    created: datetime | None = None
    source: str = ""  # the file or account it was read from, for messages

    @property
    def account(self) -> str:
        parts = self.arn.split(":")
        return parts[4] if len(parts) > 4 else ""

    @property
    def partition(self) -> str:
        parts = self.arn.split(":")
        return parts[1] if len(parts) > 1 else "aws"

    def trusts_github(self) -> bool:
        """Whether the trust policy names a GitHub OIDC provider (public or enterprise issuer)."""
        return any(
            f":oidc-provider/{GITHUB_HOST}" in identifier for identifier in _federated(self.trust)
        )

    def is_admin(self) -> bool:
        """AdministratorAccess attached, or an inline Allow of every action."""
        if any(arn.endswith(ADMIN_POLICY) for arn in self.attached):
            return True
        for doc in self.inline:
            for statement in _statements(doc):
                actions = statement.get("Action", [])
                actions = [actions] if isinstance(actions, str) else actions
                if statement.get("Effect") == "Allow" and "*" in actions:
                    return True
        return False


@dataclass
class Account:
    """What one source said about one account: its roles, and its OIDC providers if known."""

    account_id: str
    source: str
    roles: list[IamRole] = field(default_factory=list)
    providers: list[str] | None = None  # OIDC provider ARNs; None when the source has none


def _statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = doc.get("Statement", [])
    found = [found] if isinstance(found, dict) else found
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []


def _federated(doc: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for statement in _statements(doc):
        principal = statement.get("Principal")
        value = principal.get("Federated") if isinstance(principal, dict) else None
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found += [v for v in value if isinstance(v, str)]
    return found


def document(value: Any, where: str) -> dict[str, Any]:
    """A policy document from an object, a JSON string, or IAM's URL-encoded JSON string."""
    if isinstance(value, str):
        text = unquote(value) if value.lstrip().startswith("%") else value
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"not a JSON policy document ({err.msg})", field=where) from None
    if not isinstance(value, dict):
        raise InputError("a policy document must be a JSON object", field=where)
    return value


def _date(value: Any) -> datetime | None:
    """An IAM date, timezone-aware (UTC where IAM's text gives no offset); None if unreadable."""
    if isinstance(value, str) and value:
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def from_detail(raw: Any, where: str, source: str) -> IamRole:
    """A role from a ``RoleDetail`` or ``Role`` object; ``where`` names it in errors."""
    if not isinstance(raw, dict):
        raise InputError("a role must be a JSON object", field=where)
    arn, name = raw.get("Arn"), raw.get("RoleName")
    if not isinstance(arn, str) or not isinstance(name, str):
        raise InputError("a role needs Arn and RoleName strings", field=where)
    where = f"{where} ({name})"
    trust_raw = raw.get("AssumeRolePolicyDocument")
    if not trust_raw:
        raise InputError(
            "no AssumeRolePolicyDocument: every IAM role has a trust policy, so this is not "
            "the whole role (export with get-account-authorization-details or get-role)",
            field=where,
        )
    trust = document(trust_raw, f"{where}.AssumeRolePolicyDocument")
    attached = [
        p["PolicyArn"]
        for p in raw.get("AttachedManagedPolicies") or []
        if isinstance(p, dict) and isinstance(p.get("PolicyArn"), str)
    ]
    inline = [
        document(p.get("PolicyDocument"), f"{where}.RolePolicyList[{i}].PolicyDocument")
        for i, p in enumerate(raw.get("RolePolicyList") or [])
        if isinstance(p, dict) and p.get("PolicyDocument")
    ]
    used = raw.get("RoleLastUsed")
    return IamRole(
        arn=arn, name=name, trust=trust, attached=attached, inline=inline,
        last_used=_date(used.get("LastUsedDate")) if isinstance(used, dict) else None,
        created=_date(raw.get("CreateDate")), source=source,
    )  # fmt: skip


def account_of(arn: str) -> str:
    """The account id field of an ARN (its fifth); "" when the text has no such field."""
    return arn.split(":")[4] if arn.count(":") >= 5 else ""


def providers_of(raw: Any, where: str) -> list[str]:
    """Provider ARNs from ``OpenIDConnectProviderList`` (``list-open-id-connect-providers``)."""
    if not isinstance(raw, list):
        raise InputError("OpenIDConnectProviderList must be a list", field=where)
    return [p["Arn"] for p in raw if isinstance(p, dict) and isinstance(p.get("Arn"), str)]
