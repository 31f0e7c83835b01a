"""``oidcify pins``: show the template's action pins, or rewrite them from a TSV of releases."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from oidcify.errors import ExitCode

HELP = "list the actions the template pins, or refresh the pin table from a TSV"
EPILOG = """\
examples:
  oidcify pins list
  oidcify pins refresh --from ../shared/action-pins.tsv

exit codes:
  0    listed, or the table refreshed (or already current)
  2    bad input: a TSV that cannot be read, a bad row"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="pins_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="show each pinned action, version and commit")
    listing.add_argument("--format", choices=("text", "json"), default="text",
                         help="a table (default), or JSON")  # fmt: skip
    refresh = actions.add_parser(
        "refresh", help="rewrite the pin table with the newest release of each action in a TSV"
    )
    refresh.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="FILE.tsv",
        help="TSV with columns action, version, commit (like ../shared/action-pins.tsv)",
    )
    refresh.add_argument(
        "--all-actions",
        action="store_true",
        help="also add actions the table does not pin yet (default: only update pinned ones)",
    )


def run(args: argparse.Namespace) -> int:
    if args.pins_command == "list":
        return _list(args.format)
    return _refresh(args.source, add_new=args.all_actions)


def _list(fmt: str) -> int:
    from oidcify import pins

    table = pins.load_pins()
    if fmt == "json":
        print(json.dumps([pin._asdict() for pin in table.values()], indent=2))
        return ExitCode.OK
    width = max(len(action) for action in table)
    for pin in table.values():
        print(f"{pin.action:<{width}}  {pin.version:<8}  {pin.commit}")
    return ExitCode.OK


def _refresh(source: Path, *, add_new: bool) -> int:
    from oidcify import pins

    changes = pins.refresh(source, add_new=add_new)
    if not changes:
        print(f"{pins.PINS_FILE.name}: already current")
        return ExitCode.OK
    for old, new in changes:
        before = f"{old.version} ({old.commit[:12]})" if old else "(new)"
        major = " NEW MAJOR: read its release notes" if old and old.major != new.major else ""
        print(f"{new.action}: {before} -> {new.version} ({new.commit[:12]}){major}")
    print(f"rewrote {pins.PINS_FILE}; review the diff and commit it with a changelog entry")
    return ExitCode.OK
