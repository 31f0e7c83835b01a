"""One repository of a batch, as a worker process runs it: find its role, retrofit it, write or
commit when asked, and describe the result as an ``Outcome``.

Nothing a repository does can escape as an exception: an ``OidcifyError`` becomes a failure with
its message, anything else a failure that names the unexpected error, so the other repositories
go on. This module imports the retrofit (and ruamel) only inside functions: the parent process
imports it to name ``run_chunk`` for the pool, and stays light.
"""

from __future__ import annotations

import signal
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oidcify import gitops, names, repoinfo, subjects
from oidcify.batch.outcome import (
    CHANGED,
    FAILED,
    SKIPPED,
    UNCHANGED,
    Outcome,
    Settings,
    Target,
)
from oidcify.errors import InputError, OidcifyError
from oidcify.retrofit import report, role_value
from oidcify.retrofit.message import commit_message, other_roles, role_subjects
from oidcify.retrofit.write import write

if TYPE_CHECKING:
    from oidcify.retrofit import Options, RepoResult

_settings = Settings("diff")


def initialize(settings: Settings) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; load the retrofit once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _settings  # noqa: PLW0603 - one worker process serves one batch
    _settings = settings
    from oidcify.retrofit.engine import cac_pin

    cac_pin()


def run_chunk(chunk: list[tuple[int, Target]]) -> list[tuple[int, Outcome]]:
    return [(index, process(target, _settings)) for index, target in chunk]


def process(target: Target, settings: Settings) -> Outcome:
    try:
        return _process(target, settings)
    except OidcifyError as err:
        return Outcome(target.label, target.path, FAILED, reason=str(err))
    except Exception as err:  # a bug must not stop the other repositories
        reason = f"unexpected error (please report it): {type(err).__name__}: {err}"
        return Outcome(target.label, target.path, FAILED, reason=reason)


def identity(root: Path, answers: dict[str, Any]) -> tuple[str, str] | None:
    """The GitHub repository: the ``origin`` remote on github.com, else the template's answers."""
    if origin := repoinfo.origin_repository(root):
        return origin
    owner, name = answers.get("github_owner"), answers.get("github_repo")
    if isinstance(owner, str) and isinstance(name, str) and names.GITHUB_OWNER.ok(owner):
        return (owner, name) if names.GITHUB_REPO.ok(name) else None
    return None


def repository_id(repo: tuple[str, str] | None, answers: dict[str, Any]) -> str | None:
    """The numeric id of ``repo`` that the template's answers give (``github_repo_id``), when
    they describe that very repository; None when unknown."""
    value = answers.get("github_repo_id")
    if repo is None or not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    named = (answers.get("github_owner"), answers.get("github_repo"))
    if not all(isinstance(n, str) for n in named):
        return None
    same = tuple(str(n).lower() for n in named) == tuple(n.lower() for n in repo)
    return str(value) if same and names.POSITIVE_INT.ok(str(value)) else None


def checkout_repository(root: Path) -> tuple[str, str] | None:
    """``identity`` as the parent process reads it before the run: the template's answers (and
    with them the retrofit and ruamel) only for a checkout whose ``origin`` is not on GitHub and
    that has answers; None when they are unreadable (the worker then fails the repository)."""
    try:
        if origin := repoinfo.origin_repository(root):
            return origin
        if not (root / ".copier-answers.yml").is_file():  # retrofit.roles.ANSWERS, unloaded
            return None
        from oidcify.retrofit.roles import read_answers

        return identity(root, read_answers(root))
    except (OSError, InputError):  # an unreadable checkout fails on its own in its worker
        return None


NO_ROLE = (
    "no role: pass --role-arn or --roles-csv, or set one in the repository's .oidcify.toml, "
    "[tool.oidcify] or .copier-answers.yml"
)


@dataclass(frozen=True)
class Plan:
    options: Options
    repo: tuple[str, str] | None  # (owner, name) on GitHub
    repo_id: str | None  # its numeric id, when the template's answers give it
    source: str | None  # where the role came from
    role_error: str | None  # why the batch's role could not be filled in for this repository


