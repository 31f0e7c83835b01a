"""OC100: a workflow file oidcify cannot read or parse, so none of its rules could run on it.

Reported only when actionlint did not already report the file (it usually has: a YAML error is
its ``syntax-check``), and not for files whose problem is a leftover conflict marker (OC108).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oidcify.check.context import Context
from oidcify.check.findings import Example, Finding, RuleInfo
from oidcify.conflicts import has_markers

INFO = RuleInfo(
    id="OC100",
    name="unparsable-workflow",
    severity="error",
    summary="a workflow file oidcify cannot read or parse",
    help="The file is not UTF-8, not a single YAML document, not a mapping, or unreadable; "
    "GitHub will not run it either. Fix the error the message names (actionlint reports YAML "
    "syntax errors in more detail).",
)
AFTER_ACTIONLINT = True  # reads ctx.actionlint
_AT = re.compile(r"at line (\d+)(?:, column (\d+))?")


def check(ctx: Context) -> Iterator[Finding]:
    for loaded in ctx.targets():
        path = loaded.source.display
        if loaded.error is None or ctx.actionlint_reported(path):
            continue
        if loaded.text is not None and has_markers(loaded.text):
            continue
        where = _AT.search(loaded.error)
        line = int(where.group(1)) if where else 1
        column = int(where.group(2) or 1) if where else 1
        yield INFO.at(path, line, f"oidcify cannot check this file: {loaded.error}", column=column)


EXAMPLE = Example(
    bad="""\
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo "unterminated
""",
    good="""\
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo "terminated"
""",
)
