"""``--role-for SELECTOR=ROLE`` and ``[roles]`` (``oidcify.retrofit.selectors``)."""

from __future__ import annotations

import pytest

from oidcify.errors import InputError
from oidcify.retrofit.selectors import choose, merged, parse_flag, parse_table

A, B, C, D = (f"arn:aws:iam::123456789012:role/{n}" for n in "abcd")


def test_most_specific_wins() -> None:
    mapping = merged(
        [parse_flag(f"environment:prod={A}"), parse_flag(f"secret:aws_key={B}")],
        [parse_flag(f"job:deploy={C}")],
    )
    assert choose(mapping, D, job="deploy", secret="AWS_KEY", environment="prod") == C
    assert choose(mapping, D, job="other", secret="aws_key", environment="prod") == B
    assert choose(mapping, D, job="other", secret="OTHER", environment="prod") == A
    assert choose(mapping, D, job="other", secret=None, environment="dev") == D
    assert choose((), D, job="deploy", secret=None, environment=None) == D


def test_first_mapping_wins_for_one_selector() -> None:
    mapping = merged([parse_flag(f"job:x={A}")], parse_table({"job:x": B}, "f"))
    assert choose(mapping, D, job="x", secret=None, environment=None) == A


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (f"job:x{A}", "--role-for: 'job:x" + A + "': expected SELECTOR=ROLE"),
        (f"repo:x={A}", "--role-for: 'repo:x' is not a selector; allowed: environment:NAME"),
        (f"job:={A}", "--role-for: 'job:' is not a selector"),
        ("job:x=${{ vars.A }}x", "--role-for: '${{ vars.A }}x' is not a role"),
    ],
)
def test_bad_flags(value: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_flag(value)
    assert str(err.value).startswith(message)


def test_table_values_must_be_roles() -> None:
    with pytest.raises(InputError, match=r"^f: job:x: expected a string"):
        parse_table({"job:x": 3}, "f")
