"""``oidcify update [DEST]``: ``copier update`` a generated repository, refuse what is left of
conflicts, then run the gates over the result.

Exit codes: 0 updated (or already current), no conflicts left, and every gate that ran passed;
1 conflict markers or ``.rej`` files to resolve (listed as FILE:LINE, gates not run) or a gate had
findings; 2 Copier refused (a dirty or non-git project, no answers file, a downgrade, a refused
answer), as one line; 3 a gate's tool failed to run, or a gate named with ``--gate`` has no tool.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from oidcify.commands import new
from oidcify.errors import ExitCode

HELP = "update a generated repository from its template (like copier update), then check it"
EPILOG = """\
examples:
  oidcify update --defaults
  oidcify update path/to/repo --defaults -d deploy_branches='[main, develop]'
  oidcify update --defaults --vcs-ref v0.4.0 --conflict rej

exit codes:
  0    updated (or already current), no conflict left, every gate that ran passed
  1    conflicts to resolve (listed as FILE:LINE), or a gate found something
  2    Copier refused: a dirty or non-git checkout, no answers file, a refused answer
  3    a gate's tool failed to run, or a gate named with --gate has no tool"""
RESOLVE_HINT = """\
to resolve: edit each marked block to what the file should say and delete its markers
  (above '=======' is yours, below it the template's); redo by hand the edits of yours that a
  .rej file holds, and delete it; then 'git add' the files and commit. After that,
  'oidcify update --defaults' changes nothing more and runs the gates."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dest",
        nargs="?",
        type=Path,
        default=Path(),
        metavar="DEST",
        help="the generated repository, a clean git checkout (default: .)",
    )
    parser.add_argument(
        "-d",
        "--data",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change an answer (repeatable); VALUE is YAML for lists and yes/no",
    )
    parser.add_argument(
        "--data-file", type=Path, metavar="FILE", help="YAML file of answers; --data wins over it"
    )
    asking = parser.add_mutually_exclusive_group()
    asking.add_argument(
        "--defaults",
        action="store_true",
        help="ask nothing: recorded answers stay, new questions take their defaults",
    )
    asking.add_argument(
        "--skip-answered",
        action="store_true",
        help="ask only the questions the answers file does not answer yet",
    )
    parser.add_argument(
        "--vcs-ref",
        metavar="REF",
        help="template release to update to (default: its newest release tag)",
    )
    parser.add_argument(
        "--conflict",
        choices=("inline", "rej"),
        default="inline",
        help="write conflicts as markers in the file (default) or as FILE.rej next to it",
    )
    new.add_gate_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from oidcify import template, terraform  # lazy: keeps `oidcify --help` fast

    selected = () if args.no_gates else tuple(args.gates or new.GATES)
    plugins = terraform.plugin_dir(args.plugin_dir) if "terraform" in selected else None
    src = str(template.last_answers(args.dest)["_src_path"])
    data = template.parse_data(args.data, args.data_file, template.questions(src))
    updated = template.update(
        args.dest,
        data,
        defaults=args.defaults,
        skip_answered=args.skip_answered,
        vcs_ref=args.vcs_ref,
        conflict=args.conflict,
    )
    if updated.before == updated.after:
        changed = "; answers applied" if data else ", already the newest release asked for"
        print(f"{args.dest} is at {updated.after} of {updated.src}{changed}")
    else:
        print(f"updated {args.dest} from {updated.before} to {updated.after} of {updated.src}")
    if _report_leftovers(args.dest):
        return ExitCode.FINDINGS
    return new.run_gates(
        args.dest,
        selected,
        explicit=bool(args.gates),
        tool_paths={name: getattr(args, name) for name in new.GATES},
        plugins=plugins,
    )


def _report_leftovers(dest: Path) -> bool:
    """Print the conflict markers and ``.rej`` files the update left; True if there are any."""
    from oidcify import conflicts

    leftovers = conflicts.after_update(dest)
    if leftovers:
        print(f"conflicts to resolve before committing ({len(leftovers)}):")
        for leftover in leftovers:
            print(f"  {leftover.describe(dest)}")
        print(RESOLVE_HINT)
    return bool(leftovers)
