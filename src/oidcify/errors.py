"""The one family of domain errors, and the exit codes every command maps them to.

Exit codes (the same for every command; README.md repeats this table):

====  ==========================================================================
code  meaning
====  ==========================================================================
0     success: nothing to report, nothing (more) to change, ALLOW
1     findings: lint findings, changes needed under ``--check``, DENY
2     bad input: flags, answers, YAML, policies; or a file/repo that failed
3     a required external tool (actionlint, zizmor, terraform, git) is missing
      or failed to run; for ``audit``, AWS cannot be reached or refused us
70    a bug in oidcify: an unexpected error, its traceback written to a log
      file whose path the one-line message gives (``oidcify.error_handler``)
130   interrupted (Ctrl-C)
141   stdout was closed before the output was written (``| head``), as for any
      command a closed pipe stops
====  ==========================================================================
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    INPUT = 2
    TOOL = 3
    BUG = 70  # sysexits.h EX_SOFTWARE: an internal error, never the user's input
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


# What an OSError means, in the words a message uses after the path it names.
_OS_REASONS = {
    errno.ENOENT: "does not exist",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "is not a directory (or a folder on its path is a file)",
    errno.EISDIR: "is a directory, not a file",
    errno.EEXIST: "already exists",
    errno.ENOTEMPTY: "is not empty",
    errno.ENOSPC: "no space left on the device",
    errno.EROFS: "is on a read-only file system",
    errno.ELOOP: "is a loop of symbolic links",
    errno.ENAMETOOLONG: "the name is too long",
}


def describe_os_error(err: OSError) -> str:
    """What went wrong, in plain words and without Python's ``[Errno N]`` prefix."""
    if err.errno in _OS_REASONS:
        return _OS_REASONS[err.errno]
    return (err.strerror or type(err).__name__).lower()


def path_error(err: OSError, fallback: object, action: str = "") -> InputError:
    """An InputError naming the path ``err`` is about (else ``fallback``): ``PATH: cannot
    write: permission denied``."""
    where = str(err.filename) if err.filename is not None else str(fallback)
    reason = describe_os_error(err)
    return InputError(f"{action}: {reason}" if action else reason, field=where)


def describe_read_error(err: Exception) -> str:
    """Why a file could not be read, in plain words: an OSError, a decoding error, a parser's."""
    if isinstance(err, OSError):
        return describe_os_error(err)
    if isinstance(err, UnicodeDecodeError):
        return "not UTF-8 text"
    return " ".join(str(err).split())
