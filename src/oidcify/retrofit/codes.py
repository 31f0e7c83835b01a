"""Stable IDs for what the retrofit does (OR), leaves alone (OS) and warns about (OW).

IDs never change meaning once released; docs/retrofit.md lists the same table.
"""

from __future__ import annotations

FIXES: dict[str, str] = {
    "OR001": "configure-aws-credentials: static-key inputs replaced by role-to-assume",
    "OR002": "AWS key variables removed from env",
    "OR003": "pinned configure-aws-credentials step inserted before the first step that needs it",
    "OR004": "id-token: write made effective for a job that now mints a token",
    "OR005": "AWS key secrets dropped from on.workflow_call.secrets and from callers' secrets",
    "OR006": "docker/login-action on ECR: username/password dropped (it logs in with OIDC)",
    "OR007": "configure-aws-credentials moved to the pinned release",
    "OR008": "role chaining: keys replaced by an OIDC first hop and role-chaining: true",
}

SKIPS: dict[str, str] = {
    "OS001": "already on OIDC: no static AWS keys from secrets",
    "OS002": "keys do not come from repository secrets (step outputs, inputs, env, run time)",
    "OS003": "role chaining (keys and role-to-assume in one step); pass --role-chaining",
    "OS004": "keys used for something that is not AWS, or by an action oidcify does not know",
    "OS005": "static-key step is an alternative to an OIDC step in the same job",
    "OS006": "keys used inside a run script or an expression",
    "OS007": "no AWS region for the job; pass --region",
    "OS008": "keys forwarded to a reusable workflow that still needs them or is not in this repo",
    "OS009": "key value is an expression that does not name one secret",
    "OS010": "the YAML here cannot be edited safely; file left untouched",
    "OS011": "no YAML document in the file (empty, only comments, or ~): nothing to change",
    "OS012": "symlink to a file in the repository: that file is changed, once, under its own path",
}

WARNINGS: dict[str, str] = {
    "OW001": "pull_request from forks and pull_request_target: no token, or a risky one",
    "OW002": "secret no longer referenced by any workflow: it can be deleted",
    "OW003": "permissions block added where none was: other token scopes narrowed",
    "OW004": "reusable workflow: callers elsewhere must grant id-token: write",
    "OW005": "several key pairs now assume one role",
    "OW006": "hard-coded AWS access key in the file: rotate it",
    "OW007": "configure-aws-credentials moved across major versions: review its changelog",
    "OW008": "the job's token permissions are set by an expression or are invalid",
    "OW009": "role chaining: the chained role must trust the OIDC role and allow sts:TagSession",
    "OW010": "secret no longer used by the changed workflows, but a file oidcify could not read "
    "or parse, or one outside the workflows (an action), may use it, or a workflow hands every "
    "secret on (secrets: inherit) or reads them all (toJSON(secrets)): not called deletable",
}

ALL: dict[str, str] = {**FIXES, **SKIPS, **WARNINGS}
