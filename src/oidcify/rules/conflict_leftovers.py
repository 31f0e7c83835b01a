"""OC108: leftovers of a ``copier update`` that did not merge cleanly.

Conflict markers (``<<<<<<< before updating`` ... ``>>>>>>> after updating``) in a checked
workflow file, in the ``--terraform`` folder or in ``.copier-answers.yml``, and ``*.rej`` files
(written by ``copier update --conflict rej``) anywhere below a checked folder or passed by name.
Found by ``oidcify.conflicts``.
"""

from __future__ import annotations

from collections.abc import Iterator

from oidcify import conflicts
from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.check.sources import display

INFO = RuleInfo(
    id="OC108",
    name="conflict-leftovers",
    severity="error",
    summary="unresolved conflict marker or .rej file left by an update",
    help="Resolve the conflict: keep the right side, delete the marker lines (<<<<<<<, =======, "
    ">>>>>>>), or merge the hunk of the .rej file into the file it names and delete the .rej. "
    "Then run `oidcify check` again.",
)


def check(ctx: Context) -> Iterator[Finding]:
    leftovers: list[tuple[str, conflicts.Leftover]] = []
    for loaded in ctx.targets():
        text = loaded.text
        if text is not None and conflicts.has_markers(text):
            found = conflicts.scan_data(loaded.source.path, text.encode("utf-8"))
            leftovers += [(loaded.source.display, item) for item in found]
    cwd = ctx.options.cwd
    for path in ctx.extra_files:
        shown = display(path, cwd) if cwd else path.as_posix()
        leftovers += [(shown, item) for item in conflicts.scan_file(path)]
    for shown, item in leftovers:
        yield INFO.at(shown, max(item.line, 1), item.message)


EXAMPLE = Example(
    bad="""\
<<<<<<< before updating
          aws-region: us-east-1
=======
          aws-region: eu-west-1
>>>>>>> after updating
""",
    good="""\
          aws-region: eu-west-1
""",
)
