"""Multi-repo engines that run ``oidcify retrofit`` as their per-repository script, and what each
tells the script through its environment (read from their sources):

==============  ===========================================  ==============================
engine          repository                                   dry run (change nothing)
==============  ===========================================  ==============================
multi-gitter    ``REPOSITORY=OWNER/NAME``                    ``DRY_RUN=true``
git-xargs       ``XARGS_REPO_OWNER``, ``XARGS_REPO_NAME``    ``XARGS_DRY_RUN=true``
microplane      ``MICROPLANE_REPO`` (``NAME`` or ``O/N``)    (plans in a copy anyway)
turbolift       none: the clone is ``work/OWNER/NAME`` in    (none)
                the campaign directory (next to repos.txt)
==============  ===========================================  ==============================

Each runs the script in the clone's root with no path argument and counts any non-zero exit as
a failed repository; a change is whatever ``git status`` shows afterwards. ``DRY_RUN`` alone is
a common variable name, so it counts only together with multi-gitter's ``REPOSITORY``.
Sourcegraph batch changes set nothing: pass ``--repo ${{ repository.name }}``, which
``parse_repository`` accepts with its ``github.com/`` prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oidcify import names, repoinfo
from oidcify.errors import InputError

# What to do when nothing says which GitHub repository a checkout is (one line of an error).
REPOSITORY_HINT = (
    "pass --repo OWNER/NAME, or set REPOSITORY=OWNER/NAME (as multi-gitter does) or "
    "XARGS_REPO_OWNER and XARGS_REPO_NAME (as git-xargs does), or use {name}"
)
_HOST_PREFIXES = ("https://github.com/", "http://github.com/", "github.com/")


@dataclass(frozen=True)
class Engine:
    name: str
    repository: tuple[str, str] | None  # (owner, name) when the engine says which repo it is
    dry_run: bool = False
    dry_run_variable: str | None = None


def parse_repository(value: str) -> tuple[str, str] | None:
    """``OWNER/NAME`` (also ``github.com/OWNER/NAME``, a URL, a trailing ``.git``) as a pair
    that follows GitHub's naming rules; None for anything else (GitLab groups, typos)."""
    text = value.strip()
    for prefix in _HOST_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.removesuffix("/").removesuffix(".git")
    owner, slash, name = text.partition("/")
    if not slash or not names.GITHUB_OWNER.ok(owner) or not names.GITHUB_REPO.ok(name):
        return None
    return owner, name


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def _turbolift(root: Path) -> tuple[str, str] | None:
    """``CAMPAIGN/work/OWNER/NAME`` with ``CAMPAIGN/repos.txt``: turbolift's clone layout."""
    folder = root.resolve()
    work = folder.parent.parent
    if work.name != "work" or not (work.parent / "repos.txt").is_file():
        return None
    owner, name = folder.parent.name, folder.name
    return (owner, name) if names.GITHUB_OWNER.ok(owner) and names.GITHUB_REPO.ok(name) else None


def detect(environ: Mapping[str, str], root: Path) -> Engine | None:
    """The engine running us in ``root``, if any, from its environment variables or layout."""
    if "REPOSITORY" in environ:
        return Engine(
            "multi-gitter",
            parse_repository(environ["REPOSITORY"]),
            _true(environ.get("DRY_RUN")),
            "DRY_RUN",
        )
    if "XARGS_REPO_NAME" in environ:
        pair = parse_repository(
            f"{environ.get('XARGS_REPO_OWNER', '')}/{environ['XARGS_REPO_NAME']}"
        )
        return Engine("git-xargs", pair, _true(environ.get("XARGS_DRY_RUN")), "XARGS_DRY_RUN")
    if "MICROPLANE_REPO" in environ:
        value = environ["MICROPLANE_REPO"]
        return Engine("microplane", parse_repository(value) if "/" in value else None)
    if pair := _turbolift(root):
        return Engine("turbolift", pair)
    return None


def repository(
    explicit: str | None, engine: Engine | None, answers: Mapping[str, Any], root: Path
) -> tuple[tuple[str, str] | None, str]:
    """The GitHub repository a checkout is, and where that came from: ``--repo``, the engine,
    the template's answers, then the ``origin`` remote. ``(None, "")`` when nothing says."""
    if explicit is not None:
        pair = parse_repository(explicit)
        if pair is None:
            raise InputError(
                f"{explicit!r} is not OWNER/NAME ({names.GITHUB_REPO.allowed} for NAME)",
                field="--repo",
            )
        return pair, "--repo"
    if engine is not None and engine.repository is not None:
        return engine.repository, engine.name
    owner, name = answers.get("github_owner"), answers.get("github_repo")
    both = isinstance(owner, str) and isinstance(name, str)
    if both and (pair := parse_repository(f"{owner}/{name}")):
        return pair, ".copier-answers.yml"
    if origin := repoinfo.origin_repository(root):
        return origin, "git origin"
    return None, ""
