"""One ``oidcify check``: find the files, start actionlint, analyse, merge.

actionlint is started before any YAML library is imported (``sources`` and ``actionlint`` are
light), so its run overlaps with oidcify's own parsing and rules in ``analysis``.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from oidcify import tools
from oidcify.check import actionlint, sources
from oidcify.check.options import Options

if TYPE_CHECKING:
    from oidcify.check.findings import Report


def _split(paths: tuple[str, ...]) -> tuple[list[str], list[Path]]:
    """Workflow paths and ``.rej`` files named on the command line."""
    rej = [Path(p) for p in paths if p.endswith(".rej")]
    rest = [p for p in paths if not p.endswith(".rej")]
    return rest, rej


def check(options: Options) -> Report:
    # A check allocates many small objects (texts, node trees, findings) that live until it
    # returns and are hardly ever in cycles: the cyclic collector would walk them again and
    # again and free next to nothing (9 ms of the corpus's run, 47 ms of the 1,503 files').
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check(options)
    finally:
        if collecting:
            gc.enable()


def _check(options: Options) -> Report:
    cwd = options.cwd or Path.cwd()
    args, rej = _split(options.paths)
    for path in rej:
        if not path.exists():
            sources.collect([str(path)], cwd)  # raises the usual "no such file" error
    found = sources.collect(args, cwd) if args or not rej else []
    targets = [s for s in found if s.target]
    run = None
    if options.use_actionlint and targets:
        binary = tools.find(tools.ACTIONLINT, options.actionlint, without="--no-actionlint")
        run = actionlint.start(binary, [str(s.path) for s in targets])
    try:
        from oidcify.check import analysis  # noqa: PLC0415 - after actionlint has started

        return analysis.analyse(options, found, args, rej, run)
    finally:
        if run is not None and run.process.poll() is None:
            run.process.kill()
            run.process.wait()
