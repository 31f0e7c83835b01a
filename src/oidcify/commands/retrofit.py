"""``oidcify retrofit [REPO_DIR]``: move a repository's workflows from static AWS keys to OIDC.

Parses flags into a ``flow.Request``, calls ``flow.run`` and prints what came of it; the flow
never prints, and this module imports it (and ruamel, questionary) only inside ``run``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from oidcify.errors import InputError

if TYPE_CHECKING:
    from oidcify.retrofit.flow import Done, Request

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
    from oidcify import names

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
    role.add_argument(
        "--role-arn",
        help="IAM role the workflows assume: an ARN, or an expression such as "
        "'${{ vars.AWS_ROLE_ARN }}' (also ${{ secrets.X }}, ${{ inputs.X }}, "
        "${{ needs.JOB.outputs.X }})",
    )
    role.add_argument(
        "--role-for",
        action="append",
        default=[],
        metavar="SELECTOR=ROLE",
        help="another role for some steps (repeatable): SELECTOR is environment:NAME, "
        "secret:NAME (the key secret the step used) or job:ID; job wins over secret over "
        "environment; --role-arn is the default",
    )
    role.add_argument("--account-id", help="AWS account id (with --role-name)")
    role.add_argument(
        "--role-name", help="IAM role name (with --account-id, or naming an expression role)"
    )
    role.add_argument("--region", help="AWS region for jobs that name none")
    role.add_argument("--no-input", action="store_true", help="never ask, even on a terminal")
    fixes = parser.add_argument_group("optional fixes")
    fixes.add_argument(
        "--upgrade-actions",
        action="store_true",
        help="move old configure-aws-credentials majors to the pinned release",
    )
    fixes.add_argument(
        "--keep-action-versions",
        action="store_true",
        help="keep configure-aws-credentials majors current runners cannot run (v1, node12); "
        "by default they move to the pinned release",
    )
    fixes.add_argument(
        "--role-session-name",
        metavar="TEMPLATE",
        help="role-session-name for the steps changed, e.g. 'gha-${{ github.run_id }}'",
    )
    fixes.add_argument(
        "--role-input",
        action="store_true",
        help="reusable workflows called from other repositories take the role as the input "
        "role-to-assume",
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
        choices=names.SUBJECT_FORMAT_CHOICES,
        help=names.SUBJECT_FORMAT_HELP,
    )
    subj.add_argument(
        "--default-branch", help="branch scheduled runs use (default: origin/HEAD, else main)"
    )


def _request(args: argparse.Namespace) -> Request:
    from oidcify.retrofit.flow import Request

    return Request(
        repo_dir=args.repo_dir,
        mode=args.mode,
        commit=args.commit,
        print_subjects=args.print_subjects,
        format=args.format,
        role_arn=args.role_arn,
        account_id=args.account_id,
        role_name=args.role_name,
        region=args.region,
        role_for=tuple(args.role_for),
        interactive=not args.no_input and sys.stdin.isatty(),
        upgrade_actions=args.upgrade_actions,
        keep_action_versions=args.keep_action_versions,
        role_chaining=args.role_chaining,
        role_session_name=args.role_session_name,
        role_input=args.role_input,
        repo=args.repo,
        owner_id=args.owner_id,
        repo_id=args.repo_id,
        subject_format=args.subject_format,
        default_branch=args.default_branch,
    )


def run(args: argparse.Namespace) -> int:
    from oidcify.retrofit import flow

    request = _request(args)
    done = flow.run(request)
    for note in done.notes:
        print(f"oidcify retrofit: {note}", file=sys.stderr)
    subjects = _subjects(request, done) if request.print_subjects else None
    _print(request, done, subjects)
    return done.code


def _print(request: Request, done: Done, subjects: dict[str, Any] | None) -> None:
    import json

    from oidcify.retrofit import flow, report

    result = done.result
    if request.format == "json":
        data: dict[str, Any] = report.as_json(
            result, mode=done.mode, exit_code=done.code, diffs=done.mode == "diff"
        )
        if subjects is not None:
            data["subjects"] = subjects
        data["repository"] = "/".join(done.repo) if done.repo else None
        data["commit"] = done.commit
        if result.changed:
            data["pull_request"] = done.pull_request
        print(json.dumps(data, indent=2))
    elif subjects is not None:
        print(json.dumps(subjects, indent=2))
    elif done.mode == "diff":
        sys.stdout.write("".join(report.diff(f) for f in result.changed))
    if request.format == "text":
        for line in report.findings(result):
            print(line, file=sys.stderr)
        for failed in result.errors:
            print(f"oidcify retrofit: error: {failed.path}: {failed.error}", file=sys.stderr)
        print(f"oidcify retrofit: {report.summary(result, done.written)}", file=sys.stderr)
        if subjects is None:
            for line in flow.steps_after(done, request):
                print(f"oidcify retrofit: {line}", file=sys.stderr)


def _subjects(request: Request, done: Done) -> dict[str, Any]:
    from oidcify import names, subjects
    from oidcify.retrofit import report
    from oidcify.retrofit.roles import ANSWERS

    if done.repo is None:
        raise InputError(
            "cannot tell which GitHub repository this is; pass --repo OWNER/REPO", field="--repo"
        )
    answers = done.settings.answers
    ids: list[int | None] = []
    pairs = (
        (request.owner_id, "--owner-id", "github_owner_id"),
        (request.repo_id, "--repo-id", "github_repo_id"),
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
    owner = subjects.Repo(*done.repo, *ids)
    form = str(request.subject_format or answers.get("subject_format") or "legacy")
    if "immutable" in subjects.forms(form) and None in ids:
        raise InputError(
            f"{form} needs --owner-id and --repo-id (the immutable sub carries both ids), or "
            f"github_owner_id and github_repo_id in {ANSWERS}",
            field="--subject-format" if request.subject_format else f"{ANSWERS}: subject_format",
        )
    return report.subjects_json(done.result, owner, form)
