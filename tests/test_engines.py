"""Which engine runs us, and which GitHub repository the checkout is (``oidcify.engines``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oidcify import engines
from oidcify.errors import InputError


@pytest.mark.parametrize(
    ("environ", "name", "repository", "dry_run"),
    [
        ({"REPOSITORY": "octo/app"}, "multi-gitter", ("octo", "app"), False),
        ({"REPOSITORY": "octo/app", "DRY_RUN": "true"}, "multi-gitter", ("octo", "app"), True),
        ({"REPOSITORY": "group/sub/app", "DRY_RUN": "false"}, "multi-gitter", None, False),
        (
            {"XARGS_REPO_OWNER": "octo", "XARGS_REPO_NAME": "app", "XARGS_DRY_RUN": "true"},
            "git-xargs",
            ("octo", "app"),
            True,
        ),
        (
            {"XARGS_REPO_OWNER": "octo", "XARGS_REPO_NAME": "app"},
            "git-xargs",
            ("octo", "app"),
            False,
        ),
        ({"MICROPLANE_REPO": "octo/app"}, "microplane", ("octo", "app"), False),
        ({"MICROPLANE_REPO": "app"}, "microplane", None, False),
    ],
)
def test_detect_from_environment(
    tmp_path: Path,
    environ: dict[str, str],
    name: str,
    repository: tuple[str, str] | None,
    dry_run: bool,
) -> None:
    engine = engines.detect(environ, tmp_path)
    assert engine is not None
    assert (engine.name, engine.repository, engine.dry_run) == (name, repository, dry_run)


def test_dry_run_alone_is_not_an_engine(tmp_path: Path) -> None:
    assert engines.detect({"DRY_RUN": "true"}, tmp_path) is None


XARGS = {"XARGS_REPO_OWNER": "xo", "XARGS_REPO_NAME": "xn"}


@pytest.mark.parametrize(
    ("environ", "setting"),
    [
        # a dry run any engine present asks for wins, whatever else is set
        ({"REPOSITORY": "octo/app", **XARGS, "XARGS_DRY_RUN": "1"}, "XARGS_DRY_RUN=1"),
        ({"REPOSITORY": "octo/app", **XARGS, "XARGS_DRY_RUN": "false"}, None),
        ({"REPOSITORY": "octo/app", "DRY_RUN": "TRUE", **XARGS}, "DRY_RUN=TRUE"),
        ({"XARGS_DRY_RUN": "yes"}, "XARGS_DRY_RUN=yes"),  # the name is git-xargs' alone
        ({"MICROPLANE_REPO": "app", "XARGS_DRY_RUN": "true"}, "XARGS_DRY_RUN=true"),
        ({"DRY_RUN": "true", **XARGS}, None),  # DRY_RUN counts only with REPOSITORY
    ],
)
def test_dry_run_is_never_ignored(
    tmp_path: Path, environ: dict[str, str], setting: str | None
) -> None:
    engine = engines.detect(environ, tmp_path)
    assert engine is not None
    assert engine.dry_run is (setting is not None)
    assert (engine.dry_run_setting or "").startswith(setting or "")


@pytest.mark.parametrize("value", ["maybe", "ture", "2"])
def test_a_dry_run_value_neither_true_nor_false_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(InputError, match=f"XARGS_DRY_RUN: '{value}' is neither true nor false"):
        engines.detect({**XARGS, "XARGS_DRY_RUN": value}, tmp_path)
    with pytest.raises(InputError, match=f"DRY_RUN: '{value}' is neither"):
        engines.detect({"REPOSITORY": "o/r", "DRY_RUN": value}, tmp_path)


def test_engine_specific_variables_win_over_repository(tmp_path: Path) -> None:
    engine = engines.detect({"REPOSITORY": "octo/app", **XARGS}, tmp_path)
    assert engine is not None
    assert (engine.name, engine.repository) == ("git-xargs", ("xo", "xn"))
    assert engine.notes == (
        "REPOSITORY='octo/app' ignored: git-xargs's XARGS_REPO_OWNER/XARGS_REPO_NAME (xo/xn) "
        "says which repository this is",
    )
    micro = engines.detect({"REPOSITORY": "octo/app", "MICROPLANE_REPO": "m/r"}, tmp_path)
    assert micro is not None and micro.repository == ("m", "r") and len(micro.notes) == 1
    # the same repository, in another case: nothing to say
    same = engines.detect({"REPOSITORY": "XO/XN", **XARGS}, tmp_path)
    assert same is not None and same.repository == ("xo", "xn") and same.notes == ()


def test_engine_specific_variables_that_disagree_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"MICROPLANE_REPO: .*'xo/xn' .* and 'm/r' .* different"):
        engines.detect({**XARGS, "MICROPLANE_REPO": "m/r"}, tmp_path)


def test_a_repository_that_is_not_github_is_named_in_a_note(tmp_path: Path) -> None:
    engine = engines.detect({"REPOSITORY": "gitlab.com/grp/sub/app"}, tmp_path)
    assert engine is not None and engine.repository is None
    assert engine.notes == (
        "REPOSITORY='gitlab.com/grp/sub/app' (multi-gitter) is not a GitHub OWNER/REPO: ignored",
    )
    # microplane gives the name alone at times: expected, no note
    alone = engines.detect({"MICROPLANE_REPO": "app"}, tmp_path)
    assert alone is not None and alone.notes == ()


def test_turbolift_layout(tmp_path: Path) -> None:
    clone = tmp_path / "campaign" / "work" / "octo" / "app"
    clone.mkdir(parents=True)
    assert engines.detect({}, clone) is None  # no repos.txt: not a campaign
    (tmp_path / "campaign" / "repos.txt").write_text("octo/app\n")
    engine = engines.detect({}, clone)
    assert engine is not None and (engine.name, engine.repository) == ("turbolift", ("octo", "app"))


def test_repository_sources_in_order(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text('[remote "origin"]\n\turl = git@github.com:o/r.git\n')
    answers = {"github_owner": "a", "github_repo": "b"}
    engine = engines.Engine("multi-gitter", ("e", "f"))
    assert engines.repository("x/y", engine, answers, tmp_path) == (("x", "y"), "--repo")
    assert engines.repository(None, engine, answers, tmp_path) == (("e", "f"), "multi-gitter")
    assert engines.repository(None, None, answers, tmp_path) == (("a", "b"), ".copier-answers.yml")
    assert engines.repository(None, None, {}, tmp_path) == (("o", "r"), "git origin")
    assert engines.repository(None, None, {}, tmp_path / ".git") == (None, "")
    with pytest.raises(InputError, match="--repo: 'x' is not OWNER/REPO"):
        engines.repository("x", None, {}, tmp_path)
