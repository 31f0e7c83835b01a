"""``oidcify pins``: listing, and refreshing the table from a TSV of releases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oidcify import cli, pins

OLD = "actions/checkout\tv6.1.0\t" + "a" * 40
NEW = "actions/checkout\tv7.0.2\t" + "b" * 40
OTHER = "hashicorp/setup-terraform\tv4.0.1\t" + "c" * 40


@pytest.fixture
def table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "action_pins.jinja"
    path.write_text(
        pins.render({"actions/checkout": pins.Pin("actions/checkout", "v7.0.1", "d" * 40)})
    )
    monkeypatch.setattr(pins, "PINS_FILE", path)
    return path


def _tsv(tmp_path: Path, *rows: str) -> Path:
    tsv = tmp_path / "releases.tsv"
    tsv.write_text(
        "action\tversion\tcommit\treleased\n" + "".join(f"{r}\t2026-01-01\n" for r in rows)
    )
    return tsv


def test_refresh_takes_the_newest_release(table: Path, tmp_path: Path) -> None:
    assert cli.main(["pins", "refresh", "--from", str(_tsv(tmp_path, OLD, NEW))]) == 0
    assert pins.load_pins(table)["actions/checkout"] == pins.Pin(
        "actions/checkout", "v7.0.2", "b" * 40
    )


def test_refresh_says_which_pins_it_moved_and_flags_a_new_major(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["pins", "refresh", "--from", str(_tsv(tmp_path, NEW))]) == 0
    minor = capsys.readouterr().out.splitlines()[0]
    assert minor == f"actions/checkout: v7.0.1 ({'d' * 12}) -> v7.0.2 ({'b' * 12})"
    major = "actions/checkout\tv8.0.0\t" + "e" * 40
    assert cli.main(["pins", "refresh", "--from", str(_tsv(tmp_path, major))]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith("-> v8.0.0 (eeeeeeeeeeee) NEW MAJOR: read its release notes")


def test_refresh_never_downgrades_and_leaves_file_alone(table: Path, tmp_path: Path) -> None:
    before = table.read_bytes()
    assert cli.main(["pins", "refresh", "--from", str(_tsv(tmp_path, OLD))]) == 0
    assert table.read_bytes() == before


def test_refresh_adds_unpinned_actions_only_when_asked(table: Path, tmp_path: Path) -> None:
    tsv = _tsv(tmp_path, OTHER)
    assert cli.main(["pins", "refresh", "--from", str(tsv)]) == 0
    assert "hashicorp/setup-terraform" not in pins.load_pins(table)
    assert cli.main(["pins", "refresh", "--all-actions", "--from", str(tsv)]) == 0
    assert "hashicorp/setup-terraform" in pins.load_pins(table)


def test_refresh_refuses_a_bad_tsv_without_writing(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = table.read_bytes()
    bad = _tsv(tmp_path, "actions/checkout\tlatest\t" + "b" * 40)
    assert cli.main(["pins", "refresh", "--from", str(bad)]) == 2
    assert table.read_bytes() == before
    assert "version" in capsys.readouterr().err


BAD_FILES = {
    "not UTF-8": (
        b"action\tversion\tcommit\nactions/checkout\tv7.0.\xb2\t",
        ": not UTF-8: byte 0xb2 at line 2, column 23",
    ),
    "short row": (b"action\tversion\tcommit\nactions/checkout\tv9.0.0\n", ":2: no commit"),
    "moved tag": (
        f"action\tversion\tcommit\n{NEW}\n{NEW[:-1]}c\n".encode(),
        ":3: actions/checkout",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_refresh_refuses_a_broken_tsv_in_one_line_naming_the_file(
    name: str, table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, says = BAD_FILES[name]
    bad = tmp_path / "releases.tsv"
    bad.write_bytes(data)
    before = table.read_bytes()
    assert cli.main(["pins", "refresh", "--from", str(bad)]) == 2
    assert table.read_bytes() == before
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert f"{bad}{says}" in captured.err, captured.err


def test_list_json_matches_the_table(table: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["pins", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [{"action": "actions/checkout", "version": "v7.0.1", "commit": "d" * 40}]
