"""IAM trust-policy evaluation: parse a policy, decide a request, explain every condition.

``parse_policy`` -> ``Policy``; ``evaluate(policy, Request(...))`` -> ``Decision``;
``github_request(provider_arn, claims)`` builds the request a GitHub Actions OIDC token makes.
"""

from oidcify.iam.conditions import Condition, ConditionResult, Operator
from oidcify.iam.evaluate import (
    ASSUME_ROLE_WITH_WEB_IDENTITY,
    Admission,
    Decision,
    Request,
    StatementResult,
    admits,
    evaluate,
    evaluate_statement,
    github_request,
    issuer_host,
)
from oidcify.iam.policy import Policy, Statement, parse_policy

__all__ = [
    "ASSUME_ROLE_WITH_WEB_IDENTITY",
    "Admission",
    "Condition",
    "ConditionResult",
    "Decision",
    "Operator",
    "Policy",
    "Request",
    "Statement",
    "StatementResult",
    "admits",
    "evaluate",
    "evaluate_statement",
    "github_request",
    "issuer_host",
    "parse_policy",
]
