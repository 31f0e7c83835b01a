"""``python -m oidcify.demo [DEST]``, what ``make demo`` runs: render the template from this
checkout with example answers into DEST (default ``demo``, replaced if it holds an earlier
demo), run every gate over it and print what passed. Exit codes as for ``oidcify new``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from oidcify import error_handler, gates, template_location
from oidcify.commands import new
from oidcify.errors import ExitCode, InputError

# A repository that builds a two-platform image on main and release branches and on v* tags, and
# trusts both subject forms while GitHub moves it to the immutable one.
EXAMPLE_ANSWERS: dict[str, Any] = {
    "github_owner": "octo-org",
    "github_repo": "hello-oidc",
    "github_owner_id": "9919",
    "github_repo_id": "123456789",
    "subject_format": "both",
    "aws_account_id": "012345678901",
    "aws_region": "eu-west-1",
    "deploy_branches": ["main", "release/*"],
    "deploy_tag_pattern": "v*",
    "platforms": ["linux/amd64", "linux/arm64"],
}


def _clear(dest: Path) -> None:
    """Remove an earlier demo; refuse to delete a directory that is something else."""
    if not dest.exists():
        return
    if not (dest / ".copier-answers.yml").is_file() and any(dest.iterdir()):
        raise InputError(
            f"{dest} exists and is not an earlier demo; not replacing it", field="DEST"
        )
    shutil.rmtree(dest)


def demo(dest: Path, selected: Sequence[str]) -> int:
    src = template_location.checkout_root()
    if src is None:
        raise InputError("the demo renders the template of a source checkout; run it from one")
    _clear(dest)
    answers = " ".join(f"{name}={json.dumps(value)}" for name, value in EXAMPLE_ANSWERS.items())
    print(f"oidcify demo: example answers: {answers}")
    code = new.create(
        dest, EXAMPLE_ANSWERS, src=str(src), defaults=True, vcs_ref="HEAD", selected=selected
    )
    verdict: dict[int, str] = {
        ExitCode.OK: "every gate that ran passed",
        ExitCode.FINDINGS: "a gate has findings",
    }
    workflow = dest / ".github" / "workflows" / "build-and-push.yml"
    print(f"oidcify demo: {verdict.get(code, 'a gate could not run')}; the workflow: {workflow}")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oidcify.demo", description=__doc__)
    parser.add_argument("dest", nargs="?", default="demo", type=Path, metavar="DEST")
    parser.add_argument(
        "--gate", action="append", choices=gates.GATES, dest="gates", help="run only this gate"
    )
    args = parser.parse_args(argv)
    return error_handler.guarded(
        "oidcify demo", lambda: demo(args.dest, tuple(args.gates or gates.GATES))
    )


if __name__ == "__main__":
    sys.exit(main())
