"""Shared by the audit tests: trust policies of the shapes IAM holds, roles as IAM describes
them, exports written the way `aws iam get-account-authorization-details` writes them, and the
audit command run in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oidcify.cli import main

ACCOUNT = "111122223333"
HOST = "token.actions.githubusercontent.com"


def provider(account: str = ACCOUNT, issuer: str = HOST) -> str:
    return f"arn:aws:iam::{account}:oidc-provider/{issuer}"


def github_trust(
    *conditions: tuple[str, str, Any], aud: bool = True, account: str = ACCOUNT
) -> dict[str, Any]:
    """A one-statement trust policy for GitHub's provider: each condition is (operator, claim,
    values); ``aud`` adds the usual StringEquals on aud."""
    block: dict[str, dict[str, Any]] = {}
    if aud:
        block.setdefault("StringEquals", {})[f"{HOST}:aud"] = "sts.amazonaws.com"
    for operator, claim, values in conditions:
        block.setdefault(operator, {})[f"{HOST}:{claim}"] = values
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": provider(account)},
        "Action": "sts:AssumeRoleWithWebIdentity",
    }
    if block:
        statement["Condition"] = block
    return {"Version": "2012-10-17", "Statement": [statement]}


def tight(sub: str = "repo:octo-org/app:ref:refs/heads/main", account: str = ACCOUNT) -> dict:
    return github_trust(("StringEquals", "sub", sub), account=account)


def detail(name: str, trust: Any, account: str = ACCOUNT, **extra: Any) -> dict[str, Any]:
    """A RoleDetail as get-account-authorization-details writes it."""
    return {
        "Path": "/",
        "RoleName": name,
        "RoleId": f"AROA{name.upper():0<16}"[:20],
        "Arn": f"arn:aws:iam::{account}:role/{name}",
        "CreateDate": "2026-11-30T10:00:00+00:00",
        "AssumeRolePolicyDocument": trust,
        "InstanceProfileList": [],
        "RolePolicyList": [],
        "AttachedManagedPolicies": [],
        "Tags": [],
        "RoleLastUsed": {},
        **extra,
    }


def write_export(path: Path, roles: list[dict[str, Any]], **extra: Any) -> Path:
    body = {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": roles,
        "Policies": [],
        **extra,
    }
    path.write_text(json.dumps(body, indent=4, default=str), encoding="utf-8")
    return path


def audit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``oidcify audit ARGS``: exit code, stdout, stderr."""
    code = main(["audit", *args])
    out, err = capsys.readouterr()
    return code, out, err


def audit_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = audit(capsys, *args, "--format", "json")
    assert out, err
    data: dict[str, Any] = json.loads(out)
    return code, data


def rules_by_role(data: dict[str, Any]) -> dict[str, set[str]]:
    """Role name -> the rule ids of its findings, from a JSON report."""
    found: dict[str, set[str]] = {}
    for finding in data["findings"]:
        if finding["role"]:
            found.setdefault(finding["role"].rsplit("/", 1)[-1], set()).add(finding["rule"])
    return found
