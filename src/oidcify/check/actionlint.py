"""actionlint, run once over every workflow file, its JSON output parsed into findings.

The process is started before oidcify parses anything (``start``) and collected afterwards
(``ActionlintProcess.findings``), so on two cores the two analyses overlap. Output goes to
temporary files, not pipes: a pipe fills at 64 KiB and would stall actionlint while oidcify is
still working.
Nothing here imports ``subprocess`` or ``tempfile`` on Linux (``tools.spawn``, memfd files):
every millisecond before the start is one actionlint waits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from oidcify import tools
from oidcify.errors import ToolError

if TYPE_CHECKING:
    from oidcify.check.findings import Finding

FORMAT = "{{json .}}"


def argv(binary: Path, files: list[str]) -> list[str]:
    """The command line: JSON output, no colour, every file after ``--``."""
    return [str(binary), "-format", FORMAT, "-no-color", "--", *files]


class ActionlintProcess(NamedTuple):  # not a dataclass: see options.py
    process: tools.Process
    stdout: IO[bytes]
    stderr: IO[bytes]

    def findings(self, displays: Mapping[str, str]) -> list[Finding]:
        """Wait for actionlint and return its findings; ``displays`` maps the paths passed on
        the command line to the paths reported to the user."""
        # A plain wait blocks in waitpid; with a timeout Popen polls with sleeps of up to 50 ms,
        # which would add that much to every check.
        code = self.process.wait()
        out, err = _read(self.stdout), _read(self.stderr)
        if code not in (0, 1):
            first = next((line for line in err.splitlines() if line.strip()), "no message")
            raise ToolError(f"exited with status {code}: {first}", field="actionlint")
        return parse(out, displays)


def _read(handle: IO[bytes]) -> str:
    handle.seek(0)
    data = handle.read().decode("utf-8", "replace")
    handle.close()
    return data


def _scratch(name: str) -> IO[bytes]:
    """An anonymous file for the output (in memory where Linux has memfd)."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create(name), "w+b")
    import tempfile  # noqa: PLC0415

    return tempfile.TemporaryFile()


def start(binary: Path, files: list[str]) -> ActionlintProcess:
    """Start actionlint over ``files`` (at least one) and return at once."""
    # The files outlive this function: ActionlintProcess.findings reads and closes them.
    stdout, stderr = _scratch("actionlint-stdout"), _scratch("actionlint-stderr")
    try:
        process = tools.spawn(argv(binary, files), stdout.fileno(), stderr.fileno())
    except OSError as err:
        stdout.close()
        stderr.close()
        raise ToolError(f"cannot run {binary}: {err.strerror}", field="actionlint") from None
    return ActionlintProcess(process, stdout, stderr)


def _findings(items: list[Any], displays: Mapping[str, str]) -> list[Finding]:
    from oidcify.check.findings import ACTIONLINT_PREFIX, Finding  # noqa: PLC0415 - see start

    # One loop, positional arguments and one rule id per kind: 7 ms instead of 16 for the
    # 6,836 findings of the real-world dataset, after actionlint is done (nothing overlaps).
    rules: dict[str, str] = {}
    found = []
    for item in items:
        path = str(item["filepath"])
        kind = item.get("kind") or "unknown"
        rule = rules.get(kind) or rules.setdefault(kind, f"{ACTIONLINT_PREFIX}{kind}")
        line, column = int(item.get("line") or 0), int(item.get("column") or 0) or 1
        found.append(Finding(rule, displays.get(path, path), line, column, str(item["message"])))
    return found


def parse(output: str, displays: Mapping[str, str]) -> list[Finding]:
    """Findings from actionlint's ``{{json .}}`` output (a JSON array, or null when clean)."""
    import json  # noqa: PLC0415 - imported after actionlint has started

    text = output.strip()
    if not text:
        return []
    try:
        return _findings(json.loads(text) or [], displays)
    except (ValueError, KeyError, TypeError) as err:
        raise ToolError(f"unexpected output ({err}): {text[:200]}", field="actionlint") from None


def run(binary: Path, files: list[str], displays: Mapping[str, str]) -> list[Finding]:
    """Start and collect in one call (for benchmarks and tests)."""
    return start(binary, files).findings(displays) if files else []
