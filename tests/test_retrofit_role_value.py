"""Roles as literal ARNs or GitHub expressions (``oidcify.retrofit.role_value``)."""

from __future__ import annotations

import pytest

from oidcify.errors import InputError
from oidcify.retrofit.role_value import Reference, reference, require, session_name, to_define

ARN = "arn:aws:iam::123456789012:role/gha"


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("${{ vars.AWS_ROLE_ARN }}", Reference("variable", "AWS_ROLE_ARN")),
        ("${{secrets.role-arn}}", Reference("secret", "role-arn")),
        ("  ${{ inputs.role-to-assume }} ", Reference("input", "role-to-assume")),
        ("${{ needs.setup.outputs.role }}", Reference("output", "role", "setup")),
    ],
)
def test_allowed_shapes(value: str, found: Reference) -> None:
    assert reference(value) == found
    assert require(value, "--role-arn") == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        "${{ vars.A || vars.B }}",
        "${{ github.token }}",
        "${{ env.ROLE }}",
        "${{ vars.A }}${{ vars.B }}",
        "${{ needs.x.result }}",
        "${{ vars['A'] }}",
        "${{ vars.1A }}",
        "${{ format('{0}', vars.A) }}",
    ],
)
def test_other_expressions_are_refused_naming_the_field(value: str) -> None:
    with pytest.raises(InputError) as err:
        require(value, "--role-arn")
    assert str(err.value).startswith(f"--role-arn: {value!r} is not a role; allowed: ")
    assert "${{ vars.NAME }}" in str(err.value)  # the braces are not eaten by str.format


def test_literal_arns_keep_their_rules() -> None:
    assert require(ARN, "x") == ARN
    with pytest.raises(InputError, match="is not valid"):
        require("arn:aws:iam::1:role/x", "x")


def test_what_to_define() -> None:
    assert to_define([ARN, None, "${{ vars.R }}", "${{ vars.R }}", "${{ secrets.S }}"]) == [
        "define the Actions variable R (the role ARN)",
        "define the Actions secret S (the role ARN)",
    ]


@pytest.mark.parametrize("good", ["gha", "gha-${{ github.run_id }}-${{ github.run_attempt }}"])
def test_session_names(good: str) -> None:
    assert session_name(good, "--role-session-name") == good


@pytest.mark.parametrize("bad", ["", "has space", "${{ github.head_ref }}", "x-${{ vars.A }}"])
def test_bad_session_names(bad: str) -> None:
    with pytest.raises(InputError, match="--role-session-name"):
        session_name(bad, "--role-session-name")
