"""``oidcify retrofit [REPO_DIR]``: move a repository's workflows from static AWS keys to OIDC.

Parses flags, resolves the role, runs the retrofit core and prints; the core never prints and
this module imports it (and ruamel, questionary) only inside ``run``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from oidcify.errors import ExitCode, InputError

if TYPE_CHECKING:
    from pathlib import Path

    from oidcify.retrofit import Options, RepoResult
    from oidcify.retrofit.roles import Settings

HELP = "edit workflows in place: static AWS keys from secrets become OIDC role assumption"
EPILOG = """\
examples:
  oidcify retrofit --role-arn arn:aws:iam::123456789012:role/gha-deploy
  oidcify retrofit --account-id 123456789012 --role-name gha-deploy --write
  oidcify retrofit --check
  oidcify retrofit --print-subjects --repo octo-org/app

exit codes:
  0    done (--check: nothing to change)
  1    --check: changes are needed
  2    bad input, no role, or a workflow that cannot be processed (nothing written)
  3    git is missing or failed (--commit)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "repo_dir",
        nargs="?",
        default=".",
        metavar="REPO_DIR",
        help="repository checkout (default: the current directory)",
    )
    mode = parser.add_mutually_exclusive_group()
    for flag, text in (
        ("diff", "print a unified diff and change nothing (default)"),
        ("write", "edit the files (atomically; nothing is written if any file fails)"),
        ("check", "change nothing; exit 1 when changes are needed"),
    ):
        mode.add_argument(f"--{flag}", dest="mode", action="store_const", const=flag, help=text)
    parser.set_defaults(mode="diff")
    parser.add_argument(
        "--commit",
        action="store_true",
        help="with --write: commit the changed files on the current branch, with a message "
        "for the pull request (for multi-repo engines); never pushes",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="report format on stdout (default: text)",
    )
    parser.add_argument(
        "--print-subjects",
        action="store_true",
        help="print, as JSON, the sub claims the workflows will present after "
        "the change (for the role's trust policy)",
    )
    role = parser.add_argument_group(
        "role (else .oidcify.toml, [tool.oidcify], .copier-answers.yml)"
    )
    role.add_argument("--role-arn", help="IAM role the workflows assume")
    role.add_argument("--account-id", help="AWS account id (with --role-name)")
    role.add_argument("--role-name", help="IAM role name (with --account-id)")
    role.add_argument("--region", help="AWS region for jobs that name none")
    role.add_argument("--no-input", action="store_true", help="never ask, even on a terminal")
    fixes = parser.add_argument_group("optional fixes")
    fixes.add_argument(
        "--upgrade-actions",
        action="store_true",
        help="move old configure-aws-credentials majors to the pinned release",
    )
    fixes.add_argument(
        "--role-chaining",
        action="store_true",
        help="steps with keys and role-to-assume: OIDC first hop, then chain",
    )
    subj = parser.add_argument_group("subjects (--print-subjects)")
    subj.add_argument(
        "--repo",
        metavar="OWNER/REPO",
        help="GitHub repository (default: .copier-answers.yml, then git origin)",
    )
    subj.add_argument("--owner-id", help="numeric owner id, for the immutable subject form")
    subj.add_argument("--repo-id", help="numeric repository id, for the immutable subject form")
    subj.add_argument(
        "--subject-format",
        choices=("legacy", "immutable", "both"),
        help="subject form (default: legacy)",
    )
    subj.add_argument(
        "--default-branch", help="branch scheduled runs use (default: origin/HEAD, else main)"
    )


def _root(value: str) -> Path:
    from pathlib import Path

    root = Path(value)
    if not root.is_dir():
        raise InputError(f"{value!r} is not a directory", field="REPO_DIR")
    return root


def _interactive(args: argparse.Namespace) -> bool:
    return not args.no_input and sys.stdin.isatty()


def _ask_region() -> str:
    import questionary

    from oidcify import aws

    region = questionary.text(
        "AWS region for jobs that name none:",
        default="us-east-1",
        validate=lambda r: r in aws.REGIONS,
    ).ask()
    if not region:
        raise KeyboardInterrupt
    return str(region)


def _ask_role(args: argparse.Namespace, settings: Settings) -> tuple[str, str]:
    """Ask for the role (and a region) on a terminal; otherwise one clear error."""
    if not _interactive(args):
        raise InputError(
            "changes are needed but no role is set: pass --role-arn, or --account-id and "
            "--role-name, or set them in .oidcify.toml, [tool.oidcify] or .copier-answers.yml",
            field="--role-arn",
        )
    import questionary

    from oidcify import aws, names

    account = questionary.text("AWS account id:", validate=names.AWS_ACCOUNT_ID.ok).ask()
    name = account and questionary.text("IAM role name:", validate=names.IAM_ROLE_NAME.ok).ask()
    if not (account and name):
        raise KeyboardInterrupt
    region = settings.region or _ask_region()
    return aws.role_arn(aws.partition_of(region, "--region"), account, name), region


