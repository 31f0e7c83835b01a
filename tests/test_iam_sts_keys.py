"""``oidcify.iam.sts_keys``: which claims of a GitHub token STS puts into the request."""

from __future__ import annotations

import pytest

from oidcify.iam import github_request
from oidcify.iam.sts_keys import never_in_request, sts_context

HOST = "token.actions.githubusercontent.com"
TOKEN = {
    "sub": "repo:octo-org/app:ref:refs/heads/main",
    "aud": "sts.amazonaws.com",
    "Sub": "repo:evil/x:ref:refs/heads/main",
    "repository": "octo-org/app",
    "repository_owner": "octo-org",
    "repository_id": "456",
    "event_name": "push",
    "ref": "refs/heads/main",
    "ref_type": "branch",
    "workflow_ref": "octo-org/app/.github/workflows/deploy.yml@refs/heads/main",
    "job_workflow_ref": "octo-org/app/.github/workflows/deploy.yml@refs/heads/main",
    "runner_environment": "github-hosted",
}


def test_only_the_claims_sts_evaluates_become_keys() -> None:
    keys = {key.rpartition(":")[2] for key in sts_context(HOST, TOKEN)}
    assert keys == {"sub", "aud", "repository", "repository_id", "ref", "job_workflow_ref"}


@pytest.mark.parametrize(
    "provider",
    [
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/octo-ent",
    ],
)
def test_github_request_uses_the_same_list_for_every_issuer(provider: str) -> None:
    context = github_request(provider, TOKEN).context
    host = provider.partition(":oidc-provider/")[2]
    assert context == sts_context(host, TOKEN)
    assert f"{host}:repository_owner" not in context


@pytest.mark.parametrize(
    ("key", "never"),
    [
        (f"{HOST}:repository_owner", True),
        (f"{HOST}:EVENT_NAME", True),  # key names are compared without case
        (f"{HOST}/octo-ent:ref_type", True),
        ("token.actions.octo.ghe.com:workflow_ref", True),
        (f"{HOST}:sub", False),
        (f"{HOST}:Repository_Id", False),
        (f"{HOST}/octo-ent:job_workflow_ref", False),
        (f"{HOST}:repository_owner_id", False),
        ("accounts.google.com:email", False),  # another provider's keys are not judged
        ("aws:PrincipalTag/team", False),
    ],
)
def test_never_in_request(key: str, never: bool) -> None:
    assert never_in_request(key) is never
