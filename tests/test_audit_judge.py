"""The audit judges each GitHub-trusting role with check's trust rules: the shapes that admit
more than one repository, and the siblings' findings, by rule id; a tight role has none."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from audit_helpers import audit_json, detail, github_trust, rules_by_role, tight, write_export
from oidcify.cli import main

REPO = "repo:octo-org/app"
SHAPES = {
    "tight": (tight(), set()),
    "tight-environment": (tight(f"{REPO}:environment:prod"), set()),
    "any-repo": (github_trust(("StringLike", "sub", "repo:*")), {"OC203"}),
    "whole-owner": (github_trust(("StringLike", "sub", "repo:octo-org/*")), {"OC203"}),
    "name-prefix": (github_trust(("StringLike", "sub", "repo:octo-org/app*")), {"OC203"}),
    "no-sub": (github_trust(), {"OC203"}),
    "negated-only": (
        github_trust(("StringNotEquals", "sub", "repo:evil/x:ref:refs/heads/main")),
        {"OC203"},
    ),
    "forallvalues": (
        github_trust(("ForAllValues:StringEquals", "sub", f"{REPO}:pull_request")),
        {"OC206"},
    ),
    "no-aud": (
        github_trust(("StringEquals", "sub", f"{REPO}:ref:refs/heads/main"), aud=False),
        {"OC205"},
    ),
    "owner-claim-only": (
        github_trust(("StringEquals", "repository_owner", "octo-org")),
        {"OC207"},  # no key STS evaluates: it admits no one, no foreign repository either
    ),
}


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    export = tmp_path_factory.mktemp("judge") / "account.json"
    write_export(export, [detail(name, trust) for name, (trust, _) in SHAPES.items()])
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["audit", "--from", str(export), "--format", "json"])
    return rules_by_role(json.loads(out.getvalue()))


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_gets_its_rule(judged: dict[str, set[str]], name: str) -> None:
    expected = SHAPES[name][1]
    assert judged.get(name, set()) == expected


def test_a_non_github_role_is_not_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ec2 = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "ec2.amazonaws.com"},
            }
        ],
    }
    export = write_export(tmp_path / "a.json", [detail("ec2", ec2), detail("gha", tight())])
    code, data = audit_json(capsys, "--from", str(export))
    assert (code, data["roles"], data["github_roles"], data["findings"]) == (0, 2, 1, [])


def test_enterprise_issuer_roles_are_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An enterprise issuer's condition keys carry its path, as IAM names them.
    trust = github_trust(("StringLike", "sub", "repo:*"))
    statement = trust["Statement"][0]
    statement["Principal"]["Federated"] += "/octo-enterprise"
    statement["Condition"] = {
        operator: {k.replace(":", "/octo-enterprise:", 1): v for k, v in block.items()}
        for operator, block in statement["Condition"].items()
    }
    export = write_export(tmp_path / "a.json", [detail("ent", trust)])
    code, data = audit_json(capsys, "--from", str(export))
    assert code == 1 and data["github_roles"] == 1
    assert "OC203" in rules_by_role(data)["ent"]


def test_findings_point_at_the_line_of_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_export(
        tmp_path / "a.json",
        [detail("wide", github_trust(("StringLike", "sub", "repo:octo-org/*")))],
    )
    _, data = audit_json(capsys, "--from", str(export))
    (finding,) = [f for f in data["findings"] if f["rule"] == "OC203"]
    text = json.dumps(github_trust(("StringLike", "sub", "repo:octo-org/*")), indent=2)
    assert '"repo:octo-org/*"' in text.splitlines()[finding["line"] - 1]
