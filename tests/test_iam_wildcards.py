"""``oidcify.iam.wildcards``: the one-pass test of many values agrees with testing each."""

from __future__ import annotations

import itertools

import pytest

from oidcify.iam import wildcards

PATTERNS = ("repo:*:ref:refs/heads/main", "repo:o/r:*", "repo:o/r?", "*", "a*b*c", "exact",
            "*x", "x*", "?", "r.p", "", "repo:o/r:ref:refs/heads/*-rc?")  # fmt: skip
VALUES = ("repo:o/r:ref:refs/heads/main", "repo:o/r:pull_request", "repo:o/rx", "abc", "aXbYc",
          "exact", "EXACT", "x", "xx", "rxp", "", "repo:o/r:ref:refs/heads/v1-rc1",
          "a\nb\nc")  # fmt: skip


@pytest.mark.parametrize("like", [True, False])
@pytest.mark.parametrize("ignore_case", [True, False])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_any_matches_agrees_with_matching_each(like: bool, ignore_case: bool, size: int) -> None:
    for patterns in itertools.combinations(PATTERNS, size):
        for value in VALUES:
            each = any(wildcards.matches(p, value, like=like, ignore_case=ignore_case)
                       for p in patterns)  # fmt: skip
            together = wildcards.any_matches(patterns, value, like=like,
                                             ignore_case=ignore_case, variables=False)  # fmt: skip
            assert together == each, (patterns, value)


def test_a_variable_is_a_maybe_when_variables_are_in_force() -> None:
    patterns = ("repo:${aws:username}:*",)
    assert wildcards.any_matches(patterns, "nothing alike", like=True, ignore_case=False,
                                 variables=True)  # fmt: skip
    assert not wildcards.any_matches(patterns, "nothing alike", like=True, ignore_case=False,
                                     variables=False)  # fmt: skip
