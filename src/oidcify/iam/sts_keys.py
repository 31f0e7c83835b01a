"""Which claims of a GitHub Actions OIDC token AWS STS puts into the request as condition keys.

STS does not expose every claim of a web identity token: besides the standard ``aud``, ``sub``
(and ``amr``), it evaluates only a fixed list of provider-specific claims. For GitHub's issuer
(AWS "What's New", January 2026: *AWS STS supports validation of select identity provider
specific claims*; IAM User Guide, *Available keys for AWS OIDC federation*, ``#condition-keys-wif``)
these are listed in ``GITHUB_CLAIM_KEYS``. Any other claim (``repository_owner``, ``event_name``,
``ref_type``, ``workflow_ref``, ``runner_environment``, ``head_ref``, ``base_ref``, ...) is never
in the request: a positive condition on it never holds, a negated one, ``...IfExists`` and
``Null: true`` always do. One list, used by every caller that builds a request from claims.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

STANDARD_KEYS = frozenset({"aud", "sub", "amr"})
GITHUB_CLAIM_KEYS = frozenset(
    {
        "actor",
        "actor_id",
        "enterprise_id",
        "environment",
        "job_workflow_ref",
        "ref",
        "repository",
        "repository_id",
        "repository_owner_id",
        "workflow",
    }
)
EVALUATED_CLAIMS = STANDARD_KEYS | GITHUB_CLAIM_KEYS

# The public issuer, an enterprise's (``.../ENTERPRISE``) and GHE.com's ``token.actions.X.ghe.com``.
_GITHUB_KEY_HOST = re.compile(
    r"token\.actions\.(githubusercontent\.com(/[\w.-]+)?|[\w-]+\.ghe\.com)", re.IGNORECASE
)


def evaluated(claim: str) -> bool:
    """Whether STS evaluates the GitHub claim ``claim`` (exact, case-sensitive: GitHub's claim
    names are lower case, and ``Sub`` is no claim STS knows)."""
    return claim in EVALUATED_CLAIMS


def sts_context(host: str, claims: Mapping[str, str | list[str]]) -> dict[str, str | list[str]]:
    """The condition keys STS puts into the request for a token with ``claims`` from the
    issuer ``host``: ``<host>:<claim>`` for each claim it evaluates, nothing for the others."""
    return {f"{host}:{k}": v for k, v in claims.items() if evaluated(k)}


def never_in_request(key: str) -> bool:
    """Whether the policy's condition key ``key`` names a GitHub token claim that STS never
    puts into the request (``token.actions.githubusercontent.com:repository_owner``); key
    names are compared without case, as IAM does."""
    host, sep, claim = key.rpartition(":")
    return bool(sep) and bool(_GITHUB_KEY_HOST.fullmatch(host)) and not evaluated(claim.lower())
