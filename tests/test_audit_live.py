"""The live audit against moto's server: roles created through boto3 are read by paging
GetAccountAuthorizationDetails, judged like an export of the same account made by boto3, and
refused credentials are one line and exit code 3."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from audit_helpers import HOST, audit, audit_json, github_trust, provider, rules_by_role, tight
from aws_local import enforced_auth

pytestmark = pytest.mark.slow  # a moto_server process

ACCOUNT = "123456789012"  # moto's default account
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _iam(endpoint: str, **keys: Any) -> Any:
    return boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", **keys)


def _create(endpoint: str) -> None:
    iam = _iam(endpoint)
    iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"]
    )
    roles = {
        "deploy": tight(account=ACCOUNT),
        "org-wide": github_trust(("StringLike", "sub", "repo:octo-org/*"), account=ACCOUNT),
        "pr-admin": tight("repo:octo-org/app:pull_request", account=ACCOUNT),
        "no-aud": github_trust(
            ("StringEquals", "sub", "repo:o/a:ref:refs/heads/main"), aud=False, account=ACCOUNT
        ),
        "ec2": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    }
    for name, trust in roles.items():
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName="pr-admin", PolicyArn=ADMIN)


EXPECTED = {"org-wide": {"OC203"}, "pr-admin": {"OC302"}, "no-aud": {"OC205"}}


def test_live_audit_pages_and_judges(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    _create(aws_env)
    code, data = audit_json(capsys, "--endpoint-url", aws_env, "--region", "us-east-1")
    assert code == 1
    assert (data["roles"], data["github_roles"], data["accounts"]) == (5, 4, [ACCOUNT])
    assert rules_by_role(data) == EXPECTED


def test_export_made_by_boto3_is_judged_the_same(
    aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _create(aws_env)
    iam = _iam(aws_env)
    pages = iam.get_paginator("get_account_authorization_details").paginate(MaxItems=1000)
    merged: dict[str, list[Any]] = {"RoleDetailList": []}
    for page in pages:
        merged["RoleDetailList"] += page.get("RoleDetailList", [])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(merged, default=str, indent=4))
    code, data = audit_json(capsys, "--from", str(path))
    assert code == 1 and data["github_roles"] == 4
    assert rules_by_role(data) == EXPECTED


def test_every_role_is_read(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    # More than two of IAM's pages of 100. moto answers GetAccountAuthorizationDetails in one
    # page whatever MaxItems says; following IsTruncated/Marker is botocore's paginator's job.
    iam = _iam(aws_env)
    for number in range(230):
        trust = tight(f"repo:octo-org/app{number}:ref:refs/heads/main", account=ACCOUNT)
        iam.create_role(RoleName=f"r{number}", AssumeRolePolicyDocument=json.dumps(trust))
    code, data = audit_json(capsys, "--endpoint-url", aws_env)
    assert (code, data["roles"], data["github_roles"], data["findings"]) == (0, 230, 230, [])


def test_duplicate_providers_live(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    iam = _iam(aws_env)
    for url in (
        "https://token.actions.githubusercontent.com",
        "https://token.actions.githubusercontent.com/",
    ):
        iam.create_open_id_connect_provider(Url=url, ClientIDList=["sts.amazonaws.com"])
    _, data = audit_json(capsys, "--endpoint-url", aws_env)
    assert [f["rule"] for f in data["findings"]] in (["OC304"], [])
    listed = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert (len(listed) == 2) == bool(data["findings"])
    assert provider(ACCOUNT) in {p["Arn"] for p in listed}


def test_role_shared_by_repositories_live(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    main = "ref:refs/heads/main"
    shared = [f"repo:octo-org/web:{main}", f"repo:octo-org/app:{main}"]
    denied = github_trust(("StringEquals", "sub", shared), account=ACCOUNT)
    deny = dict(denied["Statement"][0], Effect="Deny")
    deny["Condition"] = {"StringLike": {f"{HOST}:repository": "octo-org/web"}}
    denied["Statement"].append(deny)
    roles = {
        "shared": github_trust(("StringEquals", "sub", shared), account=ACCOUNT),
        "web-denied": denied,
        "deploy": tight(account=ACCOUNT),
    }
    iam = _iam(aws_env)
    for name, trust in roles.items():
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    code, data = audit_json(capsys, "--endpoint-url", aws_env)
    assert code == 0  # a warning: a shared deploy role can be deliberate
    assert rules_by_role(data) == {"shared": {"OC307"}}
    message = data["findings"][0]["message"]
    assert "admits 2 repositories: octo-org/app (Statement[0]), octo-org/web" in message


def test_refused_credentials(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    with enforced_auth(aws_env):
        code, out, err = audit(capsys, "--endpoint-url", aws_env)
    assert code == 3 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("oidcify audit: error: iam:GetAccountAuthorizationDetails: ")
    assert "InvalidClientTokenId" in lines[0]


def test_unreachable_endpoint(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    code, _, err = audit(capsys, "--endpoint-url", dead)
    assert code == 3
    assert len(err.strip().splitlines()) == 1 and "Could not connect" in err


def test_without_boto3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # what `import boto3` meets when it is absent
    code, out, err = audit(capsys)
    assert (code, out) == (3, "")
    assert "pip install 'oidcify[audit]'" in err and len(err.strip().splitlines()) == 1


def test_unknown_profile(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = audit(capsys, "--profile", "nowhere", "--endpoint-url", aws_env)
    assert code == 3 and "--profile: " in err and "nowhere" in err
    assert len(err.strip().splitlines()) == 1
