"""The last word of every entry point (``oidcify`` and ``python -m oidcify.demo``), in the spirit
of pre-commit's ``error_handler.py``: whatever a command raises ends as one line on stderr and a
documented exit code, never a traceback.

- an ``OidcifyError``: its one line, its exit code (2 or 3);
- an ``OSError`` that names a file (a command met a path it cannot use): that path and what is
  wrong with it in plain words, exit 2;
- Ctrl-C: exit 130; a closed stdout (``| head``): exit 141, quietly;
- anything else is a bug in oidcify: one line saying so, the traceback written to a log file
  whose path the line gives, exit 70 (``EX_SOFTWARE``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from oidcify.errors import ExitCode, OidcifyError, describe_os_error

TYPE_CHECKING = False  # pathlib loads only on the path of a bug (start-up time)
if TYPE_CHECKING:
    from pathlib import Path

# Where the traceback of a bug goes: $OIDCIFY_LOG_DIR, else the user's cache folder (as
# pre-commit does), else the temporary folder.
LOG_DIR_VAR = "OIDCIFY_LOG_DIR"


def guarded(prog: str, action: Callable[[], int]) -> int:
    """Run ``action`` and return its exit code; what it raises becomes one line on stderr."""
    try:
        return int(action())
    except OidcifyError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader (`| head`) has gone: stop quietly, and point stdout at /dev/null so the
        # interpreter's final flush does not raise the same error again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.PIPE_CLOSED)
    except OSError as err:
        if err.filename is None:
            return report_bug(prog, err)
        print(f"{prog}: error: {err.filename}: {describe_os_error(err)}", file=sys.stderr)
        return int(ExitCode.INPUT)
    except Exception as err:
        return report_bug(prog, err)


def report_bug(prog: str, err: BaseException) -> int:
    """Write ``err``'s traceback to a log file, print one line naming it, return exit code 70."""
    summary = " ".join(str(err).split())[:200]
    what = f"{type(err).__name__}: {summary}" if summary else type(err).__name__
    log = _write_log(err)
    where = f"the traceback is in {log}" if log else "no log file could be written"
    print(
        f"{prog}: bug: unexpected {what}; this is a bug in oidcify, please report it ({where})",
        file=sys.stderr,
    )
    return int(ExitCode.BUG)


def _log_dirs() -> list[Path]:
    import tempfile  # noqa: PLC0415 - only on the path of a bug
    from pathlib import Path  # noqa: PLC0415

    chosen = os.environ.get(LOG_DIR_VAR)
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folders = [Path(chosen)] if chosen else []
    return [*folders, Path(cache) / "oidcify", Path(tempfile.gettempdir())]


def _write_log(err: BaseException) -> Path | None:
    import platform  # noqa: PLC0415 - only on the path of a bug
    import time  # noqa: PLC0415
    import traceback  # noqa: PLC0415

    from oidcify import __version__  # noqa: PLC0415

    text = (
        f"oidcify {__version__}, Python {platform.python_version()} on {platform.platform()}\n"
        f"command: {' '.join(sys.argv)}\n\n"
        + "".join(traceback.format_exception(type(err), err, err.__traceback__))
    )
    name = f"oidcify-bug-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in _log_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        except OSError:
            continue
        return folder / name
    return None
