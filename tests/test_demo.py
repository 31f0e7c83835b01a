"""`make demo` (python -m oidcify.demo): render example answers into DEST and run the gates."""

from __future__ import annotations

from pathlib import Path

import pytest

from oidcify import demo, template_location
from oidcify.errors import ExitCode


@pytest.mark.slow
def test_demo_renders_runs_the_gates_and_replaces_an_earlier_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "demo"
    gates = ["--gate", "actionlint", "--gate", "zizmor"]  # terraform: the matrix tests cover it
    assert demo.main([str(dest), *gates]) == ExitCode.OK
    assert demo.main([str(dest), *gates]) == ExitCode.OK  # unchanged: replaced
    (dest / "left-over").write_text("from the first run")
    assert demo.main([str(dest), *gates, "--force"]) == ExitCode.OK
    assert not (dest / "left-over").exists()
    out = capsys.readouterr().out
    assert "PASS  actionlint" in out and "PASS  zizmor" in out
    assert out.rstrip().endswith(
        f"every gate that ran passed; the workflow: {dest}/.github/workflows/build-and-push.yml"
    )
    answers = (dest / ".copier-answers.yml").read_text()
    assert 'aws_account_id: "012345678901"' in answers


def test_demo_does_not_replace_a_directory_it_did_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    assert demo.main([str(tmp_path), "--gate", "actionlint"]) == ExitCode.INPUT
    assert (tmp_path / "precious.txt").read_text() == "keep me"
    assert "is not an earlier demo" in capsys.readouterr().err


def test_demo_needs_a_source_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(template_location, "checkout_root", lambda: None)
    assert demo.main([str(tmp_path / "demo")]) == ExitCode.INPUT
    assert "source checkout" in capsys.readouterr().err


def test_demo_does_not_replace_a_demo_the_user_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "demo"
    assert demo.main([str(dest), "--gate", "actionlint"]) in (ExitCode.OK, ExitCode.TOOL)
    workflow = dest / ".github" / "workflows" / "build-and-push.yml"
    workflow.write_text(workflow.read_text() + "# my edit\n")
    (dest / "notes.md").write_text("mine")
    capsys.readouterr()
    assert demo.main([str(dest), "--gate", "actionlint"]) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "FORCE=1" in err, err
    assert ".github/workflows/build-and-push.yml, notes.md" in err, err
    assert workflow.read_text().endswith("# my edit\n") and (dest / "notes.md").exists()
