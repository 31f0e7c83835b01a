"""``oidcify retrofit`` as the per-repository script of multi-repo engines, each engine imitated
over a local git clone: the script runs in the clone's root with no path argument and the
engine's environment; exit 0 both after a change and when there is nothing to do; changes are
seen with ``git status``; a dry run changes nothing; multi-gitter's ``--manual-commit`` gets
one commit with the pull-request text, Sourcegraph gets JSON on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from batch_repos import OIDC, STATIC, git, make_repo, status

ROLE = "arn:aws:iam::123456789012:role/gha-{owner}-{repo}"
ENGINE_VARIABLES = (
    "REPOSITORY", "DRY_RUN", "XARGS_REPO_OWNER", "XARGS_REPO_NAME", "XARGS_DRY_RUN",
    "MICROPLANE_REPO",
)  # fmt: skip
WORKFLOW = ".github/workflows/deploy.yml"


@dataclass(frozen=True)
class Engine:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    layout: str = "plain"  # "turbolift": work/OWNER/NAME in a campaign, origin a fork
    dry_run: bool = False


ENGINES = [
    Engine("multi-gitter", {"REPOSITORY": "octo/app"}),
    Engine("multi-gitter dry run", {"REPOSITORY": "octo/app", "DRY_RUN": "true"}, dry_run=True),
    Engine("git-xargs", {"XARGS_REPO_OWNER": "octo", "XARGS_REPO_NAME": "app"}),
    Engine(
        "git-xargs dry run",
        {"XARGS_REPO_OWNER": "octo", "XARGS_REPO_NAME": "app", "XARGS_DRY_RUN": "true"},
        dry_run=True,
    ),
    # A REPOSITORY left in the shell that runs git-xargs: git-xargs' own variables say which
    # repository this is, and its dry run holds whatever the value's spelling.
    Engine(
        "git-xargs under a stale REPOSITORY",
        {"REPOSITORY": "stale/other", "XARGS_REPO_OWNER": "octo", "XARGS_REPO_NAME": "app"},
    ),
    Engine(
        "git-xargs dry run under a stale REPOSITORY",
        {
            "REPOSITORY": "stale/other",
            "XARGS_REPO_OWNER": "octo",
            "XARGS_REPO_NAME": "app",
            "XARGS_DRY_RUN": "1",
        },
        dry_run=True,
    ),
    Engine("microplane", {"MICROPLANE_REPO": "octo/app"}),
    Engine("turbolift", layout="turbolift"),
    Engine("sourcegraph", args=("--repo", "github.com/octo/app")),
]


def clone(tmp_path: Path, engine: Engine, files: dict[str, str | bytes]) -> Path:
    if engine.layout == "turbolift":
        campaign = tmp_path / "campaign"
        (campaign / "work" / "octo").mkdir(parents=True)
        (campaign / "repos.txt").write_text("octo/app\n")
        return make_repo(campaign / "work" / "octo" / "app", files, "git@github.com:me/app.git")
    return make_repo(tmp_path / "app", files, "https://github.com/octo/app.git")


def script(root: Path, engine: Engine, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ENGINE_VARIABLES} | engine.env
    argv = [sys.executable, "-m", "oidcify", "retrofit", "--write", "--role-arn", ROLE]
    return subprocess.run(
        [*argv, "--region", "us-east-1", *engine.args, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e.name)
def test_changes_then_nothing_to_do(tmp_path: Path, engine: Engine) -> None:
    root = clone(tmp_path, engine, {"deploy.yml": STATIC, "oidc.yml": OIDC})
    first = script(root, engine, "--format", "json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)  # stdout is JSON only (Sourcegraph's step output)
    assert report["repository"] == "octo/app"
    if engine.dry_run:
        assert status(root) == ""
        (seen,) = [f"{k}={v}" for k, v in engine.env.items() if k.endswith("DRY_RUN")]
        assert f"{seen} (" in first.stderr and "nothing is written" in first.stderr
        return
    if "REPOSITORY" in engine.env and "XARGS_REPO_NAME" in engine.env:
        assert "note: REPOSITORY='stale/other' ignored" in first.stderr
    assert status(root) == f" M {WORKFLOW}\n"
    role = "arn:aws:iam::123456789012:role/gha-octo-app"
    assert f"role-to-assume: {role}" in (root / WORKFLOW).read_text()
    assert report["pull_request"]["title"] == "Move GitHub Actions from static AWS keys to OIDC"
    assert "`repo:octo/app:ref:refs/heads/main`" in report["pull_request"]["body"]
    again = script(root, engine)
    assert again.returncode == 0, again.stderr
    assert status(root) == f" M {WORKFLOW}\n"


@pytest.mark.parametrize("engine", ENGINES[:2], ids=lambda e: e.name)
def test_manual_commit_carries_the_pull_request_text(tmp_path: Path, engine: Engine) -> None:
    root = clone(tmp_path, engine, {"deploy.yml": STATIC})
    head = git(root, "rev-parse", "HEAD")
    done = script(root, engine, "--commit")
    assert done.returncode == 0, done.stderr
    assert status(root) == ""
    if engine.dry_run:
        assert git(root, "rev-parse", "HEAD") == head
        return
    assert git(root, "rev-list", "--count", f"{head.strip()}..HEAD").strip() == "1"
    subject, _, body = git(root, "log", "-1", "--format=%B").partition("\n\n")
    assert subject == "Move GitHub Actions from static AWS keys to OIDC"
    assert "`repo:octo/app:ref:refs/heads/main`" in body
    assert git(root, "show", "--name-only", "--format=").split() == [WORKFLOW]


def test_manual_commit_refuses_a_dirty_tree(tmp_path: Path) -> None:
    engine = ENGINES[0]
    root = clone(tmp_path, engine, {"deploy.yml": STATIC})
    (root / ".github/workflows/local.yml").write_text(OIDC)
    done = script(root, engine, "--commit")
    assert done.returncode == 2
    assert "dirty tree" in done.stderr
    assert (root / WORKFLOW).read_text() == STATIC


def test_conflicting_or_unclear_engine_variables_write_nothing(tmp_path: Path) -> None:
    root = clone(tmp_path, ENGINES[0], {"deploy.yml": STATIC})
    both = Engine("two engines", {"XARGS_REPO_OWNER": "octo", "XARGS_REPO_NAME": "app",
                                  "MICROPLANE_REPO": "octo/web"})  # fmt: skip
    done = script(root, both)
    assert done.returncode == 2 and status(root) == ""
    assert "error: MICROPLANE_REPO:" in done.stderr and "Traceback" not in done.stderr
    unclear = Engine("unclear", {"REPOSITORY": "octo/app", "DRY_RUN": "maybe"})
    done = script(root, unclear)
    assert done.returncode == 2 and status(root) == ""
    assert "error: DRY_RUN: 'maybe' is neither true nor false" in done.stderr


def test_a_repository_that_is_not_github_is_noted_and_origin_used(tmp_path: Path) -> None:
    engine = Engine("gitlab", {"REPOSITORY": "gitlab.com/grp/sub/app"})
    root = clone(tmp_path, engine, {"deploy.yml": STATIC})
    done = script(root, engine, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "note: REPOSITORY='gitlab.com/grp/sub/app' (multi-gitter) is not a GitHub" in done.stderr
    assert json.loads(done.stdout)["repository"] == "octo/app"  # from the origin remote


@pytest.mark.parametrize("engine", [ENGINES[0], ENGINES[2]], ids=lambda e: e.name)
def test_nothing_to_do_and_failures(tmp_path: Path, engine: Engine) -> None:
    calm = clone(tmp_path / "calm", engine, {"oidc.yml": OIDC})
    done = script(calm, engine)
    assert (done.returncode, status(calm)) == (0, "")
    broken = clone(tmp_path / "broken", engine, {"deploy.yml": STATIC, "bad.yml": "on: [push\n"})
    failed = script(broken, engine)
    assert failed.returncode == 2  # the engine marks the repository failed
    assert status(broken) == ""
