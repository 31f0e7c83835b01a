"""Where the role comes from, in which order, and how bad values are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from oidcify.errors import InputError
from oidcify.retrofit.roles import resolve

NONE: dict[str, str | None] = {
    "role-arn": None,
    "account-id": None,
    "role-name": None,
    "region": None,
}


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def test_nothing_configured(tmp_path: Path) -> None:
    settings = resolve(tmp_path, NONE)
    assert (settings.role_arn, settings.region) == (None, None)


def test_flags_win_over_every_file(tmp_path: Path) -> None:
    write(tmp_path, ".oidcify.toml", 'role-arn = "arn:aws:iam::111111111111:role/toml"\n')
    write(tmp_path, ".copier-answers.yml", "aws_account_id: '222222222222'\niam_role_name: c\n")
    flags = {**NONE, "account-id": "333333333333", "role-name": "flag", "region": "us-gov-west-1"}
    settings = resolve(tmp_path, flags)
    assert settings.role_arn == "arn:aws-us-gov:iam::333333333333:role/flag"
    assert settings.region == "us-gov-west-1"


def test_oidcify_toml_then_pyproject_then_answers(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.oidcify]\naccount-id = "111111111111"\nrole-name = "py"\nregion = "eu-west-1"\n',
    )
    write(
        tmp_path,
        ".copier-answers.yml",
        "aws_account_id: '222222222222'\niam_role_name: c\naws_region: cn-northwest-1\n",
    )
    settings = resolve(tmp_path, NONE)
    assert settings.role_arn == "arn:aws:iam::111111111111:role/py"
    assert settings.source == "pyproject.toml: [tool.oidcify] role-arn"
    write(tmp_path, ".oidcify.toml", 'role-arn = "arn:aws:iam::444444444444:role/path/x"\n')
    assert resolve(tmp_path, NONE).role_arn == "arn:aws:iam::444444444444:role/path/x"


def test_answers_partition_follows_region(tmp_path: Path) -> None:
    write(
        tmp_path,
        ".copier-answers.yml",
        "aws_account_id: '222222222222'\niam_role_name: c\n"
        "aws_region: cn-northwest-1\ngithub_owner: o\n",
    )
    settings = resolve(tmp_path, NONE)
    assert settings.role_arn == "arn:aws-cn:iam::222222222222:role/c"
    assert settings.answers["github_owner"] == "o"


@pytest.mark.parametrize(
    ("name", "text", "field"),
    [
        (".oidcify.toml", 'role = "x"\n', ".oidcify.toml"),
        (".oidcify.toml", "role-arn = [\n", ".oidcify.toml"),
        (".oidcify.toml", 'account-id = "1"\nrole-name = "r"\n', ".oidcify.toml: account-id"),
        (
            ".oidcify.toml",
            "account-id = 123456789012\nrole-name = 'r'\n",
            ".oidcify.toml: account-id",
        ),
        (
            "pyproject.toml",
            '[tool.oidcify]\nregion = "moon-1"\n',
            "pyproject.toml: [tool.oidcify] region",
        ),
        (
            ".copier-answers.yml",
            "aws_account_id: 012345678901\niam_role_name: r\n",
            ".copier-answers.yml: aws_account_id",
        ),
        (".copier-answers.yml", "aws_account_id: [\n", ".copier-answers.yml"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, name: str, text: str, field: str) -> None:
    write(tmp_path, name, text)
    with pytest.raises(InputError) as exc:
        resolve(tmp_path, NONE)
    assert exc.value.field == field


def test_region_and_role_partition_must_agree(tmp_path: Path) -> None:
    flags = {**NONE, "role-arn": "arn:aws:iam::123456789012:role/x", "region": "cn-north-1"}
    with pytest.raises(InputError, match="partition aws-cn, the role in aws") as exc:
        resolve(tmp_path, flags)
    assert exc.value.field == "--region"
