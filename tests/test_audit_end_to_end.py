"""The audit's main job, end to end against moto's server: render the template, `terraform
apply` its Terraform (provider endpoints pointed at the server), audit the account live and
from an export made by boto3 (the template's role is tight: no finding), and `terraform destroy`
leaves no role and no provider behind."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import boto3
import pytest

from audit_helpers import audit_json
from cases import BASE, render
from oidcify import terraform

pytestmark = pytest.mark.slow  # terraform and a moto_server process
ACCOUNT = "123456789012"  # moto's default account: the provider ARN the role trusts is real
OVERRIDE = """\
# Written by tests/test_audit_end_to_end.py: the AWS API is moto's server.
provider "aws" {{
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  skip_region_validation      = true
  endpoints {{
    iam = "{url}"
    sts = "{url}"
    ecr = "{url}"
  }}
}}
"""


def _tools() -> tuple[str, Path]:
    binary = shutil.which("terraform")
    plugins = terraform.plugin_dir()
    if binary is None:
        pytest.skip("terraform is not installed")
    if plugins is None:
        pytest.skip("the AWS provider plugin folder (/opt/tf-plugins) is absent")
    return binary, plugins


def _tf(binary: str, folder: Path, *args: str) -> None:
    done = subprocess.run(
        [binary, *args, "-no-color"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"terraform {args[0]}:\n{done.stdout}\n{done.stderr}"


def _iam(url: str) -> Any:
    return boto3.client("iam", endpoint_url=url, region_name="us-east-1")


def test_template_role_is_tight_and_destroy_leaves_nothing(
    aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary, plugins = _tools()
    answers = {**BASE, "aws_account_id": ACCOUNT, "aws_region": "us-east-1"}
    render(answers, tmp_path / "project")
    folder = next((tmp_path / "project").rglob("main.tf")).parent
    (folder / "moto_override.tf").write_text(OVERRIDE.format(url=aws_env), encoding="utf-8")
    _tf(binary, folder, "init", "-backend=false", "-input=false", f"-plugin-dir={plugins}")
    _tf(binary, folder, "apply", "-auto-approve", "-input=false")
    roles = _iam(aws_env).list_roles()["Roles"]
    assert len(roles) == 1

    code, data = audit_json(capsys, "--endpoint-url", aws_env)
    assert (code, data["github_roles"], data["findings"]) == (0, 1, [])

    export = {
        "RoleDetailList": _iam(aws_env).get_account_authorization_details(Filter=["Role"])[
            "RoleDetailList"
        ]
    }
    (tmp_path / "export.json").write_text(json.dumps(export, default=str))
    code, data = audit_json(capsys, "--from", str(tmp_path / "export.json"))
    assert (code, data["github_roles"], data["findings"]) == (0, 1, [])

    _tf(binary, folder, "destroy", "-auto-approve", "-input=false")
    iam = _iam(aws_env)
    assert iam.list_roles()["Roles"] == []
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    ecr = boto3.client("ecr", endpoint_url=aws_env, region_name="us-east-1")
    assert ecr.describe_repositories()["repositories"] == []
    code, data = audit_json(capsys, "--endpoint-url", aws_env)
    assert (code, data["roles"], data["findings"]) == (0, 0, [])