def _options(
    args: argparse.Namespace, root: Path, repo: tuple[str, str] | None
) -> tuple[Options, Settings]:
    from oidcify import engines, names, repoinfo
    from oidcify.retrofit import Options, roles

    role_arn = args.role_arn
    if role_arn and "{" in role_arn:  # one command line for many repositories
        from oidcify.batch.roles import RoleSource, parse_template

        source = RoleSource(parse_template(role_arn))
        try:
            role_arn = source.render(root.resolve().name, repo, remedy=engines.REPOSITORY_HINT)
        except InputError:
            if args.mode != "check":
                raise
            role_arn = None  # --check only says whether changes are needed: no role needed
    flags = {"role-arn": role_arn, "account-id": args.account_id, "role-name": args.role_name}
    settings = roles.resolve(root, flags | {"region": args.region})
    branch = args.default_branch or repoinfo.default_branch(root) or "main"
    if args.default_branch:
        names.REF_PATTERN.require(args.default_branch, "--default-branch")
    options = Options(
        settings.role_arn, settings.region, args.upgrade_actions, args.role_chaining, branch
    )
    return options, settings


def run(args: argparse.Namespace) -> int:
    import os
    from dataclasses import replace

    from oidcify import engines
    from oidcify.retrofit import retrofit_repo
    from oidcify.retrofit.roles import read_answers

    root = _root(args.repo_dir)
    if args.commit and args.mode != "write":
        raise InputError("needs --write", field="--commit")
    engine = engines.detect(os.environ, root)
    for note in engine.notes if engine else ():
        print(f"oidcify retrofit: note: {note}", file=sys.stderr)
    if engine is not None and engine.dry_run and args.mode == "write":
        print(f"oidcify retrofit: {engine.dry_run_setting}: nothing is written", file=sys.stderr)
        args.mode, args.commit = "diff", False
    repo, _ = engines.repository(args.repo, engine, read_answers(root), root)
    options, settings = _options(args, root, repo)
    result = retrofit_repo(root, options)
    wants_text = args.mode == "write" or (args.mode == "diff" and not args.print_subjects)
    if result.needs_role and wants_text:
        role, region = _ask_role(args, settings)
        options = replace(options, role_arn=role, region=options.region or region)
        result = retrofit_repo(root, options)
    missing_region = any(f.code == "OS007" for r in result.files for f in r.skipped)
    if missing_region and not options.region and wants_text and _interactive(args):
        options = replace(options, region=_ask_region())
        result = retrofit_repo(root, options)
    from oidcify.retrofit.message import pull_request, role_subjects

    pr = pull_request(
        result, role=options.role_arn, subjects=role_subjects(result, repo, options.role_arn)
    )
    code, written, commit = _apply(args, root, result, pr)
    claims = _subjects(args, result, settings, repo) if args.print_subjects else None
    extra: dict[str, Any] = {"repository": "/".join(repo) if repo else None, "commit": commit}
    if result.changed:
        extra["pull_request"] = pr
    _print(args, result, subjects=claims, code=code, written=written, extra=extra)
    return code


def _apply(
    args: argparse.Namespace, root: Path, result: RepoResult, pr: dict[str, str]
) -> tuple[int, bool, str | None]:
    """The exit code, whether files were written, and the new commit's id (``--commit``)."""
    if result.errors:
        return int(ExitCode.INPUT), False, None
    if args.mode == "write" and result.changed:
        from oidcify import gitops
        from oidcify.retrofit.write import write

        if args.commit:
            gitops.check_ready(root)  # before anything is written
        written = write(root, result)
        message = f"{pr['title']}\n\n{pr['body']}"
        return (
            int(ExitCode.OK),
            True,
            gitops.commit(root, written, message) if args.commit else None,
        )
    if args.mode == "check" and result.changed:
        return int(ExitCode.FINDINGS), False, None
    return int(ExitCode.OK), False, None


def _print(
    args: argparse.Namespace,
    result: RepoResult,
    *,
    subjects: dict[str, Any] | None,
    code: int,
    written: bool,
    extra: dict[str, Any],
) -> None:
    import json

    from oidcify.retrofit import report

    if args.format == "json":
        data: dict[str, Any] = report.as_json(
            result, mode=args.mode, exit_code=code, diffs=args.mode == "diff"
        )
        if subjects is not None:
            data["subjects"] = subjects
        data.update(extra)
        print(json.dumps(data, indent=2))
    elif subjects is not None:
        print(json.dumps(subjects, indent=2))
    elif args.mode == "diff":
        sys.stdout.write("".join(report.diff(f) for f in result.changed))
    if args.format == "text":
        for line in report.findings(result):
            print(line, file=sys.stderr)
        for failed in result.errors:
            print(f"oidcify retrofit: error: {failed.path}: {failed.error}", file=sys.stderr)
        print(f"oidcify retrofit: {report.summary(result, written)}", file=sys.stderr)


def _subjects(
    args: argparse.Namespace,
    result: RepoResult,
    settings: Settings,
    repo: tuple[str, str] | None,
) -> dict[str, Any]:
    from oidcify import names, subjects
    from oidcify.retrofit import report
    from oidcify.retrofit.roles import ANSWERS

    if repo is None:
        raise InputError(
            "cannot tell which GitHub repository this is; pass OWNER/NAME", field="--repo"
        )
    answers = settings.answers
    ids: list[int | None] = []
    pairs = (
        (args.owner_id, "--owner-id", "github_owner_id"),
        (args.repo_id, "--repo-id", "github_repo_id"),
    )
    for flag_value, flag, key in pairs:
        value, field = (
            (flag_value, flag)
            if flag_value is not None
            else (answers.get(key), f"{ANSWERS}: {key}")
        )
        if value in (None, ""):  # the template's default answer for an id is "": absent
            ids.append(None)
            continue
        names.POSITIVE_INT.require(str(value), field)
        ids.append(int(value))
    owner = subjects.Repo(*repo, *ids)
    form = args.subject_format or answers.get("subject_format") or "legacy"
    return report.subjects_json(result, owner, str(form))
