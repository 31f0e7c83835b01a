"""``--role-input`` on the shapes ``on.workflow_call`` takes (``retrofit.fix_role_input``)."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from oidcify.retrofit import Options, retrofit_texts

JOB = """jobs:
  d:
    runs-on: x
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.K }}
          aws-secret-access-key: ${{ secrets.S }}
          aws-region: eu-west-1
"""
OPTIONS = Options(role_arn="arn:aws:iam::123456789012:role/x", role_input=True)
DECLARED = {
    "description": "IAM role ARN this workflow assumes with GitHub's OIDC token",
    "type": "string",
    "required": True,
}


@pytest.mark.parametrize(
    ("on", "inputs"),
    [
        ("on:\n  workflow_call:\n", {"role-to-assume": DECLARED}),
        ("on:\n    workflow_call: # shared\n", {"role-to-assume": DECLARED}),
        (
            "on:\n  workflow_call:\n    inputs:\n      x:\n        type: string\n",
            {"x": {"type": "string"}, "role-to-assume": DECLARED},
        ),
    ],
)
def test_the_input_is_declared_and_assumed(on: str, inputs: dict[str, object]) -> None:
    (result,) = retrofit_texts({".github/workflows/a.yml": on + JOB}, OPTIONS).files
    assert result.new is not None
    data = YAML(typ="safe", pure=True).load(result.new)
    assert data["on"]["workflow_call"]["inputs"] == inputs
    step = data["jobs"]["d"]["steps"][0]["with"]
    assert step["role-to-assume"] == "${{ inputs.role-to-assume }}"
    assert "OR009" in [f.code for f in result.fixes]
    assert not retrofit_texts({".github/workflows/a.yml": result.new}, OPTIONS).changed


@pytest.mark.parametrize(
    "on",
    [
        "on: workflow_call\n",
        "on: [workflow_call]\n",
        "on:\n  workflow_call: {}\n",
        "on:\n  workflow_call: ~\n",
        "on:\n  workflow_call:\n    inputs: {}\n",
    ],
)
def test_shapes_that_cannot_take_an_input_keep_the_role_and_say_so(on: str) -> None:
    (result,) = retrofit_texts({".github/workflows/a.yml": on + JOB}, OPTIONS).files
    assert (
        result.new is not None and "role-to-assume: arn:aws:iam::123456789012:role/x" in result.new
    )
    assert result.new.startswith(on)
    (warning,) = [w for w in result.warnings if w.code == "OW011"]
    assert "declare the input role-to-assume by hand" in warning.message
