"""The trust policies a check judges the workflows against, and where their parts are written.

A policy comes from ``--trust-policy FILE`` (a policy document, ``aws iam get-role`` output or
Terraform ``aws_iam_policy_document`` JSON, read by ``oidcify.iam.parse_policy``) or from
``--terraform DIR`` (``check.terraform``). Findings about a policy point at the line of the value
they concern: the first place its JSON-quoted text appears in the file, else the line a
locator was given for the whole policy.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from oidcify.check import patterns
from oidcify.errors import InputError
from oidcify.iam import Policy, Statement, issuer_host, parse_policy
from oidcify.iam.conditions import Condition

GITHUB_PROVIDER = ":oidc-provider/token.actions.githubusercontent.com"
SUB_OPERATORS = ("StringEquals", "StringLike", "StringEqualsIgnoreCase")


@dataclass(frozen=True)
class Place:
    path: str
    line: int
    column: int = 1


@dataclass
class Locator:
    """Finds where a value is written among a few texts (policy JSON, .tf files)."""

    texts: list[tuple[str, str]]  # (display path, text)
    fallback: Place

    def find(self, *needles: str) -> Place:
        for needle in needles:
            for path, text in self.texts:
                at = text.find(needle)
                if at >= 0:
                    line = text.count("\n", 0, at) + 1
                    return Place(path, line, at - text.rfind("\n", 0, at))
        return self.fallback

    def value(self, value: str) -> Place:
        return self.find(json.dumps(value), f'"{value}"')

    def condition(self, statement: Statement, condition: Condition) -> Place:
        return self.find(
            json.dumps(condition.operator.name), json.dumps(condition.key),
            *self.statement_needles(statement),
        )  # fmt: skip

    def statement(self, statement: Statement) -> Place:
        return self.find(*self.statement_needles(statement))

    @staticmethod
    def statement_needles(statement: Statement) -> list[str]:
        if statement.sid:
            return [json.dumps(statement.sid), f'"{statement.sid}"']
        return ['"Statement"', "statement"]


@dataclass
class TrustPolicy:
    label: str  # how findings name it: "role gha-deploy" or the file name
    policy: Policy
    locator: Locator
    role_arn: str | None = None  # when the source says which role it is
    notes: list[str] = field(default_factory=list)

    def github_providers(self) -> list[str]:
        """The GitHub OIDC providers the policy names, an enterprise's (``.../ENTERPRISE``) too."""
        return [
            arn
            for arn in self.policy.principal_identifiers("Federated", effect=None)
            if issuer_host(arn)
        ]

    def provider_arn(self) -> str:
        """The provider the tokens come through: the policy's GitHub provider, else one made up
        from the role's account (the policy then refuses every job, which is the finding)."""
        found = self.github_providers()
        if found:
            return found[0]
        account = (self.role_arn or "").split(":")[4:5] or ["000000000000"]
        return f"arn:aws:iam::{account[0] or '000000000000'}{GITHUB_PROVIDER}"


_ROLE_ARN = re.compile(r'"Arn"\s*:\s*"(arn:[^"]+:role/[^"]+)"')


def from_file(path: str, display: str) -> TrustPolicy:
    try:
        text = Path(path).read_text(encoding="utf-8") if path != "-" else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(f"cannot read {path}: {reason}", field="--trust-policy") from None
    policy = parse_policy(text, origin=display)
    arn = _ROLE_ARN.search(text)
    name = arn.group(1).rsplit("/", 1)[-1] if arn else None
    return TrustPolicy(
        label=f"role {name}" if name else display,
        policy=policy,
        locator=Locator([(display, text)], Place(display, 1)),
        role_arn=arn.group(1) if arn else None,
    )


@dataclass(frozen=True)
class SubValue:
    policy: TrustPolicy
    statement: Statement
    condition: Condition
    value: str

    def meets(self, subject: patterns.Pattern) -> str | None:
        """A ``sub`` both this value and a job's ``subject`` pattern admit, if any."""
        folded = patterns.fold(subject) if self.condition.operator.ignore_case else subject
        return patterns.witness(folded, self.pattern)

    @property
    def pattern(self) -> patterns.Pattern:
        op = self.condition.operator
        return patterns.tokens(self.value, like=op.like, ignore_case=op.ignore_case)


def sub_values(policy: TrustPolicy) -> Iterator[SubValue]:
    """The values Allow statements compare ``sub`` with under a positive string operator."""
    for statement, condition in policy.policy.conditions("Allow"):
        if condition.claim == "sub" and condition.operator.base in SUB_OPERATORS:
            for value in condition.values:
                yield SubValue(policy, statement, condition, value)
