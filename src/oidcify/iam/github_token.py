"""The claims of a GitHub Actions OIDC token: built from a run's description, given as
``key=value`` pairs, or read from a decoded token (as actions-oidc-debugger prints it).

Built claims follow GitHub's OpenID Connect reference: ``sub`` from ``oidcify.subjects``
(environment wins over pull_request, which wins over the ref; ``:`` in values becomes ``%3A``;
the immutable ``repo:OWNER@ID/REPO@ID`` form when ids are given). ``pull_request_target`` runs
in the base branch's context, and oidcify gives its token the base ref's ``sub``
(``ref:refs/heads/BASE``), not ``pull_request``: GitHub documents the ``pull_request`` context only
for "a pull request event", and of the two readings this is the one under which a policy that
admits the base branch is shown to admit fork PRs through ``pull_request_target``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oidcify import subjects
from oidcify.errors import InputError
from oidcify.iam.document import load_json

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
DEFAULT_AUDIENCE = "sts.amazonaws.com"
Claims = dict[str, str | list[str]]


@dataclass(frozen=True)
class TokenRun:
    """What a workflow run looks like from the token's point of view."""

    repo: subjects.Repo
    ref: str | None = None
    environment: str | None = None
    event: str = "push"
    form: subjects.SubjectForm = "legacy"
    audience: str = DEFAULT_AUDIENCE
    workflow: str | None = None  # file name under .github/workflows/
    job_workflow_ref: str | None = None  # the called workflow, for reusable workflows


def check_ref(ref: str, field: str = "--ref") -> str:
    if not re.fullmatch(r"refs/(heads|tags|pull)/\S+", ref):
        raise InputError(
            f"{ref!r} is not a full ref; expected refs/heads/BRANCH, refs/tags/TAG or "
            "refs/pull/N/merge",
            field=field,
        )
    return ref


def _ref_type(ref: str) -> str | None:
    if ref.startswith("refs/heads/"):
        return "branch"
    return "tag" if ref.startswith("refs/tags/") else None


def run_claims(run: TokenRun) -> Claims:
    """The token claims GitHub issues for ``run`` (the ones trust policies can test)."""
    repo = run.repo
    # Not names.GITHUB_ENVIRONMENT: that is what the template accepts, and simulate must also
    # describe environments that exist on GitHub with other characters (':' becomes %3A).
    if run.environment is not None and not run.environment.strip():
        raise InputError("an environment name cannot be empty", field="--environment")
    if run.ref is not None:
        check_ref(run.ref)
    context = subjects.context_for(ref=run.ref, environment=run.environment, event=run.event)
    claims: Claims = {
        "sub": subjects.subject(repo, context, run.form),
        "aud": run.audience,
        "iss": GITHUB_ISSUER,
        "repository": repo.full_name,
        "repository_owner": repo.owner,
        "event_name": run.event,
    }
    optional = {
        "ref": run.ref,
        "ref_type": _ref_type(run.ref or ""),
        "environment": run.environment,
        "repository_id": None if repo.repo_id is None else str(repo.repo_id),
        "repository_owner_id": None if repo.owner_id is None else str(repo.owner_id),
    }
    if run.workflow and run.ref:
        own = f"{repo.full_name}/.github/workflows/{run.workflow}@{run.ref}"
        optional["workflow_ref"] = own
        optional["job_workflow_ref"] = run.job_workflow_ref or own
    elif run.job_workflow_ref:
        optional["job_workflow_ref"] = run.job_workflow_ref
    claims.update({key: value for key, value in optional.items() if value is not None})
    return claims


def parse_pairs(items: Sequence[str], field: str = "--claims") -> Claims:
    """``key=value`` pairs; a key given twice becomes a multi-valued claim."""
    claims: Claims = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{item!r} is not KEY=VALUE", field=field)
        key = key.strip()
        if key in claims:
            previous = claims[key]
            claims[key] = [*([previous] if isinstance(previous, str) else previous), value]
        else:
            claims[key] = value
    return claims


def _claim_value(value: Any) -> str | list[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [v if isinstance(v, str) else json.dumps(v) for v in value]
    return value if isinstance(value, str) else json.dumps(value)


_REQUIRED = ("sub", "aud")  # in every token GitHub issues
_LOG_PREFIX = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z ", re.MULTILINE)
_JWT = re.compile(r"[\w-]+\.([\w-]+)\.[\w-]*")


def _jwt_payload(token: str, field: str) -> Any:
    match = _JWT.fullmatch(token)
    if not match:
        raise InputError("expected a JSON object of claims or an encoded JWT", field=field)
    body = match.group(1)
    try:
        text = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise InputError("the JWT's payload is not base64url-encoded JSON", field=field) from None
    return load_json(text, field)


def parse_token(text: str, field: str = "--token-json") -> Claims:
    """Claims from a decoded token payload; tolerates an Actions log's timestamp prefixes,
    ``{"claims": ...}`` / ``{"payload": ...}`` wrappers and a raw (unverified) JWT."""
    text = _LOG_PREFIX.sub("", text).strip()
    data: Any = _jwt_payload(text, field) if not text.startswith("{") else load_json(text, field)
    for wrapper in ("claims", "payload"):
        if isinstance(data, dict) and isinstance(data.get(wrapper), dict):
            data = data[wrapper]
    if not isinstance(data, dict) or not data:
        raise InputError("expected a non-empty JSON object of token claims", field=field)
    missing = [claim for claim in _REQUIRED if claim not in data]
    if missing:
        looks_like = " (this looks like a policy)" if "Statement" in data else ""
        raise InputError(
            f"no {' or '.join(missing)} claim{looks_like}: every GitHub OIDC token has "
            f"{' and '.join(_REQUIRED)}; pass the token's decoded payload",
            field=field,
        )
    return {str(key): _claim_value(value) for key, value in data.items()}
