"""Delimited text tables that users hand to oidcify: ``pins refresh --from FILE.tsv`` and
``batch --roles-csv FILE.csv``. One reader for both, so rows, blank lines and line numbers mean
the same thing in each; what the columns must hold is the caller's business."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from oidcify.errors import InputError


def rows(text: str, source: str, *, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each row of ``text`` that has a non-blank cell, header included.

    CSV (``,``) takes quotes, strictly; TSV (``\\t``) takes none, as a tab cannot be in a value.
    ``line`` is the row's last line in the file; a malformed row is an InputError naming
    ``source:line``."""
    stream = io.StringIO(text)
    if delimiter == ",":
        reader = csv.reader(stream, quoting=csv.QUOTE_MINIMAL, strict=True)
    else:
        reader = csv.reader(stream, delimiter=delimiter, quoting=csv.QUOTE_NONE, strict=True)
    kind = "CSV" if delimiter == "," else "TSV"
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells
    except csv.Error as err:
        raise InputError(f"not {kind}: {err}", field=f"{source}:{reader.line_num}") from None
