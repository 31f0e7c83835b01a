"""Checks of a batch's roles before it runs (``oidcify.batch.role_checks``)."""

from __future__ import annotations

import pytest

from oidcify.batch.role_checks import check_named, shown
from oidcify.batch.roles import Row
from oidcify.errors import InputError

ARN = "arn:aws:iam::123456789012:role/a"


def test_trust_out_needs_a_name_for_every_expression_role() -> None:
    check_named(ARN, None, (), {})
    check_named("${{ vars.R }}", "gha-{repo}", (), {})
    with pytest.raises(InputError, match=r"^--role-name: --role-arn \$\{\{ vars.R \}\} names no"):
        check_named("${{ vars.R }}", None, (), {})
    with pytest.raises(InputError, match=r"^--role-for job:x: \$\{\{ vars.J \}\} names no role"):
        check_named(ARN, None, (("job:x", "${{ vars.J }}"),), {})
    row = Row(None, None, "roles.csv:3", (("environment:dev", "${{ vars.D }}"),))
    with pytest.raises(InputError, match=r"^roles.csv:3: role_arn: \$\{\{ vars.D \}\} names"):
        check_named(ARN, None, (), {"o/r": row})


def test_rows_are_shown_with_their_selectors() -> None:
    assert shown(Row(ARN, "eu-west-1", "f:2")) == f"{ARN} in eu-west-1"
    assert shown(Row(None, None, "f:2", (("job:x", ARN),))) == f"no default role, job:x={ARN}"
