"""``oidcify check``: actionlint plus oidcify's OIDC rules, and trust coverage of a role."""

from __future__ import annotations

import argparse
import atexit
import gc
import sys
from pathlib import Path

from oidcify.errors import ExitCode, InputError, describe_os_error

HELP = "lint workflows: actionlint plus OIDC rules, and which jobs a role's trust policy refuses"
EPILOG = """\
examples:
  oidcify check
  oidcify check path/to/repo .github/workflows/deploy.yml
  oidcify check --trust-policy role.json
  oidcify check --terraform infra/ --format sarif -o oidcify.sarif

exit codes:
  0    no findings
  1    findings
  2    bad input: a missing path, a malformed policy, an unknown rule
  3    actionlint or terraform missing or failing (--no-actionlint runs without it)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from oidcify import names

    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="repositories, .github/workflows folders or workflow files "
                        "(default: the current directory)")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                        help="text: file:line:col: message [rule-id] (default); json; sarif "
                        "(SARIF 2.1.0 for GitHub code scanning)")  # fmt: skip
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here")
    lint = parser.add_argument_group("rules")
    lint.add_argument("--enable", action="append", default=[], metavar="RULE[,RULE]",
                      help="also run these rules (e.g. OC107, off by default)")  # fmt: skip
    lint.add_argument("--disable", action="append", default=[], metavar="RULE[,RULE]",
                      help="do not run these rules")  # fmt: skip
    lint.add_argument("--select", action="append", default=[], metavar="RULE[,RULE]",
                      help="run only these of oidcify's rules")  # fmt: skip
    lint.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    lint.add_argument("--actionlint", metavar="PATH",
                      help="the actionlint binary (default: $ACTIONLINT, then PATH)")  # fmt: skip
    lint.add_argument("--no-actionlint", action="store_true",
                      help="run oidcify's rules only")  # fmt: skip
    trust = parser.add_argument_group("trust coverage")
    source = trust.add_mutually_exclusive_group()
    source.add_argument("--trust-policy", action="append", default=[], metavar="FILE",
                        help="a trust policy (JSON, `aws iam get-role` output); "
                        "repeatable")  # fmt: skip
    source.add_argument("--terraform", metavar="DIR",
                        help="a Terraform folder whose aws_iam_role trust policies to "
                        "judge")  # fmt: skip
    trust.add_argument("--repo", metavar="OWNER/REPO",
                       help="the repository the workflows run in (default: git "
                       "origin)")  # fmt: skip
    trust.add_argument("--default-branch", metavar="BRANCH",
                       help="for schedule and other default-branch events (default: origin/HEAD,"
                       " else main)")  # fmt: skip
    trust.add_argument("--subject-format", choices=names.SUBJECT_FORMAT_CHOICES,
                       help=names.SUBJECT_FORMAT_HELP)  # fmt: skip
    trust.add_argument("--owner-id", type=int, metavar="N",
                       help="numeric owner id, for the immutable subject form")  # fmt: skip
    trust.add_argument("--repo-id", type=int, metavar="N", help="numeric repository id")


def _list_rules() -> int:
    from oidcify.rules import all_rules

    for rule in all_rules():
        info = rule.INFO
        state = "" if info.default else " (off by default)"
        print(f"{info.id}  {info.name:<30} {info.severity:<8} {info.summary}{state}")
    return int(ExitCode.OK)


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        return _list_rules()
    if (args.owner_id is None) != (args.repo_id is None):
        raise InputError("give both --owner-id and --repo-id, or neither", field="--owner-id")
    for flag, value in (("--owner-id", args.owner_id), ("--repo-id", args.repo_id)):
        if value is not None and value <= 0:
            raise InputError(f"{value} is not a positive whole number", field=flag)
    from oidcify.check import engine
    from oidcify.check.options import Options

    # The process ends soon after a check, and its last garbage collection, at exit, would walk
    # every object the check made to free nothing that matters (~9 ms of a run over the
    # corpus). Frozen objects are skipped; unregister first: one freeze however many checks.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    options = Options(
        paths=tuple(args.paths), actionlint=args.actionlint,
        use_actionlint=not args.no_actionlint, enable=tuple(args.enable),
        disable=tuple(args.disable), select=tuple(args.select),
        trust_policies=tuple(args.trust_policy), terraform=args.terraform, repo=args.repo,
        default_branch=args.default_branch, subject_format=args.subject_format,
        ids=(args.owner_id, args.repo_id) if args.owner_id is not None else None,
        cwd=Path.cwd(),
    )  # fmt: skip
    report = engine.check(options)
    _emit(args, report)
    return int(ExitCode.FINDINGS if report.findings else ExitCode.OK)


def _emit(args: argparse.Namespace, report: object) -> None:
    from oidcify.check import output, sarif
    from oidcify.check.findings import Report

    assert isinstance(report, Report)
    for note in report.notes:
        print(f"oidcify check: note: {note}", file=sys.stderr)
    if args.format == "sarif":
        cwd = Path.cwd()
        root = sarif.source_root(args.paths, cwd)
        if not root.git:
            print(f"oidcify check: note: not in a git repository: SARIF paths are relative to "
                  f"{root.path}", file=sys.stderr)  # fmt: skip
        body = sarif.as_sarif(report, root.path, cwd)
    elif args.format == "json":
        body = output.as_json(report)
    else:
        body = output.text(report)
    if args.output:
        try:
            Path(args.output).write_text(body + "\n", encoding="utf-8")
        except OSError as err:
            reason = describe_os_error(err)
            raise InputError(f"cannot write {args.output}: {reason}", field="--output") from None
    elif body:
        print(body)
    if args.format == "text":  # after the report is out: a failed write is then the one line
        print(output.summary(report), file=sys.stderr)
