"""Writing is all or nothing, atomic per file, and keeps each file's mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from oidcify.errors import InputError
from oidcify.retrofit import Options, retrofit_repo
from oidcify.retrofit.write import write

FIXTURES = Path(__file__).parent / "fixtures" / "retrofit"
OPTIONS = Options(role_arn="arn:aws:iam::123456789012:role/gha-deploy", region="us-east-1")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for case in ("or001-basic", "or006-docker-login-ecr"):
        (folder / f"{case}.yml").write_bytes((FIXTURES / case / "input.yml").read_bytes())
    return tmp_path


def contents(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((repo / ".github/workflows").iterdir())}


def test_writes_every_changed_file(repo: Path) -> None:
    result = retrofit_repo(repo, OPTIONS)
    assert write(repo, result) == [
        ".github/workflows/or001-basic.yml",
        ".github/workflows/or006-docker-login-ecr.yml",
    ]
    assert contents(repo) == {
        f"{case}.yml": (FIXTURES / case / "expected.yml").read_bytes()
        for case in ("or001-basic", "or006-docker-login-ecr")
    }


def test_a_file_changed_meanwhile_stops_everything(repo: Path) -> None:
    result = retrofit_repo(repo, OPTIONS)
    (repo / ".github/workflows/or006-docker-login-ecr.yml").write_text("edited\n")
    before = contents(repo)
    with pytest.raises(InputError, match="changed on disk"):
        write(repo, result)
    assert contents(repo) == before


def test_a_failing_replace_rolls_back(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = retrofit_repo(repo, OPTIONS)
    before = contents(repo)
    calls = []
    real = Path.replace

    def flaky(self: Path, target: Path) -> Path:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    with pytest.raises(InputError, match="nothing written: No space left on device"):
        write(repo, result)
    assert contents(repo) == before
    assert len(calls) == 2


def test_errors_mean_nothing_is_written(repo: Path) -> None:
    (repo / ".github/workflows/bad.yml").write_text("jobs: [\n")
    result = retrofit_repo(repo, OPTIONS)
    before = contents(repo)
    with pytest.raises(InputError, match="1 file"):
        write(repo, result)
    assert contents(repo) == before
