from __future__ import annotations

from pathlib import Path

import pytest

from oidcify import gates, names
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


@pytest.mark.parametrize("event", ["push", "pull_request_target", "merge_group", "workflow_call"])
def test_workflow_events_are_accepted(event: str) -> None:
    assert names.require_event(event, "--event") == event


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("pull-request", "did you mean pull_request or "),
        ("Push", "did you mean push?"),
        ("workflow_dispath", "did you mean workflow_dispatch"),
        ("bogus", "one of: branch_protection_rule, check_run, "),
        ("", "one of: "),
    ],
)
def test_an_unknown_event_is_refused_with_close_matches(value: str, says: str) -> None:
    with pytest.raises(InputError) as exc:
        names.require_event(value, "--event")
    assert exc.value.field == "--event"
    assert exc.value.message.startswith(f"{value!r} is not a GitHub workflow event; {says}")


# Settings without which actionlint refuses the event itself, so that it judges only the names.
_EVENT_SETTINGS = {"schedule": "\n    - cron: '0 0 * * *'", "workflow_run": "\n    workflows: [b]"}


def _triggered_by(events: tuple[str, ...], path: Path) -> Path:
    on = "".join(f"  {event}:{_EVENT_SETTINGS.get(event, '')}\n" for event in events)
    job = "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n"
    path.write_text(f"on:\n{on}{job}", encoding="utf-8")
    return path


@pytest.mark.slow
def test_workflow_events_are_the_ones_actionlint_knows(
    actionlint_bin: Path, tmp_path: Path
) -> None:
    known = _triggered_by(names.WORKFLOW_EVENTS, tmp_path / "known.yml")
    result = gates.actionlint(actionlint_bin, [known])
    assert result.status == "passed", result.details
    # An event GitHub retired (with classic projects), to show that actionlint judges the names.
    retired = _triggered_by(("push", "project_card"), tmp_path / "retired.yml")
    result = gates.actionlint(actionlint_bin, [retired])
    assert result.status == "failed" and 'unknown Webhook event "project_card"' in result.details


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("octo-org/app", ("octo-org", "app")),
        ("github.com/octo-org/app.js", ("octo-org", "app.js")),
        ("https://github.com/Octo/App.git", ("Octo", "App")),
        ("octo-org/app/", ("octo-org", "app")),
        ("o/app.git", ("o", "app")),
        ("gitlab-group/sub/app", None),
        ("app", None),
        ("octo-org", None),
        ("-bad/app", None),
        ("-x/app", None),
        ("octo/..", None),
    ],
)
def test_parse_repository(value: str, expected: tuple[str, str] | None) -> None:
    if expected is not None:
        assert names.parse_repository(value) == expected
        return
    with pytest.raises(InputError) as exc:
        names.parse_repository(value, field="--repo")
    assert exc.value.field == "--repo"
    assert repr(value) in exc.value.message
