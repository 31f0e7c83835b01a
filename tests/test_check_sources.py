"""Which files a check reads for each PATH, and how they are shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from oidcify.check.sources import collect
from oidcify.errors import InputError


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # PATH arguments are relative to the working directory
    workflows = tmp_path / "repo" / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for name in ("a.yml", "b.yaml", "notes.txt"):
        (workflows / name).write_text("on: push\n", encoding="utf-8")
    (workflows / "nested").mkdir()
    (workflows / "nested" / "c.yml").write_text("on: push\n", encoding="utf-8")
    other = tmp_path / "other" / "deep"
    other.mkdir(parents=True)
    (other / "x.yml").write_text("on: push\n", encoding="utf-8")
    return tmp_path


def shown(sources: list, targets: bool = True) -> list[str]:  # type: ignore[type-arg]
    return [s.display for s in sources if s.target is targets]


def test_a_repository_is_its_top_level_workflows(tree: Path) -> None:
    found = collect(["repo"], tree)
    assert shown(found) == ["repo/.github/workflows/a.yml", "repo/.github/workflows/b.yaml"]
    assert {s.key for s in found} == {".github/workflows/a.yml", ".github/workflows/b.yaml"}


def test_a_file_brings_its_siblings_as_context(tree: Path) -> None:
    found = collect(["repo/.github/workflows/a.yml"], tree)
    assert shown(found) == ["repo/.github/workflows/a.yml"]
    assert shown(found, targets=False) == ["repo/.github/workflows/b.yaml"]


def test_any_other_folder_is_every_yaml_file_below_it(tree: Path) -> None:
    found = collect(["other"], tree)
    assert shown(found) == ["other/deep/x.yml"] and found[0].root is None


def test_no_path_is_the_working_directory_repository(tree: Path) -> None:
    assert shown(collect([], tree / "repo")) == [".github/workflows/a.yml",
                                                 ".github/workflows/b.yaml"]  # fmt: skip
    assert collect([], tree / "other") == []


def test_outside_the_working_directory_and_missing_paths(tree: Path) -> None:
    found = collect([str(tree / "other")], tree / "repo")
    assert shown(found) == [(tree / "other" / "deep" / "x.yml").as_posix()]
    with pytest.raises(InputError, match="no such file or directory"):
        collect(["missing"], tree)


def test_a_symlinked_file_keeps_its_name(tree: Path) -> None:
    (tree / "link.yml").symlink_to(tree / "other" / "deep" / "x.yml")
    assert shown(collect(["link.yml"], tree)) == ["link.yml"]
