"""``oidcify batch REPO...``: the retrofit over many checkouts, in parallel worker processes.

Parses and checks every flag before any repository is touched, runs the pool, then prints and
writes what came of it. The parent process imports the retrofit and ruamel only to read the
template answers of a checkout with no github.com origin when ``--roles-csv`` rows must be
matched; rich only for a terminal (see ``oidcify.batch.display``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from oidcify.errors import ExitCode, InputError

if TYPE_CHECKING:
    from oidcify.batch.display import View
    from oidcify.batch.outcome import Settings
    from oidcify.batch.summary import Summary

HELP = "retrofit many repositories in parallel: dry run, write, commit on a branch, or check"
EPILOG = """\
examples:
  oidcify batch ~/src/acme --role-arn 'arn:aws:iam::123456789012:role/gha-{repo}'
  oidcify batch --repos-file repos.txt --roles-csv roles.csv --diff-dir patches/
  oidcify batch ~/src/acme --role-arn '...' --write --commit --branch oidc-migration
  oidcify batch ~/src/acme --check

exit codes:
  0    every repository done
  1    --check: some repository needs changes
  2    bad input, or some repository failed (the report says why)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "repos",
        nargs="*",
        metavar="REPO",
        help="checkouts, or directories of checkouts (their subdirectories with .git or .github)",
    )
    parser.add_argument(
        "--repos-file", metavar="FILE", help="checkout paths, one per line; '#' comments; - stdin"
    )
    mode = parser.add_mutually_exclusive_group()
    for flag, text in (
        ("diff", "dry run: print the diffs, or write them to --diff-dir (default)"),
        ("write", "edit the working trees (each repository all or nothing)"),
        ("check", "change nothing; exit 1 when some repository needs changes"),
    ):
        mode.add_argument(f"--{flag}", dest="mode", action="store_const", const=flag, help=text)
    parser.set_defaults(mode="diff")
    parser.add_argument(
        "--diff-dir", metavar="DIR", help="dry run: one git-apply-able LABEL.patch per repository"
    )
    parser.add_argument(
        "--commit",
        action="store_true",
        help="with --write: one commit per changed repository on a new --branch (never pushed)",
    )
    parser.add_argument("--branch", metavar="NAME", help="the new branch for --commit")
    role = parser.add_argument_group("roles (else each repository's own configuration)")
    role.add_argument(
        "--role-arn",
        metavar="TEMPLATE",
        help="role ARN, with {owner} (GitHub owner), {repo} (GitHub repository name) and "
        "{name} (checkout directory name) filled in per repository; or an expression such as "
        "'${{ vars.AWS_ROLE_ARN }}' (each repository defines the variable)",
    )
    role.add_argument(
        "--role-name",
        metavar="TEMPLATE",
        help="with an expression --role-arn: the role's name for --trust-out (same placeholders)",
    )
    role.add_argument(
        "--role-for",
        action="append",
        default=[],
        metavar="SELECTOR=ROLE",
        help="as for retrofit, in every repository (environment:NAME, secret:NAME, job:ID)",
    )
    role.add_argument(
        "--roles-csv",
        metavar="FILE",
        help="CSV with columns repo, role_arn[, region][, selector]; a row wins over --role-arn",
    )
    role.add_argument("--region", help="AWS region for jobs that name none")
    fixes = parser.add_argument_group("optional fixes")
    fixes.add_argument("--upgrade-actions", action="store_true", help="as for retrofit")
    fixes.add_argument("--role-chaining", action="store_true", help="as for retrofit")
    fixes.add_argument("--keep-action-versions", action="store_true", help="as for retrofit")
    fixes.add_argument("--role-session-name", metavar="TEMPLATE", help="as for retrofit")
    out = parser.add_argument_group("output")
    out.add_argument("--report", metavar="FILE.json", help="per-repository results as JSON")
    out.add_argument(
        "--trust-out",
        metavar="FILE",
        help="per role, the sub claims its jobs present: NAME.auto.tfvars.json for the "
        "template's batch_roles, or plain .json; {account} makes one file per account",
    )
    out.add_argument("--quiet", "-q", action="store_true", help="no line per repository")
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default: the number of CPUs)",
    )


def _check_flags(args: argparse.Namespace) -> None:
    from oidcify import aws, names

    if args.diff_dir and args.mode != "diff":
        raise InputError("only for a dry run (--diff)", field="--diff-dir")
    if args.commit and args.mode != "write":
        raise InputError("needs --write", field="--commit")
    if args.commit != (args.branch is not None):
        raise InputError("--commit and --branch NAME go together", field="--branch")
    if args.branch is not None and (not names.REF_PATTERN.ok(args.branch) or "*" in args.branch):
        raise InputError(f"{args.branch!r} is not a valid branch name", field="--branch")
    if args.jobs < 0:
        raise InputError("must be 1 or more (0: the number of CPUs)", field="--jobs")
    if args.region:
        aws.partition_of(args.region, "--region")
    for flag, value in (("--report", args.report), ("--trust-out", args.trust_out)):
        if value:
            _check_output(Path(value), flag)


