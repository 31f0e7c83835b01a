"""The one family of domain errors, and the exit codes every command maps them to.

Exit codes (the same for every command; README.md repeats this table):

====  ==========================================================================
code  meaning
====  ==========================================================================
0     success: nothing to report, nothing (more) to change, ALLOW
1     findings: lint findings, changes needed under ``--check``, DENY
2     bad input: flags, answers, YAML, policies; or a file/repo that failed
3     a required external tool (actionlint, zizmor, terraform, git) is missing
      or failed to run
130   interrupted (Ctrl-C)
141   stdout was closed before the output was written (``| head``), as for any
      command a closed pipe stops
====  ==========================================================================
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    INPUT = 2
    TOOL = 3
    INTERRUPTED = 130
    PIPE_CLOSED = 141  # 128 + SIGPIPE, what a shell reports for a command a closed pipe stops


class OidcifyError(Exception):
    """Base of every error oidcify raises on purpose; the CLI prints it as one line."""

    exit_code: ExitCode = ExitCode.INPUT

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InputError(OidcifyError):
    """Bad input from the user: a flag, an answer, a file's content, a policy."""


class ToolError(OidcifyError):
    """An external program we rely on is missing or did not run."""

    exit_code = ExitCode.TOOL
