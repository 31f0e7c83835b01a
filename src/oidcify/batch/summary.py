"""What a batch adds up to: repositories per status, findings counted by kind, the exit code,
the ``--report`` JSON, and the ``--diff-dir`` patches. Returns values and writes files; the
command decides what to print."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oidcify import __version__
from oidcify.batch.outcome import CHANGED, FAILED, NOT_RUN, STATUSES, Outcome, Target
from oidcify.errors import ExitCode, InputError


@dataclass
class Summary:
    outcomes: list[Outcome]
    mode: str
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUSES}

    def by_kind(self, kind: str) -> Counter[str]:
        """How often each ID of ``warnings`` or ``left_alone`` occurs over all repositories."""
        return Counter(code for o in self.outcomes for code in o.codes(kind))

    def not_done(self) -> list[Outcome]:
        """Skipped, failed and never-run repositories: each with its reason."""
        return [o for o in self.outcomes if o.status not in (CHANGED, "unchanged")]

    def exit_code(self) -> int:
        if self.interrupted:
            return int(ExitCode.INTERRUPTED)
        if self.count(FAILED):
            return int(ExitCode.INPUT)
        if self.mode == "check" and self.count(CHANGED):
            return int(ExitCode.FINDINGS)
        return int(ExitCode.OK)

    def report(self, exit_code: int | None = None) -> dict[str, Any]:
        return {
            "oidcify": __version__,
            "mode": self.mode,
            "interrupted": self.interrupted,
            "exit_code": self.exit_code() if exit_code is None else exit_code,
            "counts": self.counts(),
            "warnings": dict(sorted(self.by_kind("warnings").items())),
            "left_alone": dict(sorted(self.by_kind("left_alone").items())),
            "repositories": [o.to_json() for o in self.outcomes],
        }


def complete(
    targets: list[Target], outcomes: list[Outcome | None], stopped: list[int]
) -> list[Outcome]:
    """Every target's outcome, in input order; those that never ran say so."""
    done = []
    for index, (target, outcome) in enumerate(zip(targets, outcomes, strict=True)):
        if outcome is not None:
            done.append(outcome)
            continue
        reason = (
            "stopped while running: check this checkout with git status"
            if index in stopped
            else "interrupted before it started"
        )
        done.append(Outcome(target.label, target.path, NOT_RUN, reason=reason))
    return done


def write_atomically(path: Path, text: str, field: str) -> None:
    """Replace ``path`` with ``text`` in one step (a temporary file, then a rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(name).replace(path)
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror or err}", field=field) from None


def write_report(path: Path, summary: Summary, exit_code: int | None = None) -> None:
    text = json.dumps(summary.report(exit_code), indent=2) + "\n"
    write_atomically(path, text, "--report")


def patch_name(label: str) -> str:
    return label.replace("/", "__") + ".patch"


class DiffDir:
    """``--diff-dir``: one ``git apply``-able patch per repository that would change; a stale
    patch of a repository in this batch that no longer changes is removed."""

    def __init__(self, folder: Path) -> None:
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder} is not a directory", field="--diff-dir")
        self.folder = folder

    def record(self, outcome: Outcome) -> None:
        path = self.folder / patch_name(outcome.label)
        if outcome.status == CHANGED and outcome.diff:
            write_atomically(path, outcome.diff, "--diff-dir")
        elif outcome.status != NOT_RUN:
            try:
                path.unlink(missing_ok=True)
            except OSError as err:
                message = f"cannot remove {path}: {err.strerror}"
                raise InputError(message, field="--diff-dir") from None
        outcome.diff = ""  # written: no need to keep it in memory
