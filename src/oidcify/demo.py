"""``python -m oidcify.demo [DEST] [--force]``, what ``make demo`` runs: render the template from
this checkout with example answers into DEST (default ``demo``), run every gate over it and
print what passed. An earlier demo is replaced only if nobody changed it since (its files are
compared with the digests it was made with), or with ``--force`` (``make demo FORCE=1``).
Exit codes as for ``oidcify new``.
"""

from __future__ import annotations

import argparse
import hashlib
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


# What the demo wrote, file by file (SHA-256), so that a later run can tell the user's edits.
MANIFEST = ".oidcify-demo.sha256"


def _digests(dest: Path) -> dict[str, str]:
    return {
        path.relative_to(dest).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(dest.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def _record(dest: Path) -> None:
    lines = "".join(f"{digest}  {name}\n" for name, digest in _digests(dest).items())
    (dest / MANIFEST).write_text(lines, encoding="utf-8")


def _changes(dest: Path) -> list[str]:
    """The files of an earlier demo that were edited, added or removed since it was made."""
    manifest = dest / MANIFEST
    if not manifest.is_file():
        return [f"{MANIFEST} (missing: the demo's files cannot be compared)"]
    recorded: dict[str, str] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        recorded[name] = digest
    now = _digests(dest)
    return sorted(
        name for name in recorded.keys() | now.keys() if recorded.get(name) != now.get(name)
    )


def _clear(dest: Path, *, force: bool) -> None:
    """Remove an earlier demo; refuse to delete a directory that is something else, or a demo
    the user changed (unless ``force``)."""
    if not dest.exists():
        return
    if not (dest / ".copier-answers.yml").is_file() and any(dest.iterdir()):
        raise InputError(
            f"{dest} exists and is not an earlier demo; not replacing it", field="DEST"
        )
    changed = [] if force else _changes(dest)
    if changed:
        shown = ", ".join(changed[:3]) + (
            f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        )
        raise InputError(
            f"{dest} has changes since the demo made it ({shown}); not replacing it: run "
            "make demo FORCE=1 (python -m oidcify.demo --force) to replace it",
            field="DEST",
        )
    shutil.rmtree(dest)


def demo(dest: Path, selected: Sequence[str], *, force: bool = False) -> int:
    src = template_location.checkout_root()
    if src is None:
        raise InputError("the demo renders the template of a source checkout; run it from one")
    _clear(dest, force=force)
    answers = " ".join(f"{name}={json.dumps(value)}" for name, value in EXAMPLE_ANSWERS.items())
    print(f"oidcify demo: example answers: {answers}")
    code = new.create(
        dest, EXAMPLE_ANSWERS, src=str(src), defaults=True, vcs_ref="HEAD", selected=selected
    )
    _record(dest)
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
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier demo even if it was changed"
    )
    args = parser.parse_args(argv)
    selected = tuple(args.gates or gates.GATES)
    return error_handler.guarded(
        "oidcify demo", lambda: demo(args.dest, selected, force=args.force)
    )


if __name__ == "__main__":
    sys.exit(main())
