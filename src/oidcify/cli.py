"""Command-line entry point: parse arguments, dispatch to one command; ``error_handler`` maps
what it raises to one line and an exit code.

Each command is a module ``oidcify.commands.<name>``, found by listing that package, which provides
``HELP`` (one line, lower case, no final period), ``EPILOG`` (``examples:`` then ``exit
codes:``, the codes 0-3 it uses; the codes every command shares are added here),
``add_arguments(parser)`` and ``run(args) -> int``. Command modules import heavy
libraries (copier, ruamel, rich) inside ``run`` only, so ``oidcify --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence
from types import ModuleType

from oidcify import __version__, commands, error_handler
from oidcify.errors import ExitCode

# Neither pathlib nor typing is imported on the way to `oidcify --help` (about 10 ms together);
# mypy reads the name TYPE_CHECKING as true whatever its value.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

# Appended to every command's EPILOG: the codes any command can end with (errors.ExitCode).
COMMON_EXIT_CODES = """\
  70   a bug in oidcify: the one-line message names the log file with the traceback
  130  interrupted (Ctrl-C)"""

# The order of ``oidcify --help``: the user's path from a new repo to many; others follow by name.
_ORDER = ("new", "update", "retrofit", "batch", "check", "simulate", "audit", "pins")


def _discover() -> tuple[str, ...]:
    # A directory listing, not pkgutil: this runs on every start, `--help` included.
    found = [
        entry.name[: -len(".py")]
        for folder in commands.__path__
        for entry in os.scandir(folder)
        if entry.name.endswith(".py") and not entry.name.startswith("_")
    ]
    return tuple(sorted(found, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER), n)))


COMMANDS: tuple[str, ...] = _discover()


class OneLineParser(argparse.ArgumentParser):
    """A parser whose errors are one line, like every other error of oidcify: what is wrong and
    where the help is, without the usage block argparse prints first."""

    def error(self, message: str) -> NoReturn:
        self.exit(int(ExitCode.INPUT), f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(f"oidcify.commands.{name}")


_HELP_LINE = re.compile(r'^HELP = "([^"\\]+)"$', re.MULTILINE)


def summary(name: str) -> str:
    """A command's one-line ``HELP``, read from its module's text: the top-level help lists
    every command without importing them all (their imports cost more than Python's start)."""
    for folder in commands.__path__:
        try:
            path = os.path.join(folder, f"{name}.py")  # noqa: PTH118 - no pathlib at start
            with open(path, encoding="utf-8") as source:  # noqa: PTH123
                found = _HELP_LINE.search(source.read())
        except OSError:
            continue
        if found:
            return found.group(1)
    return str(_command_module(name).HELP)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser. With ``only``, a command's name, the parser of that command alone: the
    other command modules are not even imported (start-up cost); with any other ``only``, the
    commands without their arguments, enough for the top-level help and errors."""
    parser = OneLineParser(
        prog="oidcify",
        description="Move GitHub Actions from static AWS keys to OIDC, and keep them there.",
        epilog="Exit codes: 0 ok, 1 findings or changes needed, 2 bad input, 3 missing tool "
        "(or AWS unreachable), 70 a bug in oidcify (the traceback goes to a log file), "
        "130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"oidcify {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if only is not None and only not in COMMANDS:  # the top-level help and errors
        for name in COMMANDS:
            sub.add_parser(name, help=summary(name), description=summary(name))
        return parser
    for name in [only] if only is not None else COMMANDS:
        module = _command_module(name)
        command = sub.add_parser(
            name,
            help=module.HELP,
            description=module.HELP,
            epilog=f"{module.EPILOG}\n{COMMON_EXIT_CODES}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only the command being run needs its parser. A top-level option first (`--help check`)
    # means the top-level parser, with every command's one-line help.
    chosen = argv[0] if argv and not argv[0].startswith("-") else ""
    prog = f"oidcify {chosen}" if chosen in COMMANDS else "oidcify"
    return error_handler.guarded(prog, lambda: _parse_and_run(argv, chosen))


def _parse_and_run(argv: list[str], chosen: str) -> int:
    parser = build_parser(only=chosen)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return int(ExitCode.INPUT)
    return int(args.run(args))
