"""Pattern intersection: exact, and a witness both patterns match."""

from __future__ import annotations

import pytest

from oidcify.check import patterns
from oidcify.iam import wildcards


def like(value: str) -> patterns.Pattern:
    return patterns.tokens(value, like=True)


@pytest.mark.parametrize(
    ("a", "b", "meet"),
    [
        (like("repo:o/r:ref:refs/heads/*"), patterns.literal("repo:o/r:ref:refs/heads/main"), True),
        (like("repo:o/r:ref:refs/tags/v*"), like("repo:o/r:ref:refs/tags/*"), True),
        (like("repo:o/r:ref:refs/heads/main"), like("repo:o/r:pull_request"), False),
        (like("a*b"), like("*c*"), True),
        (like("a?c"), like("ab*"), True),
        (like("a?c"), like("abd*"), False),
        (like("repo:${aws:x}/r:*"), patterns.literal("repo:z/r:pull_request"), True),
        (like("x${*}y"), patterns.literal("x*y"), True),
        # A job's subject never holds '*' itself: a StringEquals value with a star is unreachable
        (patterns.subject("repo:o/r:ref:refs/heads/release/*"),
         patterns.tokens("repo:o/r:ref:refs/heads/release/*", like=False), False),
        (patterns.subject("repo:o/r:ref:refs/heads/release/*"),
         like("repo:o/r:ref:refs/heads/release/*"), True),
    ],
)  # fmt: skip
def test_witness(a: patterns.Pattern, b: patterns.Pattern, meet: bool) -> None:
    found = patterns.witness(a, b)
    assert (found is not None) is meet
    if found is not None and patterns.NAME_STAR not in a and patterns.NAME_STAR not in b:
        for side in (a, b):  # the witness really matches both, by IAM's own matcher
            text = "".join("*" if t == patterns.STAR else "?" if t == patterns.ANY else t
                           for t in side)  # fmt: skip
            assert wildcards.like(text, found) or "$" in text


def test_ignore_case_and_instances() -> None:
    upper = patterns.tokens("REPO:O/*", like=True, ignore_case=True)
    lower = patterns.tokens("repo:o/r", like=False, ignore_case=True)
    assert patterns.witness(upper, lower) == "repo:o/r"
    assert patterns.instance(like("ref:refs/tags/v*")) == "ref:refs/tags/vexample"
    assert not patterns.is_exact(like("a*")) and patterns.is_exact(like("a"))
