"""The commit message and pull-request text of a retrofit (``oidcify.retrofit.message``)."""

from __future__ import annotations

from pathlib import Path

from oidcify.retrofit import Options, retrofit_texts
from oidcify.retrofit.message import (
    TITLE,
    commit_message,
    other_roles,
    pull_request,
    role_subjects,
)

FIXTURES = Path(__file__).parent / "fixtures" / "retrofit"
ROLE = "arn:aws:iam::123456789012:role/gha-deploy"


def result(name: str):  # type: ignore[no-untyped-def]
    text = (FIXTURES / name / "input.yml").read_text(encoding="utf-8")
    files = {".github/workflows/deploy.yml": text}
    return retrofit_texts(files, Options(role_arn=ROLE, region="eu-west-1"))


def test_message_says_what_changed_and_what_to_do() -> None:
    repo = result("warnings-forks-literal-keys-several-users")
    subjects = role_subjects(repo, ("octo", "app"), ROLE)
    assert subjects and all(s.startswith("repo:octo/app:") for s in subjects)
    message = commit_message(repo, role=ROLE, subjects=subjects)
    title, _, body = message.partition("\n\n")
    assert title == TITLE
    assert f"`{ROLE}`" in body
    assert "- `.github/workflows/deploy.yml`: OR001" in body
    assert "- OR001: configure-aws-credentials: static-key inputs replaced" in body
    for subject in subjects:
        assert f"- `{subject}`" in body
    review = body.split("Review:\n", 1)[1]
    assert "- OW001 `.github/workflows/deploy.yml:8`: job plan runs on pull_request" in review
    assert "- OW005: access keys" in review and "- OW006 " in review
    assert "OW002" not in body  # the secrets to delete have their own line
    assert "delete these repository secrets: `PLAN_AWS_ACCESS_KEY_ID`" in body
    assert pull_request(repo, role=ROLE, subjects=subjects) == {"title": TITLE, "body": body}


def test_subjects_of_other_roles_and_unknown_repositories() -> None:
    repo = result("os001-already-oidc")  # its jobs assume their own role, not ROLE
    assert role_subjects(repo, ("octo", "app"), ROLE) == []
    assert role_subjects(repo, None, ROLE) is None


def test_roles_per_environment_and_expression_roles_are_named() -> None:
    text = (FIXTURES / "s2-role-per-environment-secret-job" / "input.yml").read_text("utf-8")
    dev = "arn:aws:iam::111111111111:role/gha-dev"
    options = Options(
        role_arn=ROLE,
        role_for=(("environment:development", dev), ("job:rollback", "${{ vars.ROLLBACK }}")),
    )
    repo = retrofit_texts({".github/workflows/deploy.yml": text}, options)
    repository = ("octo", "app")
    others = other_roles(repo, repository, ROLE)
    assert others == {
        dev: ["repo:octo/app:environment:development"],
        "${{ vars.ROLLBACK }}": ["repo:octo/app:environment:production"],
    }
    body = commit_message(
        repo, role=ROLE, subjects=role_subjects(repo, repository, ROLE), others=others
    )
    assert "- `repo:octo/app:environment:production`" in body
    assert (
        f"Some jobs assume `{dev}`; its trust policy must admit:\n"
        "- `repo:octo/app:environment:development`" in body
    )
    assert "- define the Actions variable ROLLBACK (the role ARN)" in body
