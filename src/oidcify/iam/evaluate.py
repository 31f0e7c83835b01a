"""Decide a request against a trust policy, the way IAM does, and keep every reason.

Policy evaluation logic (IAM User Guide): a statement applies when its principal, action and every
condition match. An applicable Deny wins over any Allow; with no applicable Allow the request is
implicitly denied. The Decision keeps each statement's result so callers can say which statement
decided and which condition refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from oidcify.aws import GITHUB_OIDC_HOST
from oidcify.iam.conditions import (
    ConditionResult,
    NormalContext,
    condition_holds,
    evaluate_condition,
    normalize_context,
)
from oidcify.iam.policy import Policy, Statement
from oidcify.iam.sts_keys import sts_context
from oidcify.iam.wildcards import like

ASSUME_ROLE_WITH_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


@dataclass(frozen=True)
class Request:
    principal: str
    action: str
    context: dict[str, str | list[str]] = field(default_factory=dict)
    principal_type: str | None = None  # inferred from ``principal`` when None

    @property
    def kind(self) -> str:
        return self.principal_type or principal_type(self.principal)


def principal_type(principal: str) -> str:
    """The Principal element type (AWS, Federated, Service) an identifier belongs to."""
    if ":oidc-provider/" in principal or ":saml-provider/" in principal:
        return "Federated"
    if principal.startswith("arn:") or principal.isdigit():
        return "AWS"
    if principal.endswith(".amazonaws.com") or principal.endswith(".amazonaws.com.cn"):
        return "Service"
    return "Federated"  # web identity providers named by host (accounts.google.com, ...)


def _aws_account(principal: str) -> str | None:
    if principal.isdigit():
        return principal
    parts = principal.split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" else None


def _names_principal(identifiers: dict[str, tuple[str, ...]], request: Request) -> str | None:
    """The identifier in ``identifiers`` that names the request's principal, if any."""
    # IAM documents "Principal": "*" and {"AWS": "*"} as equivalent: every principal.
    if "*" in identifiers or "*" in identifiers.get("AWS", ()):
        return "*"
    kind = request.kind
    for identifier in identifiers.get(kind, ()):
        if identifier in ("*", request.principal):
            return identifier
        # An account id (or its :root ARN) in an AWS principal stands for the whole account.
        whole_account = identifier.isdigit() or identifier.endswith(":root")
        if (
            kind == "AWS"
            and whole_account
            and _aws_account(identifier) == _aws_account(request.principal)
        ):
            return identifier
    return None


def _principal(statement: Statement, request: Request) -> tuple[bool, str]:
    hit = _names_principal(statement.principals, request)
    if hit == request.principal:
        return True, f"principal {request.principal!r} is listed"
    if hit:
        return True, f"principal {request.principal!r} matches {hit!r}"
    listed = ", ".join(f"{k}: {', '.join(v)}" for k, v in statement.principals.items())
    return False, f"principal {request.principal!r} is not listed ({listed})"


def _action(statement: Statement, request: Request) -> tuple[bool, str]:
    patterns = statement.actions if statement.actions is not None else statement.not_actions
    assert patterns is not None
    hit = next((p for p in patterns if like(p, request.action, ignore_case=True)), None)
    if statement.actions is not None:
        if hit:
            return True, f"action {request.action!r} matches {hit!r}"
        return False, f"action {request.action!r} does not match {', '.join(patterns)}"
    if hit:
        return False, f"action {request.action!r} is excluded by NotAction {hit!r}"
    return True, f"action {request.action!r} is not in NotAction"


@dataclass(frozen=True)
class StatementResult:
    statement: Statement
    principal_matched: bool
    principal_reason: str
    action_matched: bool
    action_reason: str
    conditions: tuple[ConditionResult, ...]

    @property
    def applies(self) -> bool:
        return self.principal_matched and self.action_matched and self.conditions_held

    @property
    def conditions_held(self) -> bool:
        return all(c.held for c in self.conditions)

    @property
    def failed(self) -> tuple[ConditionResult, ...]:
        return tuple(c for c in self.conditions if not c.held)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    deciding: StatementResult | None  # the Deny or Allow that decided; None: implicit deny
    statements: tuple[StatementResult, ...]

    @property
    def deciding_label(self) -> str | None:
        return self.deciding.statement.label if self.deciding else None

    @property
    def explicit_deny(self) -> bool:
        return self.deciding is not None and self.deciding.statement.effect == "Deny"

    @property
    def summary(self) -> str:
        if self.allowed:
            return f"ALLOW by {self.deciding_label}"
        if self.explicit_deny:
            return f"DENY: explicit Deny in {self.deciding_label}"
        return "DENY: no statement allows this request (implicit deny)"

    def refusals(self) -> list[tuple[StatementResult, ConditionResult]]:
        """For an implicit deny: the failed conditions of each Allow that matched principal and
        action, i.e. what would have to change for the request to be allowed."""
        return [
            (result, failed)
            for result in self.statements
            if result.statement.effect == "Allow"
            and result.principal_matched
            and result.action_matched
            for failed in result.failed
        ]


