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
