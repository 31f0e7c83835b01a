"""The table of GitHub Actions the template and the retrofit pin, and how a ``uses:`` is written.

One file holds the table: ``data/action_pins.jinja``. The Copier template imports it (with the
``uses`` macro it defines) and Python parses the same file, so a new release is one edit of one
file, made by ``oidcify pins refresh``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from oidcify import tables
from oidcify.errors import InputError
from oidcify.utf8 import decode_strict

PINS_FILE = Path(__file__).with_name("data") / "action_pins.jinja"

_VERSION = re.compile(r"v(\d+)\.(\d+)\.(\d+)")
_COMMIT = re.compile(r"[0-9a-f]{40}")
_ENTRY = re.compile(r'^\s+"(?P<action>[^"]+)": \["(?P<version>[^"]+)", "(?P<commit>[^"]+)"\],$')


class Pin(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """One action of the pin table: its release and that release's commit."""

    action: str
    version: str
    commit: str

    @property
    def major(self) -> str:
        return self.version.split(".", 1)[0]

    @property
    def version_key(self) -> tuple[int, ...]:
        match = _VERSION.fullmatch(self.version)
        assert match, self.version  # guaranteed by _check
        return tuple(int(part) for part in match.groups())

    def uses(self, *, pinned: bool = True) -> str:
        """The ``uses:`` value; pinned, it carries the ``# vX.Y.Z`` comment tools read."""
        if pinned:
            return f"{self.action}@{self.commit} # {self.version}"
        return f"{self.action}@{self.major}"


def _check(pin: Pin, where: str) -> Pin:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+", pin.action):
        raise InputError(
            f"{where}: {pin.action!r} is not an OWNER/REPO action name", field="action"
        )
    if not _VERSION.fullmatch(pin.version):
        raise InputError(f"{where}: {pin.version!r} is not vMAJOR.MINOR.PATCH", field="version")
    if not _COMMIT.fullmatch(pin.commit):
        raise InputError(f"{where}: {pin.commit!r} is not a 40-hex commit SHA", field="commit")
    return pin


def load_pins(path: Path | None = None) -> dict[str, Pin]:
    """The pin table as ``{action: Pin}`` (default: the table the template uses)."""
    path = path or PINS_FILE
    pins: dict[str, Pin] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if match := _ENTRY.match(line):
            pin = _check(Pin(**match.groupdict()), f"{path.name}:{number}")
            pins[pin.action] = pin
    if not pins:
        raise InputError(f"{path}: no pins found", field="pins")
    return pins


_COLUMNS = ("action", "version", "commit")


def read_tsv(path: Path) -> list[Pin]:
    """Rows of a TSV with columns ``action``, ``version`` and ``commit`` (more columns ignored).

    Every refusal names the file and line (a column by name, or a character by its position):
    a file that is not UTF-8, a file with no rows, a row without one of the three values, a bad
    value, and a release listed with two different commits (action names compared without
    regard to case, as on GitHub), since a release tag that moved is not to be trusted.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}", field="--from") from None
    table = tables.rows(
        decode_strict(data, "--from", path=str(path), drop_bom=True), str(path), delimiter="\t"
    )
    header = [name.strip() for name in next(table, (1, []))[1]]
    missing = [name for name in _COLUMNS if name not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}", field="--from")
    index = {name: header.index(name) for name in _COLUMNS}
    pins: list[Pin] = []
    first_line: dict[tuple[str, str], tuple[int, str]] = {}
    for number, row in table:
        cells = [cell.strip() for cell in row]
        values = {name: cells[i] if i < len(cells) else "" for name, i in index.items()}
        for name, i in index.items():
            if not values[name]:
                raise InputError(
                    f"{path}:{number}: no {name} (column {i + 1}); every row needs "
                    f"{', '.join(_COLUMNS)}, separated by tabs",
                    field=name,
                )
        pin = _check(Pin(**values), f"{path}:{number}")
        # GitHub owner and repository names ignore case: Actions/Checkout is actions/checkout.
        key = (pin.action.lower(), pin.version)
        seen, commit = first_line.setdefault(key, (number, pin.commit))
        if commit.lower() != pin.commit.lower():
            raise InputError(
                f"{path}:{number}: {pin.action} {pin.version} is commit {pin.commit} here but "
                f"{commit} on line {seen}; a release tag that moved is suspicious: find out "
                "which commit the release really is and keep only that row",
                field="commit",
            )
        pins.append(pin)
    if not pins:
        raise InputError(
            f"{path}: no rows under the header; list the releases to pin, one a line",
            field="--from",
        )
    return pins


def newest(pins: list[Pin]) -> dict[str, Pin]:
    """The newest release of each action, by version number."""
    best: dict[str, Pin] = {}
    for pin in pins:
        if pin.action not in best or pin.version_key > best[pin.action].version_key:
            best[pin.action] = pin
    return dict(sorted(best.items()))


_HEADER = """\
{#- Pinned GitHub Actions: full commit SHAs of verified releases.
    Written by `oidcify pins refresh --from FILE.tsv`; review the diff, do not edit by hand.
    Python reads the entries below line by line (oidcify/pins.py). -#}
{%- set pins = {
"""
_FOOTER = """\
} -%}
{#- uses(action): the `uses:` value, pinned to a SHA with a version comment when pin_actions. -#}
{%- macro uses(action) -%}
{%- if pin_actions -%}
{{ action }}@{{ pins[action][1] }} # {{ pins[action][0] }}
{%- else -%}
{{ action }}@{{ pins[action][0].split('.')[0] }}
{%- endif -%}
{%- endmacro -%}
"""


def render(pins: dict[str, Pin]) -> str:
    """The text of the pins file for ``pins``."""
    entries = "".join(f'    "{p.action}": ["{p.version}", "{p.commit}"],\n' for p in pins.values())
    return _HEADER + entries + _FOOTER


def refresh(
    source: Path, *, add_new: bool = False, path: Path | None = None
) -> list[tuple[Pin | None, Pin]]:
    """Rewrite the table at ``path`` with the newest releases in ``source``.

    Returns ``(old, new)`` for each pin that changed (``old`` is None for an added action).
    Only actions already pinned are updated unless ``add_new``: a TSV of every release on
    GitHub should not silently widen what the template uses. A release older than the current
    pin is never taken, so a stale TSV cannot downgrade the table.
    """
    path = path or PINS_FILE
    current = load_pins(path)
    offered = newest(read_tsv(source))
    table = dict(current)
    changes: list[tuple[Pin | None, Pin]] = []
    for action, pin in offered.items():
        old = current.get(action)
        if old is None and not add_new:
            continue
        if old is None or pin.version_key > old.version_key:
            table[action] = pin
            changes.append((old, pin))
    if changes:
        _write_atomic(path, render(dict(sorted(table.items()))))
    return changes


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
