"""The account-wide rules (OC302-OC304) over exports; OC301, OC305 and OC306 need workflows and
are in test_audit_joined.py. Rule metadata is complete for the rule reference."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audit_helpers import (
    ACCOUNT,
    HOST,
    audit_json,
    detail,
    github_trust,
    provider,
    tight,
    write_export,
)
from oidcify.audit.account_rules import account_rules
from oidcify.rules import all_rules

ADMIN = [
    {
        "PolicyName": "AdministratorAccess",
        "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
    }
]
READ = [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]
STAR = [
    {
        "PolicyName": "all",
        "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
    }
]


def _ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def _rules(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> dict[str, set[str]]:
    _, data = audit_json(capsys, "--from", str(path), *args)
    found: dict[str, set[str]] = {}
    for f in data["findings"]:
        found.setdefault(f["path"].rsplit("/", 1)[-1], set()).add(f["rule"])
    return found


def test_admin_role_with_pull_requests_or_any_branch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pr = tight("repo:octo-org/app:pull_request")
    branches = github_trust(("StringLike", "sub", "repo:octo-org/app:ref:refs/heads/*"))
    roles = [
        detail("admin-pr", pr, AttachedManagedPolicies=ADMIN),
        detail("star-branches", branches, RolePolicyList=STAR),
        detail("admin-main", tight(), AttachedManagedPolicies=ADMIN),
        detail("admin-env", tight("repo:octo-org/app:environment:prod"), RolePolicyList=STAR),
        detail("reader-pr", pr, AttachedManagedPolicies=READ),
    ]
    found = _rules(capsys, write_export(tmp_path / "a.json", roles))
    admin = {name for name, rules in found.items() if "OC302" in rules}
    assert admin == {"admin-pr", "star-branches"}


def test_unused_roles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roles = [
        detail("stale", tight(), RoleLastUsed={"LastUsedDate": _ago(200), "Region": "us-east-1"}),
        detail("recent", tight(), RoleLastUsed={"LastUsedDate": _ago(10), "Region": "us-east-1"}),
        detail("never-old", tight(), CreateDate=_ago(400)),
        detail("never-new", tight(), CreateDate=_ago(5)),
    ]
    path = write_export(tmp_path / "a.json", roles)
    found = _rules(capsys, path)
    assert {name for name, rules in found.items() if "OC303" in rules} == {"stale", "never-old"}
    found = _rules(capsys, path, "--unused-days", "300")
    assert {name for name, rules in found.items() if "OC303" in rules} == {"never-old"}


def test_duplicate_providers_for_one_issuer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = [
        provider(),
        provider(issuer="token.actions.githubusercontent.com/"),
        provider(issuer="token.actions.githubusercontent.com/octo-enterprise"),
        provider(issuer="oidc.eks.us-east-1.amazonaws.com/id/ABC"),
        provider("444455556666"),
    ]
    path = tmp_path / "providers.json"
    path.write_text(json.dumps({"OpenIDConnectProviderList": [{"Arn": a} for a in listed]}))
    _, data = audit_json(capsys, "--from", str(path))
    duplicates = [f for f in data["findings"] if f["rule"] == "OC304"]
    assert len(duplicates) == 1
    assert duplicates[0]["message"].startswith(f"account {ACCOUNT} has 2 OIDC providers")


def test_rule_metadata_is_complete_and_distinct() -> None:
    rules = account_rules()
    ids = [r.INFO.id for r in rules]
    assert ids == sorted(ids) and all(i.startswith("OC3") for i in ids)
    assert not set(ids) & {r.INFO.id for r in all_rules()}
    assert len({r.INFO.name for r in rules}) == len(rules)
    for rule in rules:
        assert rule.INFO.summary
        assert "Bad:" in rule.INFO.help and "Good:" in rule.INFO.help


MAIN = "ref:refs/heads/main"
SHARED = [f"repo:octo-org/web:{MAIN}", f"repo:octo-org/app:{MAIN}"]


def _two_statements() -> dict:
    trust = tight(f"repo:octo-org/app:{MAIN}")
    other = json.loads(json.dumps(trust["Statement"][0]))
    other["Sid"] = "Web"
    other["Condition"]["StringEquals"][f"{HOST}:sub"] = "repo:octo-org/web:environment:prod"
    trust["Statement"].append(other)
    return trust


@pytest.fixture
def shared_export(tmp_path: Path) -> Path:
    roles = [
        detail("shared", github_trust(("StringEquals", "sub", SHARED))),
        detail("two-statements", _two_statements()),
        detail("by-id", github_trust(("StringLike", "sub", "repo:octo-org/*"),
                                     ("StringEquals", "repository_id", ["20", "10"]))),
        detail("org-wide", github_trust(("StringLike", "sub", "repo:octo-org/*"))),
        detail("one", tight()),
        detail("one-negated", github_trust(("StringEquals", "sub", f"repo:octo-org/app:{MAIN}"),
                                           ("StringNotEquals", "repository", "octo-org/web"))),
    ]  # fmt: skip
    return write_export(tmp_path / "shared.json", roles)


def test_roles_admitting_several_repositories(
    shared_export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = audit_json(capsys, "--from", str(shared_export))
    several = {f["path"].rsplit("/", 1)[-1]: f for f in data["findings"] if f["rule"] == "OC307"}
    assert set(several) == {"shared", "two-statements", "by-id"}  # org-wide: OC203 says it
    assert {f["severity"] for f in several.values()} == {"warning"}
    assert (
        "admits 2 repositories: octo-org/app (Statement[0]), octo-org/web (Statement[0])"
        in (several["shared"]["message"])
    )
    assert "octo-org/app (Statement[0]), octo-org/web (Web)" in several["two-statements"]["message"]
    assert "repository id 10 (Statement[0]), repository id 20" in several["by-id"]["message"]
    assert code == 1  # OC203's error on org-wide


def test_several_repositories_is_no_question_with_repo_or_workflows(
    shared_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, data = audit_json(capsys, "--from", str(shared_export), "--repo", "octo-org/app")
    assert not [f for f in data["findings"] if f["rule"] == "OC307"]
    assert "OC202" in {f["rule"] for f in data["findings"] if f["role"].endswith("/shared")}
    workflows = tmp_path / "app" / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                                      "    steps:\n      - run: 'true'\n")  # fmt: skip
    _, data = audit_json(capsys, "--from", str(shared_export), "--workflows", str(tmp_path / "app"))
    assert not [f for f in data["findings"] if f["rule"] == "OC307"]
