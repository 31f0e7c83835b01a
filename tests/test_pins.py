from __future__ import annotations

from pathlib import Path

import pytest

from oidcify import pins
from oidcify.errors import InputError

SHARED_PINS = Path(__file__).resolve().parents[2] / "shared" / "action-pins.tsv"


def test_table_round_trips_through_render(tmp_path: Path) -> None:
    table = pins.load_pins()
    copy = tmp_path / "pins.jinja"
    copy.write_text(pins.render(table), encoding="utf-8")
    assert pins.load_pins(copy) == table


def test_uses_pinned_and_unpinned() -> None:
    pin = pins.Pin("actions/checkout", "v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1")
    assert pin.uses() == "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
    assert pin.uses(pinned=False) == "actions/checkout@v7"


def test_newest_compares_versions_numerically() -> None:
    old = pins.Pin("a/b", "v9.0.0", "0" * 40)
    new = pins.Pin("a/b", "v10.0.0", "1" * 40)
    assert pins.newest([new, old]) == {"a/b": new}


@pytest.mark.skipif(not SHARED_PINS.exists(), reason="../shared/action-pins.tsv not present")
def test_template_pins_are_the_newest_verified_releases() -> None:
    newest = pins.newest(pins.read_tsv(SHARED_PINS))
    for action, pin in pins.load_pins().items():
        assert pin == newest[action]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("actions/checkout\tv7\t" + "a" * 40, "version"),
        ("actions/checkout\tv7.0.1\tdeadbeef", "commit"),
        ("checkout\tv7.0.1\t" + "a" * 40, "action"),
    ],
)
def test_bad_tsv_rows_name_the_column(tmp_path: Path, row: str, field: str) -> None:
    tsv = tmp_path / "pins.tsv"
    tsv.write_text("action\tversion\tcommit\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        pins.read_tsv(tsv)
    assert exc.value.field == field
    assert "pins.tsv:2" in str(exc.value)


SHA_A, SHA_B = "a" * 40, "b" * 40


@pytest.mark.parametrize(
    ("row", "field", "column"),
    [
        ("actions/checkout\tv9.0.0", "commit", 3),
        ("actions/checkout\tv9.0.0\t", "commit", 3),
        ("actions/checkout", "version", 2),
        ("\tv9.0.0\t" + SHA_A, "action", 1),
    ],
)
def test_a_row_without_a_value_names_its_line_and_column(
    tmp_path: Path, row: str, field: str, column: int
) -> None:
    tsv = tmp_path / "pins.tsv"
    tsv.write_text("action\tversion\tcommit\n\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        pins.read_tsv(tsv)
    assert exc.value.field == field
    assert f"{tsv}:3: no {field} (column {column})" in exc.value.message


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"action\tversion\tcommit\nactions/ch\xe9ckout\tv9.0.0\t", "0xe9 at line 2, column 11"),
        (b"\xef\xbb\xbfacti\xffon\tversion\tcommit\n", "0xff at line 1, column 5"),
        (b"action\tversion\tcommit\n# \xc3\xbc\xff", "0xff at line 2, column 4"),  # characters
    ],
)
def test_a_file_that_is_not_utf8_names_the_line_and_column(
    tmp_path: Path, data: bytes, where: str
) -> None:
    tsv = tmp_path / "pins.tsv"
    tsv.write_bytes(data)
    with pytest.raises(InputError) as exc:
        pins.read_tsv(tsv)
    assert exc.value.field == "--from"
    assert exc.value.message.startswith(f"{tsv}: not UTF-8: byte {where};"), exc.value.message


def test_a_byte_order_mark_and_blank_lines_are_read_past(tmp_path: Path) -> None:
    tsv = tmp_path / "pins.tsv"
    text = f"action\tversion\tcommit\r\n\r\nactions/checkout\tv9.0.0\t{SHA_A}\r\n\r\n"
    tsv.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert pins.read_tsv(tsv) == [pins.Pin("actions/checkout", "v9.0.0", SHA_A)]


def test_a_release_listed_with_two_commits_is_refused(tmp_path: Path) -> None:
    tsv = tmp_path / "pins.tsv"
    rows = [f"actions/checkout\tv9.0.0\t{SHA_A}", f"actions/checkout\tv8.0.0\t{SHA_B}",
            f"actions/checkout\tv9.0.0\t{SHA_A}", f"actions/checkout\tv9.0.0\t{SHA_B}"]  # fmt: skip
    tsv.write_text("action\tversion\tcommit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        pins.read_tsv(tsv)
    assert exc.value.field == "commit"
    assert exc.value.message.startswith(f"{tsv}:5: actions/checkout v9.0.0 is commit {SHA_B}")
    assert f"{SHA_A} on line 2" in exc.value.message


def test_a_release_listed_twice_with_one_commit_is_read(tmp_path: Path) -> None:
    tsv = tmp_path / "pins.tsv"
    row = f"actions/checkout\tv9.0.0\t{SHA_A}\n"
    tsv.write_text("action\tversion\tcommit\n" + row + row, encoding="utf-8")
    assert pins.newest(pins.read_tsv(tsv)) == {"actions/checkout": pins.Pin(*row.split())}


def test_action_names_differing_only_in_case_are_one_action(tmp_path: Path) -> None:
    tsv = tmp_path / "pins.tsv"
    rows = [f"actions/checkout\tv9.0.0\t{SHA_A}", f"Actions/Checkout\tv9.0.0\t{SHA_B}"]
    tsv.write_text("action\tversion\tcommit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        pins.read_tsv(tsv)
    assert exc.value.field == "commit"
    assert exc.value.message.startswith(f"{tsv}:3: Actions/Checkout v9.0.0 is commit {SHA_B}")


@pytest.mark.parametrize("text", ["action\tversion\tcommit\n", "action\tversion\tcommit\n\n\n"])
def test_a_header_without_rows_is_refused(tmp_path: Path, text: str) -> None:
    tsv = tmp_path / "pins.tsv"
    tsv.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        pins.read_tsv(tsv)
    assert exc.value.field == "--from" and "no rows under the header" in exc.value.message
