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
from oidcify.errors import InputError

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
    # A trust policy alone can still be judged (OC203-OC206); workflows alone cannot be absent.
    policy_only = bool(options.trust_policies or options.terraform)
    if not rej and not policy_only and not targets:
        where = ", ".join(args) if args else "the working directory's .github/workflows"
        raise InputError(f"no workflow files (*.yml, *.yaml) in {where}", field="PATH")
    runs: list[actionlint.ActionlintProcess] = []

    def restart(unreadable: set[str]) -> actionlint.ActionlintProcess | None:
        """actionlint again without the files oidcify could not read: it would stop at the
        first with exit status 3, and they are oidcify's OC100."""
        _stop(runs[-1])
        rest = [str(s.path) for s in targets if str(s.path) not in unreadable]
        runs.extend([actionlint.start(binary, rest)] if rest else [])
        return runs[-1] if rest else None

    if options.use_actionlint and targets:
        binary = tools.find(tools.ACTIONLINT, options.actionlint, without="--no-actionlint")
        runs.append(actionlint.start(binary, [str(s.path) for s in targets]))
    try:
        from oidcify.check import analysis  # noqa: PLC0415 - after actionlint has started

        return analysis.analyse(
            options, found, args, rej, runs[0] if runs else None, restart=restart
        )
    finally:
        for run in runs:
            _stop(run)


def _stop(run: actionlint.ActionlintProcess) -> None:
    if run.process.poll() is None:
        run.process.kill()
        run.process.wait()
