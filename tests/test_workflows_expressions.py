"""Which secrets and contexts an expression reads: context names only where a path starts."""

from __future__ import annotations

import pytest

from oidcify.workflows import expressions
from oidcify.workflows.expressions import contexts, secret_of, secret_refs, whole_secrets


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("${{ secrets.aws_key }}", ["AWS_KEY"]),
        ("${{ secrets['B'] }}-${{ secrets . A }}-${{ secrets.b }}", ["B", "A"]),
        ("${{ format('{0}', secrets.K || secrets.L) }}", ["K", "L"]),
        # The tail of a step id, not the secrets context.
        ("${{ steps.wait-for-secrets.outputs.AWS_ACCESS_KEY_ID }}", []),
        ("${{ needs.get.outputs.my_secrets.X }}", []),
        # Outside ${{ }} it is text that GitHub never evaluates.
        ("echo secrets.AWS_KEY", []),
        (None, []),
    ],
)
def test_secret_refs(value: str | None, names: list[str]) -> None:
    assert secret_refs(value) == names


def test_contexts_start_at_a_path_root() -> None:
    assert contexts("${{ steps.wait-for-secrets.outputs.x }}") == {"steps"}
    assert contexts("${{ env.A }} ${{ secrets.B }}") == {"env", "secrets"}


def test_secret_of_needs_exactly_one_secret() -> None:
    assert secret_of("${{ secrets.KEY }}") == "KEY"
    assert secret_of(" ${{ secrets['KEY'] }} ") == "KEY"
    assert secret_of("${{ secrets.KEY }}x") is None


@pytest.mark.parametrize(
    ("value", "expression"),
    [
        ("${{ toJSON(secrets) }}", "toJSON(secrets)"),
        ("a ${{ secrets.A }} b ${{ secrets[matrix.name] }}", "secrets[matrix.name]"),
        (
            "${{ secrets[format('{0}_KEY', inputs.stage)] }}",
            "secrets[format('{0}_KEY', inputs.stage)]",
        ),
        ("${{ fromJSON(toJSON( secrets )).A }}", "fromJSON(toJSON( secrets )).A"),
        # Named secrets, other contexts, and text outside ${{ }} read no secret by a computed name.
        ("${{ secrets.A }}-${{ secrets [ 'B' ] }}", None),
        ("${{ steps.wait-for-secrets.outputs.done }}", None),
        ("${{ needs.get.outputs.my_secrets }}", None),
        ("echo $(toJSON secrets)", None),
    ],
)
def test_whole_secrets(value: str, expression: str | None) -> None:
    assert whole_secrets(value) == expression


def test_formatted_secret_names_are_their_format_strings() -> None:
    value = "${{ secrets[format('AWS_SECRET_ACCESS_KEY_{0}', matrix.env)] }} ${{ secrets.A }}"
    assert expressions.formatted_secrets(value) == ["AWS_SECRET_ACCESS_KEY_{0}"]
    assert expressions.formatted_secrets("${{ steps.secrets[format('x')] }}") == []
    assert expressions.formatted_secrets("format('AWS_KEY_{0}')") == []
