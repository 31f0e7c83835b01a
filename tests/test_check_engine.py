"""The check engine's contract with the process it runs in."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from check_helpers import run_check
from oidcify.errors import InputError


@pytest.mark.parametrize("collecting", [True, False])
def test_the_garbage_collector_is_left_as_it_was(tmp_path: Path, collecting: bool) -> None:
    (tmp_path / "ci.yml").write_text("on: push\njobs:\n  aws:\n    runs-on: x\n", encoding="utf-8")
    was = gc.isenabled()
    try:
        gc.enable() if collecting else gc.disable()
        assert run_check(tmp_path, cwd=tmp_path).files == 1
        assert gc.isenabled() is collecting
        with pytest.raises(InputError):
            run_check(tmp_path / "missing", cwd=tmp_path)
        assert gc.isenabled() is collecting
    finally:
        gc.enable() if was else gc.disable()