def _plan(root: Path, target: Target, settings: Settings) -> Plan:
    from oidcify.retrofit import Options
    from oidcify.retrofit.roles import read_answers, resolve

    answers = read_answers(root)
    repo = identity(root, answers)
    row = settings.roles.lookup(target.directory, repo)
    role_error = None
    from_row = row.role_arn if row else None
    try:
        role = from_row or settings.roles.render(target.directory, repo)
    except InputError as err:  # matters only if the repository needs changes
        role, role_error = None, str(err)
    region = (row.region if row else None) or settings.region
    flags = {"role-arn": role, "account-id": None, "role-name": None, "region": region}
    role_for = (row.role_for if row else ()) + settings.roles.role_for
    resolved = resolve(root, flags, role_for)
    branch = repoinfo.default_branch(root) or "main"
    role_arn = None if role_error else resolved.role_arn
    options = Options(
        role_arn,
        resolved.region,
        settings.upgrade_actions,
        settings.role_chaining,
        branch,
        repository="/".join(repo) if repo else None,
        role_for=resolved.role_for,
        keep_action_versions=settings.keep_action_versions,
        role_session_name=settings.role_session_name,
    )
    source = "--roles-csv" if from_row else "--role-arn" if role else resolved.source or None
    return Plan(
        options, repo, repository_id(repo, answers), source if role_arn else None, role_error
    )


def _process(target: Target, settings: Settings) -> Outcome:
    from oidcify.retrofit import retrofit_repo
    from oidcify.workflows import discover

    root = Path(target.path)
    if not root.is_dir():
        return Outcome(target.label, target.path, FAILED, reason="not a directory")
    if not discover(root):
        reason = "no workflow files in .github/workflows"
        return Outcome(target.label, target.path, SKIPPED, reason=reason)
    plan = _plan(root, target, settings)
    result = retrofit_repo(root, plan.options)
    outcome = describe(target, plan.repo, result, plan.options)
    outcome.role_source, outcome.repository_id = plan.source, plan.repo_id
    name = settings.roles.name_for(target.directory, plan.repo)
    if name and role_value.is_expression(plan.options.role_arn):
        outcome.role_names[str(plan.options.role_arn)] = name
    if result.errors:
        outcome.status = FAILED
        outcome.reason = "; ".join(f"{f.path}: {f.error}" for f in result.errors)
    elif not result.changed:
        outcome.status = UNCHANGED
    elif result.needs_role and settings.mode != "check":
        outcome.status = FAILED
        outcome.reason = plan.role_error or NO_ROLE
    else:
        outcome.status = CHANGED
        if settings.mode == "write":
            _write(root, result, outcome, settings, plan.repo)
        if settings.diffs:
            outcome.diff = "".join(report.diff(f) for f in result.changed)
    return outcome


def _write(
    root: Path,
    result: RepoResult,
    outcome: Outcome,
    settings: Settings,
    repo: tuple[str, str] | None,
) -> None:
    if settings.branch is None:
        write(root, result)
        return
    gitops.check_ready(root, settings.branch)  # before anything is written
    found = role_subjects(result, repo, outcome.role_arn)
    others = other_roles(result, repo, outcome.role_arn)
    message = commit_message(result, role=outcome.role_arn, subjects=found, others=others)
    outcome.commit = gitops.commit_on_new_branch(
        root, settings.branch, outcome.changed_files, message, lambda: write(root, result)
    )
    outcome.branch = settings.branch


def describe(
    target: Target, repo: tuple[str, str] | None, result: RepoResult, options: Options
) -> Outcome:
    """Everything the report says about one repository, as plain data."""

    def findings(kind: str) -> list[dict[str, Any]]:
        return [{"path": f.path, **asdict(x)} for f in result.files for x in getattr(f, kind)]

    outcome = Outcome(
        target.label,
        target.path,
        UNCHANGED,
        repository="/".join(repo) if repo else None,
        role_arn=options.role_arn,
        changed_files=[f.path for f in result.changed],
        fixes=findings("fixes"),
        left_alone=findings("skipped"),
        warnings=findings("warnings") + [{"path": None, **asdict(w)} for w in result.warnings],
        errors=[{"path": f.path, "error": f.error or ""} for f in result.errors],
        deletable_secrets=list(result.deletable_secrets),
        role_for=[list(p) for p in options.role_for],
        define=report.to_define(result),
    )
    if repo is not None:
        data = report.subjects_json(result, subjects.Repo(*repo), "legacy")
        outcome.subjects, outcome.claims = data["subjects"], data["jobs"]
    else:
        outcome.claims = [asdict(c) | {"subjects": []} for c in result.claims]
    return outcome
