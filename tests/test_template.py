"""oidcify.template: finding the template, typing --data answers, naming refused answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases import REPO
from oidcify import template
from oidcify.errors import InputError


def test_questions_come_from_copier_yml() -> None:
    asked = template.questions(str(REPO))
    assert asked is not None
    assert asked["aws_account_id"] == template.Question("aws_account_id", "str")
    assert asked["image_tags"].multiselect
    assert "_subdirectory" not in asked
    assert template.questions("https://example.com/some/repo.git") is None


@pytest.fixture(scope="module")
def asked() -> dict[str, template.Question]:
    found = template.questions(str(REPO))
    assert found is not None
    return found


def test_data_is_typed_by_question(asked: dict[str, template.Question]) -> None:
    data = template.parse_data(
        ["aws_account_id=012345678901", "deploy_branches=[main, 'release/*']",
         "allow_pull_requests=yes", "max_session_duration=7200", "image_tags=[sha]",
         "deploy_tag_pattern="],
        None, asked,
    )  # fmt: skip
    assert data == {
        "aws_account_id": "012345678901",
        "deploy_branches": ["main", "release/*"],
        "allow_pull_requests": True,
        "max_session_duration": 7200,
        "image_tags": ["sha"],
        "deploy_tag_pattern": "",
    }


def test_data_flags_win_over_the_data_file(
    asked: dict[str, template.Question], tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("github_owner: from-file\ngithub_repo: app\n")
    data = template.parse_data(["github_owner=from-flag"], answers, asked)
    assert data == {"github_owner": "from-flag", "github_repo": "app"}


@pytest.mark.parametrize(
    ("pairs", "field", "says"),
    [
        (["nosuch=1"], "nosuch", "is not a question of this template"),
        (["github_owner"], "--data", "expected NAME=VALUE"),
        (["deploy_branches=[main"], "deploy_branches", "is not valid YAML"),
        (["image_tags=sha"], "image_tags", "a YAML list such as"),
    ],
)
def test_bad_data_names_the_field(
    asked: dict[str, template.Question], pairs: list[str], field: str, says: str
) -> None:
    with pytest.raises(InputError) as exc:
        template.parse_data(pairs, None, asked)
    assert exc.value.field == field
    assert says in exc.value.message


@pytest.mark.parametrize(
    ("text", "says"),
    [("- a list\n", "is not a YAML mapping"), ("a: [\n", "is not valid YAML at line 2")],
)
def test_bad_data_file(
    asked: dict[str, template.Question], tmp_path: Path, text: str, says: str
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(text)
    with pytest.raises(InputError) as exc:
        template.parse_data([], answers, asked)
    assert exc.value.field == "--data-file"
    assert says in exc.value.message
    with pytest.raises(InputError, match="unknown_key"):
        answers.write_text("unknown_key: 1\n")
        template.parse_data([], answers, asked)


def test_unknown_questions_pass_through_for_remote_templates() -> None:
    assert template.parse_data(["anything=[1"], None, None) == {"anything": "[1"}


def test_ctrl_c_in_copiers_questions_stays_an_interrupt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import copier
    from copier.errors import CopierAnswersInterrupt

    def interrupted(**_: object) -> None:
        raise CopierAnswersInterrupt(None, None, None)

    monkeypatch.setattr(copier, "run_copy", interrupted)
    with pytest.raises(KeyboardInterrupt):
        template.render(str(REPO), tmp_path / "out", {}, defaults=False)


def test_a_template_that_needs_trust_is_refused_in_one_line(
    plain_template: Path, tmp_path: Path
) -> None:
    import shutil

    src = tmp_path / "template"
    shutil.copytree(plain_template, src)
    (src / "copier.yml").write_text("_tasks: [git init]\n" + (src / "copier.yml").read_text())
    with pytest.raises(InputError) as exc:
        template.render(str(src), tmp_path / "out", {}, defaults=True)
    assert str(exc.value) == (
        "Template uses potentially unsafe feature: tasks; oidcify never passes --trust: "
        "review them, then run copier with --trust"
    )
    assert not (tmp_path / "out").exists()