def evaluate_statement(policy: Policy, statement: Statement, request: Request) -> StatementResult:
    context = normalize_context(request.context)
    principal_ok, principal_why = _principal(statement, request)
    action_ok, action_why = _action(statement, request)
    results = tuple(
        evaluate_condition(c, context, variables=policy.variables) for c in statement.conditions
    )
    return StatementResult(statement, principal_ok, principal_why, action_ok, action_why, results)


def evaluate(policy: Policy, request: Request) -> Decision:
    """IAM's decision for ``request``: explicit Deny wins, else any Allow, else implicit deny."""
    results = tuple(evaluate_statement(policy, s, request) for s in policy.statements)
    deny = next((r for r in results if r.applies and r.statement.effect == "Deny"), None)
    if deny:
        return Decision(False, deny, results)
    allow = next((r for r in results if r.applies and r.statement.effect == "Allow"), None)
    return Decision(allow is not None, allow, results)


class Admission:
    """IAM's decision for many requests of one principal and action, each allowed only through
    ``statement`` (an Allow of ``policy``): the same answer as ``evaluate`` gives, without the
    reasons, and with the principal and action matched once. For callers such as OC203's
    probes, which decide thousands of tokens."""

    def __init__(self, policy: Policy, statement: Statement, principal: str,
                 action: str = ASSUME_ROLE_WITH_WEB_IDENTITY,
                 principal_type: str = "Federated") -> None:  # fmt: skip
        request = Request(principal, action, {}, principal_type)

        def names(s: Statement) -> bool:
            return _principal(s, request)[0] and _action(s, request)[0]

        self.policy = policy
        self.statement = statement if names(statement) else None
        self.denies = [s for s in policy.statements if s.effect == "Deny" and names(s)]

    def _holds(self, statement: Statement, context: NormalContext) -> bool:
        variables = self.policy.variables
        return all(condition_holds(c, context, variables=variables) for c in statement.conditions)

    def admits(self, context: Mapping[str, str | list[str]]) -> bool:
        """Whether a request with ``context`` gets in through the statement, no Deny refusing."""
        if self.statement is None:
            return False
        normal = normalize_context(context)
        return self._holds(self.statement, normal) and not any(
            self._holds(s, normal) for s in self.denies
        )


def admits(policy: Policy, statement: Statement, request: Request) -> bool:
    """Whether ``statement`` (an Allow of ``policy``) applies to ``request`` and no Deny of
    ``policy`` does: the request is allowed, through ``statement``."""
    admission = Admission(policy, statement, request.principal, request.action, request.kind)
    return admission.admits(request.context)


_GITHUB_ISSUER = re.compile(rf"{re.escape(GITHUB_OIDC_HOST)}(/[\w.-]+)?")


def issuer_host(provider_arn: str) -> str | None:
    """The issuer host of a GitHub OIDC provider ARN, with an enterprise's path
    (``token.actions.githubusercontent.com/ENTERPRISE``); None for any other ARN."""
    _, sep, rest = provider_arn.partition(":oidc-provider/")
    return rest if sep and _GITHUB_ISSUER.fullmatch(rest) else None


def github_request(
    provider_arn: str,
    claims: Mapping[str, str | list[str]],
    *,
    host: str | None = None,
) -> Request:
    """The ``sts:AssumeRoleWithWebIdentity`` request a GitHub token with ``claims`` makes
    through ``provider_arn``: each claim STS evaluates (``sts_keys.EVALUATED_CLAIMS``) becomes
    the condition key ``<host>:<claim>``, the host being the provider's issuer (an
    enterprise's keys carry its path); the token's other claims are no keys at all. Claim
    names are case-sensitive and GitHub's are lower case: a claim such as ``Sub`` is no claim
    STS knows, and becomes no key (only the policy's key names are compared without case)."""
    host = host or issuer_host(provider_arn) or GITHUB_OIDC_HOST
    return Request(provider_arn, ASSUME_ROLE_WITH_WEB_IDENTITY, sts_context(host, claims),
                   "Federated")  # fmt: skip
