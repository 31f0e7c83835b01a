"""Multi-repo engines that run ``oidcify retrofit`` as their per-repository script, and what each
tells the script through its environment (read from their sources):

==============  ===========================================  ==============================
engine          repository                                   dry run (change nothing)
==============  ===========================================  ==============================
multi-gitter    ``REPOSITORY=OWNER/REPO``                    ``DRY_RUN=true``
git-xargs       ``XARGS_REPO_OWNER``, ``XARGS_REPO_NAME``    ``XARGS_DRY_RUN=true``
microplane      ``MICROPLANE_REPO`` (``NAME`` or ``O/N``)    (plans in a copy anyway)
turbolift       none: the clone is ``work/OWNER/REPO`` in    (none)
                the campaign directory (next to repos.txt)
==============  ===========================================  ==============================

Each runs the script in the clone's root with no path argument and counts any non-zero exit as
a failed repository; a change is whatever ``git status`` shows afterwards. ``DRY_RUN`` alone is
a common variable name, so it counts only together with multi-gitter's ``REPOSITORY``.

Variables of several engines may meet (a ``REPOSITORY`` left in the shell that runs git-xargs):
a dry run any of them asks for is honoured, and a value that is neither true nor false is
refused rather than guessed. For the repository the engine-specific names (``XARGS_*``,
``MICROPLANE_REPO``) win over the generic ``REPOSITORY``, with a note, since only the engine
running now sets them; two engine-specific names that disagree are refused.
Sourcegraph batch changes set nothing: pass ``--repo ${{ repository.name }}``, which
``names.parse_repository`` accepts with its ``github.com/`` prefix.
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
    "pass --repo OWNER/REPO, or set REPOSITORY=OWNER/REPO (as multi-gitter does) or "
    "XARGS_REPO_OWNER and XARGS_REPO_NAME (as git-xargs does), or use {name}"
)


@dataclass(frozen=True)
class Engine:
    name: str
    repository: tuple[str, str] | None  # (owner, name) when the engine says which repo it is
    dry_run_setting: str | None = None  # the variable that asks for a dry run, as seen: X=1
    notes: tuple[str, ...] = ()  # engine variables that were set but not used, and why

    @property
    def dry_run(self) -> bool:
        return self.dry_run_setting is not None


def _pair(value: str) -> tuple[str, str] | None:
    """``names.parse_repository`` for an engine's variable: None instead of an error."""
    try:
        return names.parse_repository(value)
    except InputError:
        return None


_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off", "")


def _dry_run(environ: Mapping[str, str], variable: str) -> str | None:
    """``VARIABLE=value`` when it asks for a dry run, None when it is unset or false."""
    if variable not in environ:
        return None
    value = environ[variable]
    if value.strip().lower() in _FALSE:
        return None
    if value.strip().lower() not in _TRUE:
        raise InputError(
            f"{value!r} is neither true nor false ({', '.join(_TRUE[:2])} or "
            f"{', '.join(_FALSE[:2])}); unsure whether to write, oidcify writes nothing",
            field=variable,
        )
    return f"{variable}={value}"


def _turbolift(root: Path) -> tuple[str, str] | None:
    """``CAMPAIGN/work/OWNER/REPO`` with ``CAMPAIGN/repos.txt``: turbolift's clone layout."""
    folder = root.resolve()
    work = folder.parent.parent
    if work.name != "work" or not (work.parent / "repos.txt").is_file():
        return None
    owner, name = folder.parent.name, folder.name
    return (owner, name) if names.GITHUB_OWNER.ok(owner) and names.GITHUB_REPO.ok(name) else None


def _claims(environ: Mapping[str, str]) -> list[tuple[str, str, str, tuple[str, str] | None]]:
    """``(engine, variables, value, repository)`` per engine whose repository variable is set,
    engine-specific ones first."""
    found = []
    if "XARGS_REPO_NAME" in environ or "XARGS_REPO_OWNER" in environ:
        value = f"{environ.get('XARGS_REPO_OWNER', '')}/{environ.get('XARGS_REPO_NAME', '')}"
        found.append(("git-xargs", "XARGS_REPO_OWNER/XARGS_REPO_NAME", value,
                      _pair(value)))  # fmt: skip
    if "MICROPLANE_REPO" in environ:
        value = environ["MICROPLANE_REPO"]
        pair = _pair(value) if "/" in value else None  # the name alone, at times
        found.append(("microplane", "MICROPLANE_REPO", value, pair))
    if "REPOSITORY" in environ:
        value = environ["REPOSITORY"]
        found.append(("multi-gitter", "REPOSITORY", value, _pair(value)))
    return found


def _same(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[0].lower() == b[0].lower() and a[1].lower() == b[1].lower()  # GitHub ignores case


def detect(environ: Mapping[str, str], root: Path) -> Engine | None:
    """The engine running us in ``root``, if any, from its environment variables or layout;
    an InputError when its variables contradict each other."""
    dry_runs = [
        (name, setting)
        for name, setting in (
            ("git-xargs", _dry_run(environ, "XARGS_DRY_RUN")),
            ("multi-gitter", _dry_run(environ, "DRY_RUN") if "REPOSITORY" in environ else None),
        )
        if setting
    ]
    dry_run = f"{dry_runs[0][1]} ({dry_runs[0][0]} dry run)" if dry_runs else None
    claims = _claims(environ)
    if not claims:
        if pair := _turbolift(root):
            return Engine("turbolift", pair, dry_run)
        return Engine(dry_runs[0][0], None, dry_run) if dry_runs else None
    chosen = next((c for c in claims if c[3] is not None), claims[0])
    notes = []
    for name, variables, value, pair in claims:
        if pair is None and (name != "microplane" or "/" in value):
            notes.append(f"{variables}={value!r} ({name}) is not a GitHub OWNER/REPO: ignored")
        elif pair is not None and chosen[3] is not None and not _same(pair, chosen[3]):
            if name != "multi-gitter":
                raise InputError(
                    f"{chosen[1]}={chosen[2]!r} ({chosen[0]}) and {value!r} ({name}) name "
                    "different repositories: unset the one that does not belong to this run",
                    field=variables,
                )
            notes.append(
                f"REPOSITORY={value!r} ignored: {chosen[0]}'s {chosen[1]} ({chosen[2]}) says "
                "which repository this is"
            )
    return Engine(chosen[0], chosen[3], dry_run, tuple(notes))


def repository(
    explicit: str | None, engine: Engine | None, answers: Mapping[str, Any], root: Path
) -> tuple[tuple[str, str] | None, str]:
    """The GitHub repository a checkout is, and where that came from: ``--repo``, the engine,
    the template's answers, then the ``origin`` remote. ``(None, "")`` when nothing says."""
    if explicit is not None:
        return names.parse_repository(explicit), "--repo"
    if engine is not None and engine.repository is not None:
        return engine.repository, engine.name
    owner, name = answers.get("github_owner"), answers.get("github_repo")
    both = isinstance(owner, str) and isinstance(name, str)
    if both and (pair := _pair(f"{owner}/{name}")):
        return pair, ".copier-answers.yml"
    if origin := repoinfo.origin_repository(root):
        return origin, "git origin"
    return None, ""
