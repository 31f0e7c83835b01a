"""What a batch worker learns about a checkout before retrofitting it (``oidcify.batch.worker``):
here, the repository id the template's answers give."""

from __future__ import annotations

from typing import Any

import pytest

from oidcify.batch.worker import repository_id

ANSWERS = {"github_owner": "Octo", "github_repo": "App", "github_repo_id": "4242"}


@pytest.mark.parametrize(
    ("repo", "answers", "expected"),
    [
        (("octo", "app"), ANSWERS, "4242"),  # GitHub names ignore case
        (("octo", "app"), {**ANSWERS, "github_repo_id": 4242}, "4242"),  # YAML read it as a number
        (("octo", "other"), ANSWERS, None),  # the answers describe another repository
        (None, ANSWERS, None),
        (("octo", "app"), {**ANSWERS, "github_repo_id": ""}, None),  # the template's "unknown"
        (("octo", "app"), {**ANSWERS, "github_repo_id": "0"}, None),
        (("octo", "app"), {**ANSWERS, "github_repo_id": True}, None),
        (("octo", "app"), {"github_repo_id": "4242"}, None),  # whose id is unsaid
        (("octo", "app"), {}, None),
    ],
)
def test_repository_id_from_the_answers(
    repo: tuple[str, str] | None, answers: dict[str, Any], expected: str | None
) -> None:
    assert repository_id(repo, answers) == expected
