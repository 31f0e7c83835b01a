"""``oidcify audit --repo OWNER/REPO``: a role that trusts only the given repositories is tight,
one that also names another repository is OC202 (a subject the given repository never
presents), one that admits any repository of an owner is OC203, and a role that trusts other
repositories only is not reported. Roles come from export files and from moto's server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import boto3
import pytest

from audit_helpers import (
    audit,
    audit_json,
    detail,
    github_trust,
    rules_by_role,
    write_export,
)

APP = "repo:octo-org/app:ref:refs/heads/main"
OTHER = "repo:octo-org/other:ref:refs/heads/main"
APP_IMMUTABLE = "repo:octo-org@1234/app@5678:environment:prod"
MOTO_ACCOUNT = "123456789012"  # moto's default account
WORKFLOW = """\
on:
  push:
    branches: [main]
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/shared
          aws-region: us-east-1
"""


def _trusts(*subs: str, operator: str = "StringEquals", account: str = "111122223333") -> Any:
    return github_trust((operator, "sub", list(subs)), account=account)


def _roles(account: str = "111122223333") -> dict[str, Any]:
    return {
        "deploy": _trusts(APP, account=account),
        "deploy-immutable": _trusts(APP, APP_IMMUTABLE, account=account),
        "shared": _trusts(APP, OTHER, account=account),
        "other-only": _trusts(OTHER, account=account),
        "org-wide": _trusts("repo:octo-org/*", operator="StringLike", account=account),
    }


def _export(tmp_path: Path) -> Path:
    roles = [detail(name, trust) for name, trust in _roles().items()]
    return write_export(tmp_path / "111122223333.json", roles)


def _subs(data: dict[str, Any], role: str, rule: str) -> list[str]:
    return [
        f["message"]
        for f in data["findings"]
        if f["rule"] == rule and (f["role"] or "").endswith(f"/{role}")
    ]


def test_a_role_naming_another_repository_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = audit_json(capsys, "--from", str(_export(tmp_path)), "--repo", "octo-org/app")
    assert rules_by_role(data) == {"shared": {"OC202"}, "org-wide": {"OC203"}}
    (message,) = _subs(data, "shared", "OC202")
    assert repr(OTHER) in message and repr(APP) not in message
    assert code == 1  # org-wide is an error; OC202 is a warning, as in check
    assert {"OC202", "OC203"} <= {rule["id"] for rule in data["rules"]}


def test_warnings_alone_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roles = [detail(name, _trusts(*subs)) for name, subs in
             {"deploy": [APP], "shared": [APP, OTHER]}.items()]  # fmt: skip
    export = write_export(tmp_path / "a.json", roles)
    code, data = audit_json(capsys, "--from", str(export), "--repo", "octo-org/app")
    assert code == 0
    assert [f["severity"] for f in data["findings"]] == ["warning"]


@pytest.mark.parametrize(
    "operator", ["StringEquals", "StringLike", "StringEqualsIgnoreCase", "ForAnyValue:StringLike"]
)
def test_every_operator_names_the_repository(
    operator: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subs = [APP, "repo:octo-org/app:environment:prod", OTHER]
    export = write_export(tmp_path / "a.json", [detail("role", _trusts(*subs, operator=operator))])
    _, data = audit_json(capsys, "--from", str(export), "--repo", "octo-org/app")
    assert [(f["rule"], repr(OTHER) in f["message"]) for f in data["findings"]] == [("OC202", True)]


def test_each_given_repository_is_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = audit_json(capsys, "--from", str(_export(tmp_path)),
                            "--repo", "octo-org/app", "--repo", "Octo-Org/Other")  # fmt: skip
    assert rules_by_role(data) == {"org-wide": {"OC203"}}
    assert code == 1


def test_the_other_repository_question(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = audit_json(capsys, "--from", str(_export(tmp_path)), "--repo", "octo-org/other")
    assert rules_by_role(data) == {"shared": {"OC202"}, "org-wide": {"OC203"}}
    (message,) = _subs(data, "shared", "OC202")
    assert repr(APP) in message and repr(OTHER) not in message


def test_a_repository_no_role_names_is_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = audit(capsys, "--from", str(_export(tmp_path)), "--repo", "octo-org/gone",
                           "--format", "json")  # fmt: skip
    assert "no audited role names octo-org/gone" in err
    # Only the role that admits every repository of the owner concerns octo-org/gone.
    assert rules_by_role(json.loads(out)) == {"org-wide": {"OC203"}}
    assert code == 1


def test_roles_the_workflows_assume_are_judged_against_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = tmp_path / "app"
    (checkout / ".github" / "workflows").mkdir(parents=True)
    (checkout / ".github" / "workflows" / "deploy.yml").write_text(WORKFLOW)
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    origin = "https://github.com/octo-org/app.git"
    subprocess.run(["git", "-C", str(checkout), "remote", "add", "origin", origin], check=True)
    _, data = audit_json(capsys, "--from", str(_export(tmp_path)), "--repo", "octo-org/other",
                         "--workflows", str(checkout))  # fmt: skip
    # shared is octo-org/app's (its workflows assume it): their runs never present OTHER.
    (message,) = _subs(data, "shared", "OC202")
    assert repr(OTHER) in message and "octo-org/app)" in message
    assert rules_by_role(data)["shared"] == {"OC202"}


@pytest.mark.parametrize("value", ["octo-org", "octo org/app", "/app"])
def test_a_bad_repository_is_one_line(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = audit(capsys, "--from", str(_export(tmp_path)), "--repo", value)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--repo" in err and "Traceback" not in err


@pytest.mark.slow  # a moto_server process
def test_live_roles_are_judged_the_same(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    iam = boto3.client("iam", endpoint_url=aws_env, region_name="us-east-1")
    for name, trust in _roles(MOTO_ACCOUNT).items():
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    code, data = audit_json(capsys, "--endpoint-url", aws_env, "--region", "us-east-1",
                            "--repo", "octo-org/app")  # fmt: skip
    assert data["accounts"] == [MOTO_ACCOUNT] and data["github_roles"] == 5
    assert rules_by_role(data) == {"shared": {"OC202"}, "org-wide": {"OC203"}}
    assert code == 1
