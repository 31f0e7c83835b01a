"""``--accounts`` with ``--assume-role``: each account is read through a role assumed in it,
against moto's server with its credential and policy checks on; an account whose role cannot be
assumed or used is reported (exit code 3) while the others are audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from audit_helpers import audit, github_trust, tight
from aws_local import enforced_auth

pytestmark = pytest.mark.slow  # a moto_server process

CALLER = "123456789012"  # moto's default account, where the auditor user lives
GOOD, ALSO, MISSING = "222233334444", "555566667777", "333344445555"


def _client(endpoint: str, service: str, credentials: dict[str, str] | None = None) -> Any:
    keys = {}
    if credentials:
        keys = {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **keys)


def _account(endpoint: str, account: str, roles: dict[str, Any]) -> None:
    """An account with the audit role (read-only IAM) and ``roles``."""
    sts = _client(endpoint, "sts")
    arn = f"arn:aws:iam::{account}:role/audit"
    creds = sts.assume_role(RoleArn=arn, RoleSessionName="setup")["Credentials"]
    iam = _client(endpoint, "iam", creds)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"AWS": f"arn:aws:iam::{CALLER}:root"},
            }
        ],
    }
    iam.create_role(RoleName="audit", AssumeRolePolicyDocument=json.dumps(trust))
    read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Resource": "*",
                "Action": ["iam:GetAccountAuthorizationDetails", "iam:ListOpenIDConnectProviders"],
            }
        ],
    }
    iam.put_role_policy(RoleName="audit", PolicyName="read", PolicyDocument=json.dumps(read))
    for name, document in roles.items():
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(document))


def _auditor(endpoint: str) -> dict[str, str]:
    iam = _client(endpoint, "iam")
    iam.create_user(UserName="auditor")
    allow = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Resource": "*",
                "Action": ["sts:AssumeRole", "sts:GetCallerIdentity"],
            }
        ],
    }
    iam.put_user_policy(UserName="auditor", PolicyName="fan-out", PolicyDocument=json.dumps(allow))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    return {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
    }


def test_fan_out_goes_on_past_an_unreachable_account(
    aws_env: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _account(aws_env, GOOD, {"wide": github_trust(("StringLike", "sub", "repo:*"), account=GOOD)})
    _account(aws_env, ALSO, {"deploy": tight(account=ALSO)})
    for name, value in _auditor(aws_env).items():
        monkeypatch.setenv(name, value)
    accounts = tmp_path / "accounts.txt"
    accounts.write_text(f"# production\n{GOOD}\n\n{MISSING}  # gone\n{ALSO}\n")
    with enforced_auth(aws_env):
        code, out, err = audit(
            capsys,
            "--accounts",
            str(accounts),
            "--assume-role",
            "audit",
            "--endpoint-url",
            aws_env,
            "--format",
            "json",
        )
    assert code == 3, err
    data = json.loads(out)
    assert data["accounts"] == [GOOD, ALSO]
    assert {f["role"] for f in data["findings"]} == {f"arn:aws:iam::{GOOD}:role/wide"}
    (line,) = data["unreachable"]
    assert line.startswith(f"{MISSING}: unreachable: ")
    assert f"oidcify audit: account {MISSING}: unreachable: " in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "message"),
    [("12345\n", "'12345' is not a 12-digit AWS account id"), ("# none\n", "no account ids")],
)
def test_bad_accounts_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "accounts.txt"
    path.write_text(text)
    code, _, err = audit(capsys, "--accounts", str(path), "--assume-role", "audit")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_accounts_needs_assume_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = audit(capsys, "--accounts", str(tmp_path / "a.txt"))
    assert code == 2 and "--assume-role" in err
