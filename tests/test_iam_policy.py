"""Parsing trust policies: accepted shapes, normalisation, and clear refusals."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from oidcify.errors import InputError
from oidcify.iam import parse_policy

PROVIDER = "arn:aws:iam::012345678901:oidc-provider/token.actions.githubusercontent.com"
DOC: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "GitHubDeploy",
            "Effect": "Allow",
            "Principal": {"Federated": PROVIDER},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {
                    "token.actions.githubusercontent.com:sub": [
                        "repo:o/r:ref:refs/heads/main",
                        "repo:o/r:ref:refs/tags/v*",
                    ]
                },
            },
        }
    ],
}
TERRAFORM_BLOCKS: dict[str, Any] = {
    "statement": [
        {
            "sid": "GitHubDeploy",
            "actions": ["sts:AssumeRoleWithWebIdentity"],
            "principals": [{"type": "Federated", "identifiers": [PROVIDER]}],
            "condition": [
                {"test": "StringEquals", "variable": "token.actions.githubusercontent.com:aud",
                 "values": ["sts.amazonaws.com"]},
                {"test": "StringLike", "variable": "token.actions.githubusercontent.com:sub",
                 "values": ["repo:o/r:ref:refs/heads/main"]},
                {"test": "StringLike", "variable": "token.actions.githubusercontent.com:sub",
                 "values": ["repo:o/r:ref:refs/tags/v*"]},
            ],
        }
    ]
}  # fmt: skip


def _shape(policy_text: str) -> tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]]:
    policy = parse_policy(policy_text)
    (statement,) = policy.statements
    return policy.version, tuple((c.operator.name, c.key, c.values) for c in statement.conditions)


EXPECTED = _shape(json.dumps(DOC))


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"Role": {"RoleName": "gha", "AssumeRolePolicyDocument": DOC}}),
        json.dumps({"Role": {"AssumeRolePolicyDocument": quote(json.dumps(DOC))}}),
        json.dumps({"AssumeRolePolicyDocument": DOC}),
        quote(json.dumps(DOC)),
        json.dumps({"assume_role_policy": json.dumps(DOC)}),
        json.dumps({"json": json.dumps(DOC), **TERRAFORM_BLOCKS}),
        json.dumps(TERRAFORM_BLOCKS),
        json.dumps({"data": {"aws_iam_policy_document": {"trust": TERRAFORM_BLOCKS}}}),
        json.dumps({"data": {"aws_iam_policy_document": {"trust": [TERRAFORM_BLOCKS]}}}),
    ],
    ids=["get-role", "get-role-urlencoded", "role", "urlencoded", "tf-role", "tf-json",
         "tf-blocks", "tf-json-data", "tf-json-data-list"],
)  # fmt: skip
def test_every_wrapper_gives_the_same_policy(text: str) -> None:
    assert _shape(text) == EXPECTED


def test_terraform_merges_condition_blocks_on_one_variable_into_an_or() -> None:
    policy = parse_policy(TERRAFORM_BLOCKS)
    subs = [v for _, _, v in policy.condition_values("token.actions.githubusercontent.com:SUB")]
    assert subs == ["repo:o/r:ref:refs/heads/main", "repo:o/r:ref:refs/tags/v*"]
    assert len(policy.statements[0].conditions) == 2


def test_terraform_wildcard_principal_and_default_effect() -> None:
    policy = parse_policy(
        {
            "statement": {
                "actions": "sts:AssumeRole",
                "principals": {"type": "*", "identifiers": "*"},
            }
        }
    )
    (statement,) = policy.statements
    assert statement.effect == "Allow"
    assert statement.principals == {"*": ("*",)}
    assert policy.version == "2012-10-17"


def test_normalised_fields_for_check() -> None:
    policy = parse_policy(DOC)
    (statement,) = policy.statements
    assert statement.label == "GitHubDeploy"
    assert statement.actions == ("sts:AssumeRoleWithWebIdentity",)
    assert policy.principal_identifiers("Federated") == [PROVIDER]
    assert policy.variables
    assert [c.claim for _, c in policy.conditions("Allow")] == ["aud", "sub"]
    assert list(policy.conditions("Deny")) == []


def test_single_statement_object_and_old_version() -> None:
    doc = {"Statement": {**DOC["Statement"][0], "Sid": None}}
    policy = parse_policy(doc)
    assert policy.version == "2008-10-17"
    assert not policy.variables
    assert policy.statements[0].label == "Statement[0]"


def test_bool_and_numbers_become_strings() -> None:
    statement = {**DOC["Statement"][0], "Condition": {"Bool": {"aws:SecureTransport": True},
                                                       "StringEquals": {"k": 12}}}  # fmt: skip
    policy = parse_policy({"Version": "2012-10-17", "Statement": [statement]})
    assert [c.values for c in policy.statements[0].conditions] == [("true",), ("12",)]


def _statement(**changes: Any) -> dict[str, Any]:
    statement = {**DOC["Statement"][0], **changes}
    return {
        "Version": "2012-10-17",
        "Statement": [{k: v for k, v in statement.items() if v != "-"}],
    }


@pytest.mark.parametrize(
    ("doc", "field", "message"),
    [
        (_statement(Effect="allow"), "Statement[0].Effect", "'Allow' or 'Deny'"),
        (_statement(Effect="-"), "Statement[0].Effect", "'Allow' or 'Deny'"),
        (_statement(Principal="-"), "Statement[0]", "needs a Principal"),
        (_statement(Principal="-", NotPrincipal={"AWS": "arn:aws:iam::111111111111:root"}),
         "Statement[0].NotPrincipal", "IAM does not accept NotPrincipal in a role trust policy"),
        (_statement(NotPrincipal={"Federated": PROVIDER}), "Statement[0].NotPrincipal",
         "IAM does not accept NotPrincipal"),
        (_statement(NotAction="sts:*"), "Statement[0]", "exactly one of Action and NotAction"),
        (_statement(Resource="*"), "Statement[0]", "IAM refuses it in a trust policy"),
        (_statement(Principal={"Federate": PROVIDER}), "Statement[0].Principal", "'Federate'"),
        (_statement(Action=[]), "Statement[0].Action", "non-empty"),
        (_statement(Condition={"StringEquals": {"k": []}}), "Statement[0].Condition.StringEquals.k",
         "at least one value"),
        (_statement(Condition={"StringEquals": {"k": {"x": 1}}}),
         "Statement[0].Condition.StringEquals.k", "strings, numbers or booleans"),
        (_statement(Condition={"Null": {"k": "yes"}}), "Statement[0].Condition.Null.k",
         "'true' or 'false'"),
        (_statement(Condition={"StringLikeIfExist": {"k": "v"}}),
         "Statement[0].Condition.StringLikeIfExist", "unknown condition operator"),
        (_statement(Condition={"StringEquals": {"aws:SourceIp": "a", "AWS:sourceip": "b"}}),
         "Statement[0].Condition.StringEquals", "differ only in case"),
        ({"Version": "2012-10-18", "Statement": DOC["Statement"]}, "Version", "2012-10-17"),
        ({"Version": "2012-10-17", "Id": 5, "Statement": DOC["Statement"]}, "Id", "a string"),
        ({"Version": "2012-10-17", "Statement": []}, "Statement", "at least one"),
        ({"Version": "2012-10-17", "Statement": DOC["Statement"], "Extra": 1}, "policy",
         "'Extra'"),
    ],
)  # fmt: skip
def test_malformed_policies_name_the_element(doc: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_policy(json.dumps(doc))
    assert exc.value.field == field
    assert message in exc.value.message


def test_origin_prefixes_the_field() -> None:
    with pytest.raises(InputError) as exc:
        parse_policy(json.dumps(_statement(Effect="allow")), origin="trust.json")
    assert str(exc.value).startswith("trust.json at Statement[0].Effect: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"Statement": [', "not valid JSON at line 1, column 16"),
        ("[1, 2]", "expected a JSON object"),
        ('{"Role": {"RoleName": "x"}}', "no policy found"),
        ('{"data": {"aws_iam_policy_document": {"a": {}, "b": {}}}}', "found: a, b"),
        ('{"statement": [], "source_policy_documents": ["{}"]}', "cannot be resolved offline"),
        ('{"statement": [{"principals": [{"type": "AWS"}]}]}', "'type' and 'identifiers'"),
    ],
)
def test_unreadable_inputs(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_policy(text, origin="trust.json")


def test_duplicate_json_keys_are_refused_with_their_path() -> None:
    text = """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"Federated": "x"}, "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringLike": {"k": "repo:o/r:*"}, "StringLike": {"k": "repo:o/*"}}}]}"""
    with pytest.raises(InputError) as exc:
        parse_policy(text, origin="trust.json")
    assert exc.value.field == "trust.json"
    assert "duplicate JSON key 'StringLike' in Statement[0].Condition" in exc.value.message


def test_duplicate_keys_inside_an_embedded_policy_string_are_refused() -> None:
    inner = '{"Version": "2012-10-17", "Version": "2008-10-17", "Statement": []}'
    with pytest.raises(InputError, match="duplicate JSON key 'Version' at the top level"):
        parse_policy(json.dumps({"Role": {"AssumeRolePolicyDocument": quote(inner)}}))


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 5_000 + "1" + "}" * 5_000])
def test_json_nested_past_the_stack_is_refused(text: str) -> None:
    with pytest.raises(InputError) as err:
        parse_policy(text, origin="deep.json")
    assert "nested too deeply" in str(err.value)
