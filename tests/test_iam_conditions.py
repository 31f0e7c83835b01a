"""IAM condition semantics, one operator at a time (IAM User Guide, "Condition operators")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oidcify.errors import InputError
from oidcify.iam.conditions import (
    Condition,
    evaluate_condition,
    normalize_context,
    parse_operator,
)

KEY = "token.actions.githubusercontent.com:sub"


def holds(
    operator: str,
    values: list[str],
    context: dict[str, str | list[str]],
    key: str = KEY,
    *,
    variables: bool = True,
) -> bool:
    cond = Condition(parse_operator(operator, "test"), key, tuple(values))
    return evaluate_condition(cond, normalize_context(context), variables=variables).held


@pytest.mark.parametrize(
    ("operator", "values", "value", "expected"),
    [
        ("StringEquals", ["repo:o/r:ref:refs/heads/main"], "repo:o/r:ref:refs/heads/main", True),
        ("StringEquals", ["repo:o/r:ref:refs/heads/main"], "repo:o/r:ref:refs/heads/Main", False),
        ("StringEquals", ["repo:o/r:*"], "repo:o/r:ref:refs/heads/main", False),
        ("StringEquals", ["repo:o/r:*"], "repo:o/r:*", True),
        ("StringEquals", ["a", "b"], "b", True),
        ("StringNotEquals", ["a", "b"], "b", False),
        ("StringNotEquals", ["a", "b"], "c", True),
        ("StringEqualsIgnoreCase", ["REPO:O/R"], "repo:o/r", True),
        ("StringNotEqualsIgnoreCase", ["REPO:O/R"], "repo:o/r", False),
        ("StringNotEqualsIgnoreCase", ["REPO:O/R"], "repo:o/x", True),
        ("StringLike", ["repo:o/r:*"], "repo:o/r:ref:refs/heads/main", True),
        ("StringLike", ["repo:o/app*"], "repo:o/app-evil", True),
        ("StringLike", ["repo:o/app:*"], "repo:o/app-evil:ref:refs/heads/main", False),
        ("StringLike", ["repo:o/r:ref:refs/tags/v?"], "repo:o/r:ref:refs/tags/v1", True),
        ("StringLike", ["repo:o/r:ref:refs/tags/v?"], "repo:o/r:ref:refs/tags/v10", False),
        ("StringLike", ["REPO:o/r:*"], "repo:o/r:x", False),
        ("StringLike", ["a.c"], "abc", False),
        ("StringNotLike", ["repo:o/r:*"], "repo:o/r:pull_request", False),
        ("StringNotLike", ["repo:o/r:*"], "repo:x/r:pull_request", True),
        ("Bool", ["true"], "TRUE", True),
        ("Bool", ["false"], "true", False),
    ],
)  # fmt: skip
def test_single_valued_operators(
    operator: str, values: list[str], value: str, expected: bool
) -> None:
    assert holds(operator, values, {KEY: value}) is expected


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("StringEquals", False),
        ("StringLike", False),
        ("StringEqualsIgnoreCase", False),
        ("StringNotEquals", True),
        ("StringNotLike", True),
        ("StringNotEqualsIgnoreCase", True),
        ("StringEqualsIfExists", True),
        ("StringNotEqualsIfExists", True),
        ("ForAllValues:StringEquals", True),
        ("ForAllValues:StringLike", True),
        ("ForAnyValue:StringEquals", False),
        ("ForAnyValue:StringNotEquals", False),
        ("Bool", False),
    ],
)
def test_missing_key(operator: str, expected: bool) -> None:
    assert holds(operator, ["x"], {"other:key": "x"}) is expected


def test_empty_list_counts_as_missing() -> None:
    assert holds("ForAllValues:StringEquals", ["x"], {KEY: []}) is True
    assert holds("ForAnyValue:StringEquals", ["x"], {KEY: []}) is False
    assert holds("StringEquals", ["x"], {KEY: []}) is False


def test_if_exists_still_checks_a_present_key() -> None:
    assert holds("StringEqualsIfExists", ["a"], {KEY: "b"}) is False
    assert holds("StringLikeIfExists", ["a*"], {KEY: "ab"}) is True


@pytest.mark.parametrize(
    ("operator", "values", "request_values", "expected"),
    [
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "b"], True),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "c"], False),
        ("ForAnyValue:StringEquals", ["a", "b"], ["c", "b"], True),
        ("ForAnyValue:StringEquals", ["a", "b"], ["c", "d"], False),
        ("ForAllValues:StringNotLike", ["key1*"], ["key2:x", "key3"], True),
        ("ForAllValues:StringNotLike", ["key1*"], ["key1:x", "key3"], False),
        ("ForAnyValue:StringNotEquals", ["a"], ["a", "b"], True),
        ("ForAnyValue:StringNotEquals", ["a"], ["a"], False),
        # No qualifier on a multi-valued key: positive means "any", negated means "none".
        ("StringEquals", ["a"], ["b", "a"], True),
        ("StringNotEquals", ["a"], ["b", "a"], False),
    ],
)  # fmt: skip
def test_multi_valued_keys(
    operator: str, values: list[str], request_values: list[str], expected: bool
) -> None:
    assert holds(operator, values, {KEY: request_values}) is expected


@pytest.mark.parametrize(
    ("values", "present", "expected"),
    [(["true"], False, True), (["true"], True, False), (["false"], True, True),
     (["false"], False, False), (["true", "false"], True, True)],
)  # fmt: skip
def test_null(values: list[str], present: bool, expected: bool) -> None:
    context: dict[str, str | list[str]] = {KEY: "x"} if present else {}
    assert holds("Null", values, context) is expected


def test_key_names_are_case_insensitive_values_are_not() -> None:
    assert holds("StringEquals", ["v"], {"Token.Actions.GitHubUserContent.com:SUB": "v"})
    assert holds("StringEquals", ["v"], {KEY: "v"}, key="TOKEN.actions.githubusercontent.com:Sub")
    assert not holds("StringEquals", ["v"], {KEY: "V"})


def test_policy_variables() -> None:
    ctx: dict[str, str | list[str]] = {KEY: "repo:o/r:ref:refs/heads/main", "aws:userid": "o"}
    assert holds("StringLike", ["repo:${aws:userid}/*"], ctx)
    assert holds("StringEquals", ["repo:${AWS:UserId}/r:ref:refs/heads/main"], ctx)
    assert not holds("StringLike", ["repo:${aws:userid}/*"], ctx, variables=False)
    # a missing variable without default cannot be resolved: the condition fails
    assert not holds("StringLike", ["repo:${aws:username}/*"], ctx)
    assert not holds("StringNotLike", ["repo:${aws:username}/*"], ctx)
    assert holds("StringLike", ["repo:${aws:username, 'o'}/*"], ctx)


def test_escaped_wildcards_are_literal_under_string_like() -> None:
    assert holds("StringLike", ["a${*}"], {KEY: "a*"})
    assert not holds("StringLike", ["a${*}"], {KEY: "ab"})
    assert holds("StringLike", ["a${?}b"], {KEY: "a?b"})
    assert not holds("StringLike", ["a${?}b"], {KEY: "axb"})


def test_wildcard_under_string_equals_explains_itself() -> None:
    cond = Condition(parse_operator("StringEquals", "t"), KEY, ("repo:o/r:*",))
    result = evaluate_condition(cond, normalize_context({KEY: "repo:o/r:ref:refs/heads/main"}))
    assert not result.held
    assert "literal under StringEquals" in result.reason
    assert result.reason.startswith("sub 'repo:o/r:ref:refs/heads/main' does not match")


def test_reason_names_claim_values_and_operator() -> None:
    cond = Condition(parse_operator("StringEquals", "t"), KEY, ("repo:o/r:ref:refs/heads/main",))
    result = evaluate_condition(cond, normalize_context({KEY: "repo:o/r:environment:prod"}))
    assert result.reason == (
        "sub 'repo:o/r:environment:prod' does not match 'repo:o/r:ref:refs/heads/main' "
        "(StringEquals)"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("StringEqualz", "unknown condition operator"),
        ("stringequals", "did you mean StringEquals?"),
        ("NumericLessThan", "does not evaluate"),
        ("ArnLike", "does not evaluate"),
        ("ForEveryValue:StringEquals", "not a set operator"),
        ("NullIfExists", "Null takes neither"),
        ("ForAnyValue:Null", "Null takes neither"),
    ],
)
def test_bad_operators_are_refused(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as exc:
        parse_operator(name, "Statement[0].Condition")
    assert exc.value.field == "Statement[0].Condition"


_text = st.text(alphabet="abcAB:/-_.", max_size=12)


@given(_text, _text)
def test_like_without_wildcards_is_equals(pattern: str, value: str) -> None:
    ctx: dict[str, str | list[str]] = {KEY: value}
    assert holds("StringLike", [pattern], ctx) == holds("StringEquals", [pattern], ctx)


@given(_text, _text)
def test_negated_operator_is_the_complement_for_a_present_single_value(
    pattern: str, value: str
) -> None:
    ctx: dict[str, str | list[str]] = {KEY: value}
    assert holds("StringNotEquals", [pattern], ctx) != holds("StringEquals", [pattern], ctx)
    assert holds("StringNotLike", [pattern + "*"], ctx) != holds("StringLike", [pattern + "*"], ctx)


@given(st.lists(_text, max_size=3), st.lists(_text, min_size=1, max_size=3))
def test_for_all_values_is_subset(request_values: list[str], allowed: list[str]) -> None:
    expected = set(request_values) <= set(allowed)
    assert holds("ForAllValues:StringEquals", allowed, {KEY: request_values}) is expected


@pytest.mark.parametrize(
    ("name", "lists"),
    [("StringEquals", True), ("StringLike", True), ("ForAnyValue:StringLike", True),
     ("StringNotEquals", False), ("StringNotLikeIfExists", False), ("Null", False)],
)  # fmt: skip
def test_an_operator_lists_what_it_admits_unless_negated_or_null(name: str, lists: bool) -> None:
    assert parse_operator(name, "Condition").lists_admitted is lists