def _check_output(path: Path, flag: str) -> None:
    """Refuse an output file that cannot be written before any repository is touched: a
    report that fails at the end would leave no record of what was done."""
    import tempfile

    folder = path.parent
    if "{account}" in str(folder):
        return  # one folder per account, made when written
    if not folder.is_dir():
        raise InputError(f"folder {folder} does not exist", field=flag)
    if path.is_dir():
        raise InputError(f"{path} is a directory; give a file name", field=flag)
    try:  # the same way the file is written: a temporary file in its folder
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        Path(name).unlink()
    except OSError as err:
        raise InputError(f"cannot write in {folder}: {err.strerror or err}", field=flag) from None


def _settings(args: argparse.Namespace) -> Settings:
    from oidcify.batch import role_checks, roles, trust
    from oidcify.batch.outcome import Settings
    from oidcify.retrofit import role_value, selectors

    template = roles.parse_template(args.role_arn) if args.role_arn else None
    name = roles.parse_name_template(args.role_name) if args.role_name else None
    role_for = tuple(selectors.parse_flag(v) for v in args.role_for)
    rows = roles.read_csv(args.roles_csv) if args.roles_csv else {}
    if args.role_session_name:
        role_value.session_name(args.role_session_name, "--role-session-name")
    if args.trust_out:
        trust.check_target(args.trust_out)
        role_checks.check_named(template, name, role_for, rows)
        arns = [r.role_arn for r in rows.values() if r.role_arn]
        arns += [r for row in rows.values() for _, r in row.role_for] + [r for _, r in role_for]
        accounts = {a.split(":")[4] for a in arns if not role_value.is_expression(a)}
        if (
            template
            and not role_value.is_expression(template)
            and "{" not in template.split(":")[4]
        ):
            accounts.add(template.split(":")[4])
        if len(accounts) > 1 and "{account}" not in args.trust_out:
            raise InputError(
                f"the roles are in {len(accounts)} AWS accounts; put {{account}} in the file "
                "name to write one file per account",
                field="--trust-out",
            )
    return Settings(
        args.mode,
        roles.RoleSource(template, rows, role_for, name),
        args.region,
        args.upgrade_actions,
        args.role_chaining,
        args.keep_action_versions,
        args.role_session_name,
        args.branch,
        diffs=args.mode == "diff",
    )


def _cpus() -> int:
    """The CPUs this process may use (a container or taskset may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def run(args: argparse.Namespace) -> int:
    from oidcify.batch import display, pool, role_checks, summary, targets
    from oidcify.batch.outcome import Outcome

    _check_flags(args)
    settings = _settings(args)
    found = targets.targets(args.repos, args.repos_file)
    role_checks.check_rows(settings.roles.rows, found)
    jobs = min(args.jobs or _cpus(), len(found))
    diff_dir = summary.DiffDir(Path(args.diff_dir)) if args.diff_dir else None
    view = display.View(len(found), args.mode, sys.stderr, args.quiet)

    def finished(outcome: Outcome) -> None:
        if diff_dir is not None:
            diff_dir.record(outcome)
        view.done(outcome)

    with view.running():
        ran = pool.run(found, settings, jobs, finished, view.notice)
    result = summary.Summary(
        summary.complete(found, ran.outcomes, ran.stopped), args.mode, ran.interrupted
    )
    return _finish(args, view, result)


def _finish(args: argparse.Namespace, view: View, result: Summary) -> int:
    from oidcify.batch.summary import write_report
    from oidcify.retrofit.codes import ALL

    if args.mode == "diff" and not args.diff_dir:
        for outcome in result.outcomes:
            if outcome.diff:
                sys.stdout.write(f"# oidcify batch: {outcome.label} ({outcome.path})\n")
                sys.stdout.write(outcome.diff)
    code = result.exit_code()
    if args.trust_out and not _write_trust(args.trust_out, view, result):
        code = max(code, int(ExitCode.INPUT))
    if args.report:
        write_report(Path(args.report), result, code)
    view.summary(result, ALL)
    return code


def _write_trust(target: str, view: View, result: Summary) -> bool:
    from oidcify.batch import trust

    if result.interrupted:
        view.notice("--trust-out: not written, the batch did not finish")
        return True
    try:
        groups, empty = trust.write(result.outcomes, target)
    except InputError as err:
        view.notice(f"error: {err}")
        return False
    for path, roles in groups.items():
        view.notice(f"wrote {path}: {len(roles)} role(s)")
    for role in [r for roles in groups.values() for r in roles] + empty:
        if not role.subjects:
            view.notice(f"{role.name}: not written, no subject could be derived")
        for left in role.left_out:
            view.notice(f"{role.name}: left out (add by hand if right): {left}")
    return True
