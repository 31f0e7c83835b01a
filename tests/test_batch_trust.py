"""``--trust-out``: the subjects per role the batch assigned (``oidcify.batch.trust``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oidcify.batch import trust
from oidcify.batch.outcome import Outcome
from oidcify.errors import InputError

ROLE = "arn:aws:iam::123456789012:role/gha-app"


def claim(role: str, *contexts: str, repo: str = "octo/app", notes: tuple[str, ...] = ()) -> Any:
    return {
        "path": ".github/workflows/deploy.yml",
        "job": "deploy",
        "role": role,
        "contexts": list(contexts),
        "subjects": [f"repo:{repo}:{c}" for c in contexts],
        "notes": list(notes),
    }


def outcome(
    repo: str | None,
    role: str,
    claims: list[Any],
    source: str = "--role-arn",
    status: str = "changed",
    *,
    repo_id: str | None = None,
) -> Outcome:
    return Outcome(
        repo or "dir", "/x", status, repository=repo, role_arn=role, role_source=source,
        claims=claims, repository_id=repo_id,
    )  # fmt: skip


def test_subjects_per_role_with_guesses_left_out() -> None:
    other = "arn:aws:iam::123456789012:role/team/gha-lib"
    outcomes = [
        outcome("octo/app", ROLE, [claim(ROLE, "ref:refs/heads/main", "environment:*")]),
        # a second repository that already assumed the same role keeps its subjects
        outcome(
            "octo/web", ROLE, [claim(ROLE, "pull_request", repo="octo/web")], status="unchanged"
        ),
        outcome("octo/lib", other, [claim(other, "ref:refs/tags/v*", "*", repo="octo/lib")]),
        outcome(None, other, [claim(other, "ref:refs/heads/main", repo="?")]),
        # roles from a repository's own configuration are managed by its own Terraform
        outcome("octo/own", "arn:aws:iam::123456789012:role/own", [], source=".oidcify.toml"),
        outcome(
            "octo/bad", ROLE, [claim(ROLE, "ref:refs/heads/x", repo="octo/bad")], status="failed"
        ),
    ]
    roles = trust.collect(outcomes)
    assert set(roles) == {ROLE, other}
    assert roles[ROLE].subjects == {
        "repo:octo/app:ref:refs/heads/main",
        "repo:octo/web:pull_request",
    }
    assert roles[ROLE].left_out == [
        "octo/app .github/workflows/deploy.yml job deploy: repo:octo/app:environment:* ()"
    ]
    assert roles[other].subjects == {"repo:octo/lib:ref:refs/tags/v*"}
    assert roles[other].path == "/team/" and roles[other].name == "gha-lib"
    assert any("the GitHub repository is unknown" in s for s in roles[other].left_out)


def test_tfvars_and_plain_json(tmp_path: Path) -> None:
    outcomes = [outcome("octo/app", ROLE, [claim(ROLE, "ref:refs/heads/main")])]
    target = tmp_path / "batch.auto.tfvars.json"
    target.write_text(json.dumps({"batch_roles": {"gha-app": {"policy_arns": ["arn:p"]}}}))
    groups, empty = trust.write(outcomes, str(target))
    assert list(groups) == [target] and empty == []
    assert json.loads(target.read_text()) == {
        "batch_roles": {
            "gha-app": {"subjects": ["repo:octo/app:ref:refs/heads/main"], "policy_arns": ["arn:p"]}
        }
    }
    plain = tmp_path / "trust.json"
    trust.write(outcomes, str(plain))
    (entry,) = json.loads(plain.read_text())["roles"]
    assert (entry["arn"], entry["account_id"], entry["repositories"]) == (
        ROLE,
        "123456789012",
        ["octo/app"],
    )
    assert entry["repository_id"] is None


def test_repository_id_only_for_a_role_of_one_repository_whose_id_is_known(
    tmp_path: Path,
) -> None:
    def role(name: str) -> str:
        return f"arn:aws:iam::123456789012:role/{name}"

    main = "ref:refs/heads/main"
    outcomes = [
        outcome("octo/app", role("one"), [claim(role("one"), main)], repo_id="101"),
        outcome("octo/app", role("unknown"), [claim(role("unknown"), main)]),
        # a role shared by two repositories: one id would refuse the other repository
        outcome("octo/app", role("shared"), [claim(role("shared"), main)], repo_id="101"),
        outcome("octo/web", role("shared"), [claim(role("shared"), main, repo="octo/web")]),
    ]
    outcomes[-1].repository_id = "202"
    target = tmp_path / "batch.auto.tfvars.json"
    trust.write(outcomes, str(target))
    written = json.loads(target.read_text())["batch_roles"]
    expected = {"one": "101", "unknown": None, "shared": None}
    assert {name: entry.get("repository_id") for name, entry in written.items()} == expected
    plain = tmp_path / "trust.json"
    trust.write(outcomes, str(plain))
    entries = json.loads(plain.read_text())["roles"]
    assert {entry["name"]: entry["repository_id"] for entry in entries} == expected


def test_accounts_split_or_refused(tmp_path: Path) -> None:
    second = "arn:aws:iam::210987654321:role/gha-app"
    outcomes = [
        outcome("octo/app", ROLE, [claim(ROLE, "ref:refs/heads/main")]),
        outcome("octo/web", second, [claim(second, "pull_request", repo="octo/web")]),
    ]
    with pytest.raises(InputError, match=r"several AWS accounts \(123456789012, 210987654321\)"):
        trust.write(outcomes, str(tmp_path / "batch.auto.tfvars.json"))
    assert list(tmp_path.iterdir()) == []
    groups, _ = trust.write(outcomes, str(tmp_path / "{account}" / "batch.auto.tfvars.json"))
    assert sorted(p.parent.name for p in groups) == ["123456789012", "210987654321"]


def test_one_role_name_twice_in_an_account(tmp_path: Path) -> None:
    upper = "arn:aws:iam::123456789012:role/path/GHA-APP"
    outcomes = [
        outcome("octo/app", ROLE, [claim(ROLE, "ref:refs/heads/main")]),
        outcome("octo/web", upper, [claim(upper, "pull_request", repo="octo/web")]),
    ]
    with pytest.raises(InputError, match="the same IAM role name in one account"):
        trust.write(outcomes, str(tmp_path / "t.json"))


def test_role_without_subjects_is_not_written(tmp_path: Path) -> None:
    outcomes = [outcome("octo/app", ROLE, [claim(ROLE, "*", notes=("callers elsewhere",))])]
    groups, empty = trust.write(outcomes, str(tmp_path / "t.auto.tfvars.json"))
    assert groups == {} and [r.arn for r in empty] == [ROLE]
    assert not (tmp_path / "t.auto.tfvars.json").exists()
