"""Finding a batch's checkouts (``oidcify.batch.targets``)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from oidcify.batch.targets import labels, read_list, targets
from oidcify.errors import InputError


def checkout(path: Path, marker: str = ".git") -> Path:
    (path / marker).mkdir(parents=True)
    return path


def test_arguments_directories_of_checkouts_and_repos_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = checkout(tmp_path / "one")
    fleet = tmp_path / "fleet"
    b, a = checkout(fleet / "b", ".github"), checkout(fleet / "a")
    (fleet / "notes").mkdir()  # neither marker: not a checkout of the fleet
    listing = tmp_path / "repos.txt"
    listing.write_text(f"# my repos\n\n  {one}  # again\n{tmp_path / 'missing'}\n")
    monkeypatch.chdir(tmp_path)
    found = targets(["one", str(fleet)], str(listing))
    assert [t.path for t in found] == [str(one), str(a), str(b), str(tmp_path / "missing")]
    assert [t.label for t in found] == ["one", "a", "b", "missing"]
    assert all(Path(t.path).is_absolute() for t in found)


def test_a_plain_directory_is_a_checkout_without_workflows(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    assert [t.label for t in targets([str(tmp_path / "plain")], None)] == ["plain"]


def test_labels_grow_until_unique(tmp_path: Path) -> None:
    paths = [tmp_path / "a" / "x" / "app", tmp_path / "b" / "x" / "app", tmp_path / "c" / "lib"]
    assert labels(paths) == ["a/x/app", "b/x/app", "lib"]


def test_stdin_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a\n#b\nc # d\n"))
    assert read_list("-") == ["a", "c"]
    with pytest.raises(InputError, match="--repos-file: cannot read"):
        read_list(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="REPO: no repositories"):
        targets([], None)
