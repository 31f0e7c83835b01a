"""``oidcify new DEST``: render the template with Copier, then run the gates over the result.

Exit codes: 0 rendered and every gate that ran passed (a gate whose tool is missing is reported
and skipped); 1 a gate had findings; 2 a refused answer or bad flag, as one line naming it;
3 a gate's tool failed to run, or a gate named with ``--gate`` could not run because its tool is
missing.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oidcify.errors import ExitCode

if TYPE_CHECKING:
    from oidcify.gates import GateResult
    from oidcify.template_location import Source

HELP = "render the oidcify template into DEST (like copier copy), then run the gates on it"
EPILOG = """\
examples:
  oidcify new my-repo
  oidcify new my-repo --defaults -d github_owner=octo-org -d github_repo=app \\
      -d aws_account_id=012345678901
  oidcify new my-repo --template ../oidcify --vcs-ref v0.4.0 --no-gates

exit codes:
  0    rendered, and every gate that ran passed
  1    a gate found something
  2    bad input: a refused answer or flag, a DEST that is a file or cannot be written
  3    a gate's tool failed to run, or a gate named with --gate has no tool"""
# oidcify.gates.GATES (a test keeps them equal). The core modules load in run(), not for --help.
GATES = ("actionlint", "zizmor", "terraform")
_MARK = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP", "missing": "SKIP", "error": "ERROR"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", type=Path, metavar="DEST", help="directory to render into")
    parser.add_argument(
        "-d",
        "--data",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="answer a question (repeatable); VALUE is YAML for lists and yes/no",
    )
    parser.add_argument(
        "--data-file", type=Path, metavar="FILE", help="YAML file of answers; --data wins over it"
    )
    parser.add_argument(
        "--defaults",
        action="store_true",
        help="use the default for every question not answered (no prompts)",
    )
    parser.add_argument(
        "--template",
        metavar="SRC",
        help="template path or git URL, recorded for copier update (default: $OIDCIFY_TEMPLATE, "
        "else the checkout oidcify runs from, else the copy bundled with oidcify, recorded as "
        "the project's git URL)",
    )
    parser.add_argument(
        "--vcs-ref",
        metavar="REF",
        help="git ref of the template (default: its newest release tag, else HEAD)",
    )
    parser.add_argument("--overwrite", action="store_true", help="overwrite files without asking")
    add_gate_arguments(parser)


def add_gate_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags that choose the gates and their tools (``new`` and ``update`` share them)."""
    parser.add_argument(
        "--gate",
        action="append",
        choices=GATES,
        dest="gates",
        help="run only this gate (repeatable); its tool is then required",
    )
    parser.add_argument("--no-gates", action="store_true", help="render only")
    for tool in GATES:
        parser.add_argument(
            f"--{tool}", metavar="PATH", help=f"{tool} to run (default: ${tool.upper()}, then PATH)"
        )
    parser.add_argument(
        "--plugin-dir",
        metavar="DIR",
        help="provider mirror for terraform init (default: $OIDCIFY_TF_PLUGIN_DIR, "
        "else /opt/tf-plugins if present, else the registry)",
    )


def run(args: argparse.Namespace) -> int:
    from oidcify import template, template_location  # lazy: keeps `oidcify --help` fast

    src = template_location.source(args.template)
    data = template.parse_data(args.data, args.data_file, template.questions(src.location))
    selected = () if args.no_gates else tuple(args.gates or GATES)
    return create(
        args.dest,
        data,
        src=src,
        defaults=args.defaults,
        vcs_ref=args.vcs_ref,
        overwrite=args.overwrite,
        selected=selected,
        explicit=bool(args.gates),
        tool_paths={name: getattr(args, name) for name in GATES},
        plugin_dir=args.plugin_dir,
    )


def create(
    dest: Path,
    data: Mapping[str, Any],
    *,
    src: str | Source,
    defaults: bool,
    vcs_ref: str | None = None,
    overwrite: bool = False,
    selected: Sequence[str] = GATES,
    explicit: bool = False,
    tool_paths: Mapping[str, str | None] | None = None,
    plugin_dir: str | None = None,
) -> int:
    """Render, run ``selected`` gates, print the report; the exit code follows the table above."""
    from oidcify import template, terraform  # lazy, like every core module here

    plugins = terraform.plugin_dir(plugin_dir) if "terraform" in selected else None
    template.render(src, dest, data, defaults=defaults, vcs_ref=vcs_ref, overwrite=overwrite)
    print(f"rendered the oidcify template into {dest} (from {src})")
    return run_gates(dest, selected, explicit=explicit, tool_paths=tool_paths, plugins=plugins)


def run_gates(
    dest: Path,
    selected: Sequence[str],
    *,
    explicit: bool,
    tool_paths: Mapping[str, str | None] | None,
    plugins: Path | None,
) -> int:
    """Run the ``selected`` gates over ``dest``, print the report, return the exit code."""
    import tempfile  # lazy, like the core modules below

    from oidcify import gates

    if not selected:
        return ExitCode.OK
    with tempfile.TemporaryDirectory(prefix="oidcify-gates-") as scratch:
        results = gates.run(
            dest, selected, tool_paths=tool_paths, scratch=Path(scratch), plugins=plugins
        )
    print_report(results)
    print_trust_policies(results)
    _print_next_steps(dest)
    return exit_code(results, explicit=explicit)


def print_report(results: Sequence[GateResult]) -> None:
    print("gates:")
    width = max(len(result.gate) for result in results)
    for result in results:
        took = f" ({result.seconds:.1f}s)" if result.seconds else ""
        print(f"  {_MARK[result.status]:<5} {result.gate:<{width}}  {result.summary}{took}")
        for line in result.details.splitlines() if not result.passed else ():
            print(f"        {line}")


def print_trust_policies(results: Sequence[GateResult]) -> None:
    from oidcify import iam, terraform
    from oidcify.aws import GITHUB_OIDC_HOST as host

    for result in results:
        for config, plan in result.plans.items():
            policy = iam.parse_policy(terraform.trust_policy(plan))
            audiences = dict.fromkeys(
                value for _, _, value in policy.condition_values(f"{host}:aud")
            )
            print(
                f"trust policy in {config}/ admits tokens for {', '.join(audiences)} with subject:"
            )
            for _, condition, subject in policy.condition_values(f"{host}:sub"):
                print(f"  {condition.operator.name:<12}  {subject}")
            for claim in ("repository_id", "job_workflow_ref"):  # pins every statement carries
                pins = dict.fromkeys(
                    (c.operator.name, v) for _, c, v in policy.condition_values(f"{host}:{claim}")
                )
                if pins:
                    print(f"and with {claim}:")
                for operator, value in pins:
                    print(f"  {operator:<12}  {value}")


def _print_next_steps(dest: Path) -> None:
    from oidcify.gates import terraform_dirs

    for config in terraform_dirs(dest):
        if (config / "README.md").is_file():
            print(f"next steps: {config / 'README.md'}")


def exit_code(results: Sequence[GateResult], *, explicit: bool) -> int:
    statuses = {result.status for result in results}
    if "error" in statuses or (explicit and "missing" in statuses):
        return ExitCode.TOOL
    return ExitCode.FINDINGS if "failed" in statuses else ExitCode.OK
