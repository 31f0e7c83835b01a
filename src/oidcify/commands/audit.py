"""``oidcify audit``: judge every role of AWS accounts that trusts GitHub's OIDC provider."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from oidcify.errors import ExitCode, InputError

HELP = "judge every GitHub-trusting IAM role of AWS accounts, live or from an IAM export"
EPILOG = """\
examples:
  oidcify audit --from acct.json   # aws iam get-account-authorization-details --output json
  oidcify audit --profile prod --format sarif -o audit.sarif
  oidcify audit --accounts accounts.txt --assume-role oidcify-audit \\
      --workflows ~/src/octo-org

exit codes:
  0    no error finding
  1    error findings
  2    bad input: not JSON, the wrong shape, an unreadable file or flag
  3    AWS unreachable, credentials refused, or boto3 not installed"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_argument_group("where the roles come from (default: live, one account)")
    source.add_argument("--from", dest="from_files", nargs="+", metavar="FILE",
                        help="`aws iam get-account-authorization-details --output json` files "
                        "(one per account), folders of them, or `aws iam get-role` "
                        "output")  # fmt: skip
    source.add_argument("--profile", help="the AWS profile to use (live)")
    source.add_argument("--region", help="the AWS region to call (live)")
    source.add_argument("--endpoint-url", metavar="URL",
                        help="the IAM/STS endpoint (a local server, a VPC endpoint)")  # fmt: skip
    source.add_argument(
        "--accounts",
        metavar="FILE",
        help="audit these accounts (one id a line) through --assume-role",
    )
    source.add_argument("--assume-role", metavar="NAME",
                        help="the role to assume in each account of --accounts")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                        help="text grouped by account and role (default); json; sarif (SARIF "
                        "2.1.0, each role as a logical location)")  # fmt: skip
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here")
    parser.add_argument(
        "--unused-days",
        type=int,
        default=90,
        metavar="N",
        help="report roles not used for more than N days (default 90)",
    )
    parser.add_argument("--workflows", nargs="+", metavar="DIR",
                        help="checkouts (or folders of checkouts) whose role-to-assume to join "
                        "with the roles")  # fmt: skip
    parser.add_argument("--repo", dest="repos", action="append", metavar="OWNER/REPO",
                        help="ask whether each role admits a repository other than this one "
                        "(repeat for several; default: more than one repository)")  # fmt: skip


def _check(args: argparse.Namespace) -> None:
    if args.unused_days < 1:
        raise InputError(f"{args.unused_days} is not a positive number of days",
                         field="--unused-days")  # fmt: skip
    if (args.accounts is None) != (args.assume_role is None):
        raise InputError("give --accounts and --assume-role together", field="--accounts")
    if args.from_files and args.accounts:
        raise InputError("read an export (--from) or accounts live, not both", field="--from")


def run(args: argparse.Namespace) -> int:
    _check(args)
    from oidcify.audit import assess, printing

    unreachable: list[str] = []
    if args.from_files:
        from oidcify.audit import export

        accounts = export.read_all(args.from_files)
    else:
        from oidcify.audit import fanout, live

        connection = live.Connection(args.profile, args.region, args.endpoint_url)
        if args.accounts:
            ids = fanout.account_ids(args.accounts)
            accounts, unreachable = fanout.fan_out(ids, args.assume_role, connection)
        else:
            accounts = [live.read_account(live.session(connection), connection)]
    options = assess.AuditOptions(
        args.unused_days, tuple(args.workflows or ()), Path.cwd(), tuple(args.repos or ())
    )
    report = assess.assess(accounts, options, unreachable)
    for note in report.notes:
        print(f"oidcify audit: note: {note}", file=sys.stderr)
    for line in unreachable:
        print(f"oidcify audit: account {line}", file=sys.stderr)
    body = printing.render(report, args.format)
    if args.format == "text":
        print(printing.summary(report), file=sys.stderr)
    if args.output:
        try:
            Path(args.output).write_text(body + "\n", encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot write: {err.strerror}", field="--output") from None
    elif body:
        print(body)
    if unreachable:
        return int(ExitCode.TOOL)
    return int(ExitCode.FINDINGS if report.errors else ExitCode.OK)
