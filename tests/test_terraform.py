from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oidcify import terraform
from oidcify.errors import InputError

AUD, SUB = "token.actions.githubusercontent.com:aud", "token.actions.githubusercontent.com:sub"
POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Condition": {
                "StringEquals": {
                    AUD: "sts.amazonaws.com",
                    SUB: ["repo:o/r:ref:refs/heads/main", "repo:o/r:pull_request"],
                }
            }
        },
        {
            "Condition": {
                "StringEquals": {AUD: "sts.amazonaws.com"},
                "StringLike": {SUB: "repo:o/r:ref:refs/tags/v*"},
            }
        },
    ],
}


def _plan(values: dict[str, Any]) -> dict[str, Any]:
    resource = {"address": terraform.ROLE_ADDRESS, "values": values}
    return {"planned_values": {"root_module": {"resources": [resource]}}}


def test_trust_policy_is_read_from_the_planned_role() -> None:
    plan = _plan({"assume_role_policy": json.dumps(POLICY)})
    assert terraform.trust_policy(plan) == POLICY


def test_a_policy_unknown_at_plan_time_is_refused() -> None:
    with pytest.raises(InputError, match="not known at plan time"):
        terraform.trust_policy(_plan({}))
    with pytest.raises(InputError, match=r"no resource aws_iam_role\.other"):
        terraform.trust_policy(_plan({}), "aws_iam_role.other")


def test_plugin_dir_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terraform, "CONVENTIONAL_PLUGIN_DIR", tmp_path / "absent")
    monkeypatch.delenv(terraform.PLUGIN_DIR_ENV, raising=False)
    assert terraform.plugin_dir() is None
    monkeypatch.setattr(terraform, "CONVENTIONAL_PLUGIN_DIR", tmp_path)
    assert terraform.plugin_dir() == tmp_path
    (tmp_path / "env").mkdir()
    monkeypatch.setenv(terraform.PLUGIN_DIR_ENV, str(tmp_path / "env"))
    assert terraform.plugin_dir() == tmp_path / "env"
    assert terraform.plugin_dir(tmp_path) == tmp_path
    with pytest.raises(InputError) as exc:
        terraform.plugin_dir(tmp_path / "missing")
    assert exc.value.field == "--plugin-dir"


@pytest.mark.slow
def test_fmt_check_lists_unformatted_files(terraform_bin: Path, tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text("locals {\n  a = 1\n}\n")
    assert terraform.fmt_check(terraform_bin, [tmp_path]).ok
    (tmp_path / "bad.tf").write_text("locals {\na    = 1\n}\n")
    step = terraform.fmt_check(terraform_bin, [tmp_path])
    assert not step.ok
    assert "bad.tf" in step.output and "good.tf" not in step.output


@pytest.mark.slow
def test_mock_plan_stops_at_the_first_failing_step(terraform_bin: Path, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "main.tf").write_text('resource "aws_iam_role" "x" {\n')  # unterminated block
    result = terraform.mock_plan(terraform_bin, config, tmp_path / "scratch")
    assert not result.ok and result.plan is None
    assert [step.name for step in result.steps] == ["init"]
    assert "main.tf" in result.steps[0].output
    assert sorted(p.name for p in config.iterdir()) == ["main.tf"]  # the user's dir is untouched
    # No `provider "aws"` block of its own: a whole mock provider, not an override.
    assert (tmp_path / "scratch" / terraform.STANDALONE_FILE).is_file()
    assert not (tmp_path / "scratch" / terraform.OVERRIDE_FILE).exists()


def test_a_configured_provider_is_overridden_not_duplicated(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "main.tf").write_text('provider "aws" {\n  region = "eu-west-1"\n}\n')
    terraform._scratch_copy(config, tmp_path / "scratch")
    assert sorted(p.name for p in (tmp_path / "scratch").iterdir()) == [
        "main.tf",
        terraform.OVERRIDE_FILE,
    ]
