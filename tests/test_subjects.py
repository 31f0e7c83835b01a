from __future__ import annotations

import pytest

from oidcify import subjects
from oidcify.errors import InputError

REPO = subjects.Repo("octo-org", "app", owner_id=123, repo_id=456)


@pytest.mark.parametrize(
    ("kwargs", "context"),
    [
        ({"ref": "refs/heads/main"}, "ref:refs/heads/main"),
        ({"ref": "refs/tags/v1.2.3"}, "ref:refs/tags/v1.2.3"),
        ({"ref": "refs/heads/main", "environment": "prod"}, "environment:prod"),
        ({"ref": "refs/pull/7/merge", "event": "pull_request"}, "pull_request"),
        ({"ref": "refs/pull/7/merge", "event": "pull_request", "environment": "pr"},
         "environment:pr"),
        ({"ref": "refs/heads/feat:x"}, "ref:refs/heads/feat%3Ax"),
        ({"environment": "a:b"}, "environment:a%3Ab"),
    ],
)  # fmt: skip
def test_context_precedence_and_encoding(kwargs: dict[str, str], context: str) -> None:
    assert subjects.context_for(**kwargs) == context


def test_forms() -> None:
    ctx = subjects.branch_context("main")
    assert subjects.subjects(REPO, [ctx], "legacy") == ["repo:octo-org/app:ref:refs/heads/main"]
    assert subjects.subjects(REPO, [ctx], "immutable") == [
        "repo:octo-org@123/app@456:ref:refs/heads/main"
    ]
    assert subjects.subjects(REPO, [ctx], "both") == [
        "repo:octo-org/app:ref:refs/heads/main",
        "repo:octo-org@123/app@456:ref:refs/heads/main",
    ]


def test_immutable_without_ids_is_refused() -> None:
    with pytest.raises(InputError, match="github_owner_id"):
        subjects.Repo("o", "r").prefix("immutable")


def test_unknown_format_and_missing_ref() -> None:
    with pytest.raises(InputError, match="subject_format"):
        subjects.forms("modern")
    with pytest.raises(InputError, match="ref"):
        subjects.context_for()
