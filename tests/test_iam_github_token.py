"""GitHub token claims: built from a run, given as pairs, or read from a decoded token."""

from __future__ import annotations

import base64
import json

import pytest

from oidcify.errors import InputError
from oidcify.iam import github_token
from oidcify.iam.github_token import TokenRun
from oidcify.subjects import Repo

REPO = Repo("octo-org", "app")
IDS = Repo("octo-org", "app", owner_id=123, repo_id=456)


@pytest.mark.parametrize(
    ("run", "sub"),
    [
        (TokenRun(REPO, ref="refs/heads/main"), "repo:octo-org/app:ref:refs/heads/main"),
        (TokenRun(REPO, ref="refs/tags/v1.2.3"), "repo:octo-org/app:ref:refs/tags/v1.2.3"),
        (TokenRun(REPO, ref="refs/heads/main", environment="prod"),
         "repo:octo-org/app:environment:prod"),
        (TokenRun(REPO, ref="refs/pull/7/merge", event="pull_request"),
         "repo:octo-org/app:pull_request"),
        (TokenRun(REPO, ref="refs/heads/main", event="pull_request_target"),
         "repo:octo-org/app:ref:refs/heads/main"),
        (TokenRun(REPO, ref="refs/heads/feat:x"), "repo:octo-org/app:ref:refs/heads/feat%3Ax"),
        (TokenRun(IDS, ref="refs/heads/main", form="immutable"),
         "repo:octo-org@123/app@456:ref:refs/heads/main"),
        (TokenRun(REPO, environment="a:b", event="workflow_dispatch"),
         "repo:octo-org/app:environment:a%3Ab"),
    ],
)  # fmt: skip
def test_sub_follows_github_rules(run: TokenRun, sub: str) -> None:
    assert github_token.run_claims(run)["sub"] == sub


def test_other_claims() -> None:
    built = github_token.run_claims(
        TokenRun(IDS, ref="refs/tags/v1", environment="prod", workflow="deploy.yml")
    )
    assert built == {
        "sub": "repo:octo-org/app:environment:prod",
        "aud": "sts.amazonaws.com",
        "iss": "https://token.actions.githubusercontent.com",
        "repository": "octo-org/app",
        "repository_owner": "octo-org",
        "event_name": "push",
        "ref": "refs/tags/v1",
        "ref_type": "tag",
        "environment": "prod",
        "repository_id": "456",
        "repository_owner_id": "123",
        "workflow_ref": "octo-org/app/.github/workflows/deploy.yml@refs/tags/v1",
        "job_workflow_ref": "octo-org/app/.github/workflows/deploy.yml@refs/tags/v1",
    }


def test_reusable_workflow_keeps_the_callers_sub() -> None:
    called = "octo-org/shared/.github/workflows/deploy.yml@refs/heads/main"
    built = github_token.run_claims(
        TokenRun(REPO, ref="refs/heads/main", workflow="ci.yml", job_workflow_ref=called)
    )
    assert built["sub"] == "repo:octo-org/app:ref:refs/heads/main"
    assert built["job_workflow_ref"] == called
    assert built["workflow_ref"] == "octo-org/app/.github/workflows/ci.yml@refs/heads/main"


@pytest.mark.parametrize(
    ("run", "field"),
    [
        (TokenRun(REPO, ref="main"), "--ref"),
        (TokenRun(REPO), "ref"),
        (TokenRun(REPO, ref="refs/heads/main", environment=" "), "--environment"),
        (TokenRun(REPO, ref="refs/heads/main", form="immutable"), "subject_format"),
    ],
)
def test_bad_runs_name_the_field(run: TokenRun, field: str) -> None:
    with pytest.raises(InputError) as exc:
        github_token.run_claims(run)
    assert exc.value.field == field


def test_parse_pairs() -> None:
    assert github_token.parse_pairs(
        ["sub=repo:o/r:ref:refs/heads/main", "aud=a=b", "amr=x", "amr=y"]
    ) == {
        "sub": "repo:o/r:ref:refs/heads/main",
        "aud": "a=b",
        "amr": ["x", "y"],
    }
    with pytest.raises(InputError, match="KEY=VALUE"):
        github_token.parse_pairs(["sub"])


PAYLOAD = {"sub": "repo:o/r:ref:refs/heads/main", "aud": "sts.amazonaws.com", "exp": 1700000000,
           "runner_environment": "github-hosted", "amr": ["a"], "flag": True}  # fmt: skip
EXPECTED = {"sub": "repo:o/r:ref:refs/heads/main", "aud": "sts.amazonaws.com", "exp": "1700000000",
            "runner_environment": "github-hosted", "amr": ["a"], "flag": "true"}  # fmt: skip


def _jwt(payload: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(payload)}.sig"


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(PAYLOAD, indent=2),
        json.dumps({"claims": PAYLOAD}),
        json.dumps({"payload": PAYLOAD}),
        "\n".join(f"2024-05-01T10:00:00.1234567Z {line}"
                  for line in json.dumps(PAYLOAD, indent=2).splitlines()),
        _jwt(PAYLOAD) + "\n",
    ],
    ids=["plain", "claims", "payload", "actions-log", "jwt"],
)  # fmt: skip
def test_token_json_shapes(text: str) -> None:
    assert github_token.parse_token(text) == EXPECTED


@pytest.mark.parametrize(
    ("text", "message"),
    [("{}", "non-empty"), ("[1]", "encoded JWT"), ('{"sub": "a", "sub": "b"}', "duplicate"),
     ("not a token", "encoded JWT"), ("a.!!!!.b", "encoded JWT"),
     ('{"aud": "sts.amazonaws.com"}', "^--token-json: no sub claim: "),
     ('{"sub": "a"}', "^--token-json: no aud claim: "),
     ('{"Version": "2012-10-17", "Statement": []}',
      r"^--token-json: no sub or aud claim \(this looks like a policy\)"),
     ('{"claims": {"iss": "x"}}', "^--token-json: no sub or aud claim: ")],
)  # fmt: skip
def test_bad_token_json(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as exc:
        github_token.parse_token(text)
    assert exc.value.field == "--token-json"
