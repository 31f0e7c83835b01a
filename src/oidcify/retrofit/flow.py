"""What ``oidcify retrofit`` does between parsing its flags and printing: find the role, run the
engine (asking for a missing role or region on a terminal and running again), write or commit,
and gather what is printed. Nothing here prints; ``notes`` collects lines for stderr."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from oidcify import engines, gitops, names, repoinfo
from oidcify.batch.roles import RoleSource, parse_template
from oidcify.errors import ExitCode, InputError
from oidcify.retrofit import next_steps, prompts, role_value, roles, selectors
from oidcify.retrofit.engine import retrofit_repo
from oidcify.retrofit.message import other_roles, pull_request, role_subjects
from oidcify.retrofit.options import Options
from oidcify.retrofit.result import RepoResult
from oidcify.retrofit.write import write
from oidcify.workflows import discover

NO_ROLE = (
    "changes are needed but no role is set: pass --role-arn, or --account-id and "
    "--role-name, or set them in .oidcify.toml, [tool.oidcify] or .copier-answers.yml"
)


@dataclass(frozen=True)
class Request:
    """The command line, parsed: plain values only."""

    repo_dir: str = "."
    mode: str = "diff"  # diff, write or check
    commit: bool = False
    print_subjects: bool = False
    format: str = "text"  # text or json
    role_arn: str | None = None
    account_id: str | None = None
    role_name: str | None = None
    region: str | None = None
    role_for: tuple[str, ...] = ()
    interactive: bool = False
    upgrade_actions: bool = False
    keep_action_versions: bool = False
    role_chaining: bool = False
    role_session_name: str | None = None
    role_input: bool = False
    repo: str | None = None
    owner_id: str | None = None
    repo_id: str | None = None
    subject_format: str | None = None
    default_branch: str | None = None


@dataclass
class Done:
    """What came of a run, for the command to print."""

    result: RepoResult
    mode: str
    code: int
    written: bool
    options: Options
    settings: roles.Settings
    repo: tuple[str, str] | None
    commit: str | None = None
    pull_request: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def root_of(value: str) -> Path:
    root = Path(value)
    if not root.is_dir():
        raise InputError(f"{value!r} is not a directory", field="REPO_DIR")
    if not discover(root):
        raise InputError(
            f"no workflow files in {value}/.github/workflows (*.yml, *.yaml): nothing to do",
            field="REPO_DIR",
        )
    return root


def _role_arn(request: Request, root: Path, repo: tuple[str, str] | None) -> str | None:
    """``--role-arn``, with a template's placeholders filled in for this repository."""
    role = request.role_arn
    if not role or "{" not in role or role_value.is_expression(role):
        return role
    try:
        return RoleSource(parse_template(role)).render(
            root.resolve().name, repo, remedy=engines.REPOSITORY_HINT
        )
    except InputError:
        if request.mode != "check":
            raise
        return None  # --check only says whether changes are needed: no role needed


def options_for(
    request: Request, root: Path, repo: tuple[str, str] | None
) -> tuple[Options, roles.Settings]:
    role_for = tuple(selectors.parse_flag(v) for v in request.role_for)
    flags = {
        "role-arn": _role_arn(request, root, repo),
        "account-id": request.account_id,
        "role-name": request.role_name,
        "region": request.region,
    }
    settings = roles.resolve(root, flags, role_for)
    if request.default_branch:
        names.REF_PATTERN.require(request.default_branch, "--default-branch")
    if request.role_session_name:
        role_value.session_name(request.role_session_name, "--role-session-name")
    options = Options(
        settings.role_arn,
        settings.region,
        request.upgrade_actions,
        request.role_chaining,
        request.default_branch or repoinfo.default_branch(root) or "main",
        repository="/".join(repo) if repo else None,
        role_for=settings.role_for,
        keep_action_versions=request.keep_action_versions,
        role_session_name=request.role_session_name,
        role_input=request.role_input,
    )
    return options, settings


def _missing_region(result: RepoResult) -> bool:
    return any(f.code == "OS007" for r in result.files for f in r.skipped)


def _asked(request: Request, root: Path, options: Options, result: RepoResult) -> Any:
    """Ask for what is missing on a terminal and run again; one clear error otherwise."""
    wants_text = request.mode == "write" or (request.mode == "diff" and not request.print_subjects)
    if result.needs_role and wants_text:
        if not request.interactive:
            raise InputError(NO_ROLE, field="--role-arn")
        role, region = prompts.role(options.region, _missing_region(result))
        options = replace(options, role_arn=role, region=options.region or region)
        result = retrofit_repo(root, options)
    if _missing_region(result) and not options.region and wants_text and request.interactive:
        options = replace(options, region=prompts.region())
        result = retrofit_repo(root, options)
    return options, result


def run(request: Request) -> Done:
    root = root_of(request.repo_dir)
    if request.commit and request.mode != "write":
        raise InputError("needs --write", field="--commit")
    engine = engines.detect(os.environ, root)
    notes = [f"note: {note}" for note in (engine.notes if engine else ())]
    mode, commit = request.mode, request.commit
    if engine is not None and engine.dry_run and mode == "write":
        notes.append(f"{engine.dry_run_setting}: nothing is written")
        mode, commit = "diff", False
    repo, _ = engines.repository(request.repo, engine, roles.read_answers(root), root)
    options, settings = options_for(request, root, repo)
    options, result = _asked(
        replace(request, mode=mode), root, options, retrofit_repo(root, options)
    )
    found = role_subjects(result, repo, options.role_arn)
    others = other_roles(result, repo, options.role_arn)
    pr = pull_request(result, role=options.role_arn, subjects=found, others=others)
    done = Done(result, mode, int(ExitCode.OK), False, options, settings, repo, notes=notes)
    done.pull_request = pr
    _apply(done, root, commit)
    return done


def _apply(done: Done, root: Path, commit: bool) -> None:
    result = done.result
    if result.errors:
        done.code = int(ExitCode.INPUT)
    elif done.mode == "write" and result.changed:
        if commit:
            gitops.check_ready(root)  # before anything is written
        written = write(root, result)
        done.written = True
        if commit:
            message = f"{done.pull_request['title']}\n\n{done.pull_request['body']}"
            done.commit = gitops.commit(root, written, message)
    elif done.mode == "check" and result.changed:
        done.code = int(ExitCode.FINDINGS)


def steps_after(done: Done, request: Request) -> list[str]:
    """The next-steps block after --diff and --write (empty when nothing changes)."""
    if done.mode not in ("diff", "write") or not done.result.changed:
        return []
    return next_steps.lines(done.result, done.repo, request.repo_dir)
