from __future__ import annotations

import pytest

from oidcify import names
from oidcify.errors import InputError

GOOD = [
    (names.AWS_ACCOUNT_ID, "012345678901"),
    (names.IAM_ROLE_NAME, "gha-deploy+ecr=x,y.z@w_1"),
    (names.IAM_ROLE_NAME, "r" * 64),
    (names.ECR_REPOSITORY, "ab"),
    (names.ECR_REPOSITORY, "team/app-web_2.0"),
    (names.IAM_ROLE_ARN, "arn:aws-us-gov:iam::012345678901:role/path/to/gha"),
    (names.GITHUB_OWNER, "octo-org"),
    (names.GITHUB_OWNER, "a" * 39),
    (names.GITHUB_REPO, "my.repo_1-x"),
    (names.GITHUB_ENVIRONMENT, "prod eu-1"),
    (names.REF_PATTERN, "release/*"),
    (names.REF_PATTERN, "v*"),
    (names.REPO_PATH, "."),
    (names.REPO_PATH, "docker/app.Dockerfile"),
    (names.REPO_PATH, ".github/x"),
]
BAD = [
    (names.AWS_ACCOUNT_ID, "12345678901"),
    (names.AWS_ACCOUNT_ID, "1234567890123"),
    (names.AWS_ACCOUNT_ID, "12345678901a"),
    (names.AWS_ACCOUNT_ID, "\u0661" * 12),  # Arabic-Indic digits: Python's \d takes them, RE2's not
    (names.IAM_ROLE_NAME, ""),
    (names.IAM_ROLE_NAME, "r" * 65),
    (names.IAM_ROLE_NAME, "bad/name"),
    (names.IAM_ROLE_NAME, "rôle"),
    (names.ECR_REPOSITORY, "a"),
    (names.ECR_REPOSITORY, "App"),
    (names.ECR_REPOSITORY, "team//app"),
    (names.ECR_REPOSITORY, "app-"),
    (names.ECR_REPOSITORY, "a" * 257),
    (names.IAM_ROLE_ARN, "arn:aws:iam::12345:role/x"),
    (names.IAM_ROLE_ARN, "arn:aws:iam::012345678901:user/x"),
    (names.GITHUB_OWNER, "-octo"),
    (names.GITHUB_OWNER, "octo--org"),
    (names.GITHUB_OWNER, "a" * 40),
    (names.GITHUB_REPO, ".."),
    (names.GITHUB_REPO, "app.git"),
    (names.GITHUB_REPO, "my repo"),
    (names.GITHUB_ENVIRONMENT, "prod*"),
    (names.GITHUB_ENVIRONMENT, " prod"),
    (names.REF_PATTERN, "release/**"),
    (names.REF_PATTERN, "a..b"),
    (names.REF_PATTERN, "/main"),
    (names.REF_PATTERN, "v?"),
    (names.REF_PATTERN, "main:x"),
    (names.REPO_PATH, ""),
    (names.REPO_PATH, "../x"),
    (names.REPO_PATH, "a/./b"),
    (names.REPO_PATH, "/abs"),
    (names.REPO_PATH, "a/"),
    (names.REPO_PATH, "a//b"),
]


@pytest.mark.parametrize(("rule", "value"), GOOD, ids=lambda v: getattr(v, "name", v))
def test_good_values_pass(rule: names.Rule, value: str) -> None:
    assert rule.require(value) == value


@pytest.mark.parametrize(("rule", "value"), BAD, ids=lambda v: getattr(v, "name", v)[:30])
def test_bad_values_name_the_field_and_what_is_allowed(rule: names.Rule, value: str) -> None:
    with pytest.raises(InputError) as exc:
        rule.require(value, field="the_field")
    assert str(exc.value).startswith("the_field: ")
    assert rule.allowed in str(exc.value)


def test_non_string_is_refused() -> None:
    with pytest.raises(InputError):
        names.AWS_ACCOUNT_ID.require(12345678901)
