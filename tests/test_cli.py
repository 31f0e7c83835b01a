"""The CLI's contract: help is cheap, errors become one line and a documented exit code."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator

import pytest

from oidcify import cli, subjects
from oidcify.errors import ExitCode, InputError

HEAVY = ("copier", "ruamel", "rich", "questionary", "hcl2", "jinja2", "pydantic")
# Our own engines are heavy too at start-up scale (regexes, dataclasses): commands load them in run.
HEAVY_OWN = ("oidcify.iam", "oidcify.workflows", "oidcify.retrofit",
             "oidcify.gates", "oidcify.template", "oidcify.pins")  # fmt: skip


def test_help_imports_no_heavy_module() -> None:
    probe = (
        "import sys\n"
        "from oidcify.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
        f"print(sorted({{m.rsplit('.', 1)[0] if m.count('.') > 1 else m for m in sys.modules}}"
        f" & set({HEAVY_OWN!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-2:] == ["[]", "[]"]


def test_every_command_has_help() -> None:
    for name in cli.COMMANDS:
        with pytest.raises(SystemExit) as exc:
            cli.main([name, "--help"])
        assert exc.value.code == 0


def test_no_command_prints_usage_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == ExitCode.INPUT
    assert "usage:" in capsys.readouterr().out


def test_domain_error_is_one_line_with_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = cli.build_parser()

    def failing(args: object) -> int:
        raise InputError("must be exactly 12 digits", field="aws_account_id")

    args = parser.parse_args([])
    args.command, args.run = "pins", failing
    monkeypatch.setattr(cli.argparse.ArgumentParser, "parse_args", lambda self, argv=None: args)
    assert cli.main(["pins"]) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err == "oidcify pins: error: aws_account_id: must be exactly 12 digits\n"


def test_a_command_loads_no_other_command_module() -> None:
    probe = (
        "import sys\n"
        "from oidcify.cli import main\n"
        "main(['pins', 'list'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('oidcify.commands.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['oidcify.commands.pins']"


def test_top_level_help_before_a_command_lists_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help", "check"])
    out = capsys.readouterr().out
    assert all(f"    {name}" in out for name in cli.COMMANDS)


def test_a_closed_stdout_stops_quietly() -> None:
    """`oidcify pins list | head -0`: the reader is gone before anything is written."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "oidcify", "pins", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == ExitCode.PIPE_CLOSED, err
    assert "Traceback" not in err and err == ""


def _parsers(
    parser: argparse.ArgumentParser, path: str
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, f"{path} {name}")


def test_every_option_has_help_in_one_style_and_one_metavar_per_thing() -> None:
    repo_metavars = set()
    for path, parser in _parsers(cli.build_parser(), "oidcify"):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = [choice.help or "" for choice in action._choices_actions]
            else:
                helps = [action.help or ""]
            for text in helps:
                assert text, f"{path} {action.option_strings or action.dest}: no help"
                first = text.split()[0]
                assert not text.endswith("."), f"{path}: {text!r}"
                # lower case, except names (YAML, GitHub): never a capitalised sentence
                assert not (first[0].isupper() and first[1:].islower()), f"{path}: {text!r}"
            if "--repo" in action.option_strings:
                repo_metavars.add(action.metavar)
    assert repo_metavars == {"OWNER/REPO"}


def test_every_subject_format_offers_the_same_choices_help_and_default() -> None:
    offered = {
        path: (tuple(action.choices or ()), action.help, action.default)
        for path, parser in _parsers(cli.build_parser(), "oidcify")
        for action in parser._actions
        if "--subject-format" in action.option_strings
    }
    assert {"oidcify check", "oidcify simulate", "oidcify retrofit"} <= set(offered)
    assert set(offered.values()) == {(("legacy", "immutable", "both"), offered["oidcify check"][1],
                                      None)}, offered  # fmt: skip
    assert tuple(subjects.SUBJECT_FORMATS) == ("legacy", "immutable", "both")


def test_every_command_shows_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    for name in cli.COMMANDS:
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        out = capsys.readouterr().out
        examples = out.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert examples and all(line.startswith(f"  oidcify {name}") or line.startswith("      ")
                                for line in examples), out  # fmt: skip
        codes = out.split("\nexit codes:\n", 1)[1]
        assert "  0 " in codes and "  2 " in codes and "  70 " in codes, out


def test_the_top_level_help_reads_each_command_summary_as_its_module_says() -> None:
    """The top-level help reads each command's HELP from its module's text, without importing
    it: the text it reads must be the module's HELP."""
    import importlib

    for name in cli.COMMANDS:
        module = importlib.import_module(f"oidcify.commands.{name}")
        assert cli.summary(name) == module.HELP
