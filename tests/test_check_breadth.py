"""``oidcify.check.breadth``: what one repository-naming value lets in, read on its own."""

from __future__ import annotations

import pytest

from oidcify.check.breadth import breadth, claim_breadth


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("repo:octo-org/app:ref:refs/heads/main", None),
        ("repo:octo-org/app:ref:refs/heads/*", None),
        ("repo:octo-org@1/app@2:environment:prod", None),
        ("repo:octo-org/app:*", ("warning", "every branch, tag, environment and pull request")),
        ("repo:octo-org/app*", ("error", "every repository of octo-org matching 'app*'")),
        ("repo:octo-org/*", ("error", "every repository of octo-org matching '*'")),
        ("repo:octo-*/app:environment:prod", ("error", "repositories of any owner matching")),
        ("repo:*@123/app@456:ref:refs/heads/main", ("error", "any repository on GitHub")),
        ("*", ("error", "any repository on GitHub")),
    ],
)
def test_sub_breadth(value: str, expected: tuple[str, str] | None) -> None:
    found = breadth(value)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found[0], found[1][: len(expected[1])]) == expected


def test_wildcards_are_text_under_string_equals() -> None:
    assert breadth("repo:octo-org/*", like=False) is None


@pytest.mark.parametrize(
    ("claim", "value", "expected"),
    [
        ("repository", "octo-org/app", None),
        ("repository", "octo-org/app*", "every repository of octo-org"),
        ("repository", "*/app", "any repository on GitHub"),
        ("workflow_ref", "octo-org/app/.github/workflows/*", None),
        ("repository_owner", "octo-*", "any repository on GitHub"),
    ],
)
def test_claim_breadth(claim: str, value: str, expected: str | None) -> None:
    found = claim_breadth(claim, value, like=True, ignore_case=False)
    assert (found or "")[: len(expected or "")] == (expected or "")
    assert (found is None) == (expected is None)
