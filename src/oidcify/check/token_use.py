"""Which jobs really use their OIDC token, and which touch AWS: read by the rules on unused
``id-token: write`` (OC109) and on untrusted code next to AWS access (OC111).

A job asks GitHub for a token when a step assumes a role with configure-aws-credentials, uses a
local action (its code is not read here, so it may), uses an action known to exchange the token
(cloud logins, package publishing with provenance, signing, attestations, Pages, Vault ...), or
names the token in its inputs or scripts (``ACTIONS_ID_TOKEN_REQUEST_URL``, ``--provenance``,
``use_oidc``), or gives an action a role (a ``role-to-assume`` input of a composite action of
another repository); or when it calls a reusable workflow of this repository that does.
"""

from __future__ import annotations

import re

from oidcify.check.oidc import Repo, env_value, is_cac, mints
from oidcify.workflows.aws_keys import KEY_ENV, KEY_INPUTS, KEY_NAME
from oidcify.workflows.expressions import formatted_secrets, secret_refs
from oidcify.workflows.model import Job, Step, Workflow

# Actions (owner/repo, or owner/ for every action of an owner) that exchange the job's token.
# configure-aws-credentials is judged by its inputs (``oidc.mints``): with keys it asks for none.
TOKEN_ACTIONS = (
    "google-github-actions/auth", "azure/", "pypa/gh-action-pypi-publish", "actions/attest",
    "actions/attest-build-provenance", "actions/attest-sbom", "actions/deploy-pages",
    "sigstore/", "slsa-framework/", "hashicorp/vault-action", "codecov/codecov-action",
    "octo-sts/", "depot/", "pulumi/auth-actions", "jfrog/setup-jfrog-cli", "chainguard-dev/",
    "rubygems/release-gem", "rubygems/configure-rubygems-credentials", "tailscale/",
    "datadog/dd-sts-action",
)  # fmt: skip
_TOKEN_TEXT = re.compile(
    r"ACTIONS_ID_TOKEN|id[-_]token|oidc|provenance|cosign|workload[-_]identity|web[-_]identity"
    r"|getIDToken|attest",
    re.IGNORECASE,
)

_ROLE_INPUT = re.compile(r"role", re.IGNORECASE)


def _known_action(step: Step) -> bool:
    if step.uses is None or step.uses.kind != "action":
        return False
    action = step.uses.action
    return any(action == a or (a.endswith("/") and action.startswith(a)) for a in TOKEN_ACTIONS)


def step_uses_token(wf: Workflow, job: Job, step: Step) -> bool:
    if mints(wf, job, step) or _known_action(step):
        return True
    if step.uses is not None and step.uses.kind == "local":
        return True
    if not is_cac(step) and any(_ROLE_INPUT.search(k) and v.strip() for k, v in step.with_.items()):
        return True  # a role given to another action (a composite one that assumes it)
    texts = [step.run or "", *step.with_.values(), *step.with_, *step.env]
    return any(_TOKEN_TEXT.search(t) for t in texts)


def job_uses_token(repo: Repo, wf: Workflow, job: Job, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``job`` asks for an OIDC token (a remote reusable workflow: unknown, False)."""
    if job.uses is not None:
        callee = repo.callee(job)
        if callee is None or callee.path in seen:
            return job.uses.kind == "local-workflow"  # not loaded: it may
        inner = seen | {wf.path}
        return any(job_uses_token(repo, callee, j, inner) for j in callee.jobs.values())
    return any(step_uses_token(wf, job, step) for step in job.steps)


def _key_secret(value: str) -> bool:
    names = secret_refs(value) + [t.replace("{0}", "X") for t in formatted_secrets(value)]
    return any(KEY_NAME.search(name) for name in names)


def has_static_keys(wf: Workflow, job: Job) -> bool:
    """AWS keys from secrets reach the job: key variables in env, configure-aws-credentials'
    key inputs, or any value that reads a secret named like a key."""
    for step in job.steps:
        values = [*step.with_.values(), *step.env.values(), step.run or ""]
        if any(secret_refs(step.with_.get(k)) for k in KEY_INPUTS) or any(map(_key_secret, values)):
            return True
        if any(secret_refs(env_value(wf, job, step, name)) for name in KEY_ENV):
            return True
    values = [*job.env.values(), *wf.env.values(), *job.with_.values()]
    if isinstance(job.secrets, dict):
        values += list(job.secrets.values())
    return any(map(_key_secret, values))
