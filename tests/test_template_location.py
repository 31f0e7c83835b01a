"""oidcify.template_location: which template `oidcify new` renders, and what the answers file
records so that `copier update` can reach it later."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases import REPO
from oidcify import __version__, template_location
from oidcify.errors import InputError
from oidcify.template_location import Source


def test_source_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(template_location.ENV_VAR, raising=False)
    assert template_location.source() == Source(str(REPO))  # an editable install: its checkout
    monkeypatch.setenv(template_location.ENV_VAR, "gh:example/fork")
    assert template_location.source() == Source("gh:example/fork")
    assert template_location.source(str(tmp_path)) == Source(str(tmp_path))


def test_a_relative_template_is_recorded_absolute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert template_location.source("../x") == Source(str(tmp_path / "x"))
    monkeypatch.setenv(template_location.ENV_VAR, "../x")
    assert template_location.source() == Source(str(tmp_path / "x"))


def test_a_missing_local_template_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as exc:
        template_location.source("../nowhere")
    assert str(exc.value) == "--template: ../nowhere does not exist (a template path or git URL)"
    monkeypatch.setenv(template_location.ENV_VAR, "gone")
    with pytest.raises(InputError, match=r"^\$OIDCIFY_TEMPLATE: gone does not exist"):
        template_location.source()


def test_without_a_checkout_the_bundled_copy_records_the_canonical_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(template_location.ENV_VAR, raising=False)
    monkeypatch.setattr(template_location, "checkout_root", lambda: None)
    monkeypatch.setattr(template_location, "bundled_root", lambda: tmp_path)
    url = template_location.canonical_url()
    assert url is not None and url.startswith("https://") and url.endswith(".git")
    assert template_location.source() == Source(str(tmp_path), url, f"v{__version__}")


def test_the_canonical_url_is_the_one_in_pyproject() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'Source = "{template_location.canonical_url()}"' in pyproject


def test_no_template_at_all_asks_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(template_location.ENV_VAR, raising=False)
    monkeypatch.setattr(template_location, "checkout_root", lambda: None)
    monkeypatch.setattr(template_location, "bundled_root", lambda: None)
    with pytest.raises(InputError) as exc:
        template_location.source()
    assert exc.value.field == "--template"
    assert template_location.ENV_VAR in str(exc.value)


def test_record_rewrites_only_the_source_lines(tmp_path: Path) -> None:
    answers = tmp_path / ".copier-answers.yml"
    answers.write_text(
        "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
        '_src_path: "/venv/lib/python3.12/site-packages/oidcify/bundled_template"\n'
        'aws_region: "us-east-1"\n',
        encoding="utf-8",
    )
    src = Source("/somewhere", "https://example.com/oidcify.git", "v9.9.9")
    template_location.record(answers, src)
    assert answers.read_text(encoding="utf-8") == (
        "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
        '_commit: "v9.9.9"\n'
        '_src_path: "https://example.com/oidcify.git"\n'
        'aws_region: "us-east-1"\n'
    )
    template_location.record(answers, Source("/other"))  # nothing to record: unchanged
    assert "example.com" in answers.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("src", "remote"),
    [
        ("https://github.com/o/r.git", True),
        ("gh:o/r", True),
        ("git@github.com:o/r.git", True),
        ("git+https://example.com/r", True),
        ("../x", False),
        ("/abs/path", False),
        ("~/t", False),
    ],
)
def test_is_remote(src: str, remote: bool) -> None:
    assert template_location.is_remote(src) is remote


def test_a_recorded_template_that_is_gone_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    answers = tmp_path / "p" / ".copier-answers.yml"
    template_location.check_recorded(str(tmp_path), answers)  # a directory: fine
    template_location.check_recorded("https://example.com/r.git", answers)  # Copier's business
    with pytest.raises(InputError) as exc:
        template_location.check_recorded("../x", answers)
    assert str(exc.value) == (
        f"{answers}: _src_path: the template ../x is not a directory, read from the current "
        "folder; run where it is, or copy again from a git URL"
    )


def test_sarif_and_rule_links_name_the_canonical_repository() -> None:
    """SARIF's informationUri and helpUri name the repository pyproject.toml's Source URL names,
    so a new canonical URL is changed in both or a test fails."""
    import tomllib

    from oidcify.check.findings import REPOSITORY_URL

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert project["project"]["urls"]["Source"].removesuffix(".git") == REPOSITORY_URL
