"""oidcify.tables: one reader for the TSV and CSV tables users pass (pins, roles)."""

from __future__ import annotations

import pytest

from oidcify import tables
from oidcify.errors import InputError


def test_rows_skip_blank_lines_and_keep_line_numbers() -> None:
    text = "a\tb\r\n\r\n\t \nx\ty\n\n"
    assert list(tables.rows(text, "t.tsv", delimiter="\t")) == [(1, ["a", "b"]), (4, ["x", "y"])]


def test_tsv_takes_quotes_literally_and_csv_reads_them() -> None:
    assert list(tables.rows('"a\tb"\n', "t.tsv", delimiter="\t")) == [(1, ['"a', 'b"'])]
    assert list(tables.rows('"a,b",c\n', "t.csv")) == [(1, ["a,b", "c"])]


def test_a_malformed_row_names_the_file_and_line() -> None:
    with pytest.raises(InputError) as exc:
        list(tables.rows('repo,role_arn\n"alpha,x\n', "roles.csv"))
    assert exc.value.field == "roles.csv:2" and exc.value.message.startswith("not CSV: ")
