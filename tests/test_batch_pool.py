"""Worker processes, failures that must not spread, Ctrl-C, and what the user sees."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from batch_repos import OIDC, ROLE, STATIC
from oidcify.batch import display, pool, worker
from oidcify.batch.outcome import Outcome, Settings, Target
from oidcify.batch.summary import Summary


def plain_repo(root: Path, files: dict[str, str]) -> Path:
    (root / ".github" / "workflows").mkdir(parents=True)
    for name, text in files.items():
        (root / ".github" / "workflows" / name).write_text(text)
    return root


def test_an_unexpected_error_fails_only_its_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("oidcify.retrofit.engine.retrofit_repo", boom)
    target = Target(str(plain_repo(tmp_path / "app", {"deploy.yml": STATIC})), "app")
    outcome = worker.process(target, Settings("diff"))
    assert (outcome.status, outcome.reason) == (
        "failed",
        "unexpected error (please report it): RuntimeError: boom",
    )


def test_a_dead_worker_fails_its_chunk_only() -> None:
    chunk = [(0, Target("/a", "a")), (1, Target("/b", "b"))]
    dead: Future[list[tuple[int, Outcome]]] = Future()
    dead.set_exception(BrokenProcessPool("killed"))
    alive: Future[list[tuple[int, Outcome]]] = Future()
    alive.set_result([(2, Outcome("c", "/c", "unchanged"))])
    run = pool.PoolResult([None, None, None])
    pending = {dead: chunk, alive: [(2, Target("/c", "c"))]}
    heard = pool._collect({dead, alive}, pending, run)
    assert [o.status for o in run.outcomes if o] == ["failed", "failed", "unchanged"]
    assert sorted(o.label for o in heard) == ["a", "b", "c"] and pending == {}


@pytest.mark.parametrize(
    ("count", "jobs", "size"), [(1, 2, 1), (40, 2, 4), (300, 2, 4), (20, 2, 2)]
)
def test_chunks(count: int, jobs: int, size: int) -> None:
    targets = [Target(f"/{i}", str(i)) for i in range(count)]
    chunks = pool.chunks(targets, jobs)
    assert max(len(c) for c in chunks) == size
    assert [i for c in chunks for i, _ in c] == list(range(count))


def test_ctrl_c_finishes_running_repositories_and_says_what_finished(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    for i in range(600):
        files = {f"deploy{j}.yml": STATIC for j in range(3)} | {"oidc.yml": OIDC}
        plain_repo(fleet / f"repo{i:03}", files)
    report = tmp_path / "report.json"
    argv = [sys.executable, "-m", "oidcify", "batch", str(fleet), "--write", "--jobs", "2"]
    process = subprocess.Popen(
        [*argv, "--role-arn", ROLE, "--report", str(report)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    assert process.stderr is not None
    lines = [process.stderr.readline()]
    assert "[1/600]" in lines[0]
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group gets it
    _, rest = process.communicate(timeout=120)
    err = lines[0] + rest
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted: finishing" in err
    data = json.loads(report.read_text())
    assert data["interrupted"] is True and data["exit_code"] == 130
    statuses = {r["label"]: r["status"] for r in data["repositories"]}
    assert 0 < data["counts"]["changed"] < 600 and data["counts"]["not run"] > 0
    assert set(statuses.values()) == {"changed", "not run"}
    for label, state in statuses.items():  # every repository all written or untouched
        texts = [(fleet / label / f".github/workflows/deploy{j}.yml").read_text() for j in range(3)]
        assert all((t == STATIC) == (state == "not run") for t in texts), label


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def outcomes() -> list[Outcome]:
    return [
        Outcome("app", "/r/app", "changed", repository="octo/app", changed_files=["a.yml"],
                warnings=[{"code": "OW002"}, {"code": "OW002"}], left_alone=[{"code": "OS001"}]),
        Outcome("lib", "/r/lib", "failed", reason="a.yml: malformed YAML"),
        Outcome("docs", "/r/docs", "skipped", repository="Acme/docs",
                reason="no workflow files in .github/workflows"),
        Outcome("octo/app", "/r/octo/app", "unchanged", repository="octo/app"),
    ]  # fmt: skip


def test_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    view = display.View(4, "diff", stream)
    with view.running():
        for outcome in outcomes():
            view.done(outcome)
    view.summary(Summary(outcomes(), "diff"), {"OW002": "secret can go"})
    text = stream.getvalue()
    # a repository is named the same way whatever its status, while running and in the summary
    assert "oidcify batch: [1/4] to change     app (octo/app): 1 file(s)\n" in text
    assert "oidcify batch: [2/4] failed        lib: a.yml: malformed YAML\n" in text
    assert "oidcify batch: [3/4] skipped       docs (Acme/docs): no workflow files" in text
    assert "oidcify batch: [4/4] unchanged     octo/app\n" in text
    assert "oidcify batch: 1 to change, 1 unchanged, 1 skipped, 1 failed\n" in text
    assert "  skipped   docs (Acme/docs): no workflow files in .github/workflows\n" in text
    assert "  warnings: OW002 x2  secret can go\n" in text


def test_progress_bar_and_tables_on_a_terminal() -> None:
    stream = Terminal()
    view = display.View(4, "write", stream)
    with view.running():
        assert view._bar is not None
        for outcome in outcomes():
            view.done(outcome)
    view.summary(Summary(outcomes(), "write"), {"OS001": "already on OIDC"})
    text = stream.getvalue()
    assert "[1/4]" not in text  # the bar, not a line per repository
    assert "lib: a.yml: malformed YAML" in text  # failures are always shown
    for title in ("oidcify batch", "skipped and failed", "warnings by kind", "left alone by kind"):
        assert title in text
    assert "already on OIDC" in text
