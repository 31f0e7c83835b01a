"""Running a batch's repositories in worker processes, and stopping cleanly on Ctrl-C.

Repositories go to the workers in small chunks (a few per task, so sending them and their
outcomes back costs little next to the work, while the last chunks still spread over all
workers). Workers start from a fork server, load the retrofit once each, and ignore Ctrl-C:
the first Ctrl-C cancels what has not started and lets the running chunks finish, so no
repository is left half-written; a second one terminates the workers at once.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import signal
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from typing import Any

from oidcify.batch import worker
from oidcify.batch.outcome import FAILED, Outcome, Settings, Target

MAX_CHUNK = 4
POLL_SECONDS = 0.2
Chunk = list[tuple[int, Target]]


@dataclass
class PoolResult:
    """What the workers brought back, by target index, and how the run ended."""

    outcomes: list[Outcome | None]
    interrupted: bool = False
    killed: bool = False
    stopped: list[int] = field(default_factory=list)  # running when the workers were killed


def chunks(targets: list[Target], jobs: int) -> list[Chunk]:
    """At least four chunks per worker while there are enough repositories, at most four
    repositories per chunk."""
    size = max(1, min(MAX_CHUNK, len(targets) // (jobs * 4)))
    indexed = list(enumerate(targets))
    return [indexed[i : i + size] for i in range(0, len(indexed), size)]


def context() -> BaseContext:
    """A fork server started with Ctrl-C ignored: its children inherit that, so a worker is
    never interrupted while it holds the task queue's lock (the pool would hang), not even in
    the moment before its initializer runs. Nothing is preloaded into the server: preloading
    would import the caller's ``__main__`` script there, and each worker's initializer loads
    the retrofit in parallel anyway."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    forkserver = multiprocessing.get_context("forkserver")
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
    return forkserver


def _failed(chunk: Chunk, reason: str) -> list[tuple[int, Outcome]]:
    return [(i, Outcome(t.label, t.path, FAILED, reason=reason)) for i, t in chunk]


Pending = dict[Future[list[tuple[int, Outcome]]], Chunk]


def _collect(
    done: set[Future[list[tuple[int, Outcome]]]], pending: Pending, run: PoolResult
) -> list[Outcome]:
    """Record the finished chunks' outcomes; the outcomes, for the caller to announce."""
    heard = []
    for future in done:
        chunk = pending.pop(future)
        if future.cancelled():
            continue
        try:
            results = future.result()
        except BrokenProcessPool:
            results = _failed(chunk, "the worker process running it ended unexpectedly")
        except Exception as err:  # e.g. an outcome that could not be sent back
            results = _failed(chunk, f"the worker could not report: {err}")
        for index, outcome in results:
            run.outcomes[index] = outcome
            heard.append(outcome)
    return heard


def _terminate(executor: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop running work; its processes are the workers.
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()


class Interrupts:
    """Counts Ctrl-C instead of raising KeyboardInterrupt: an exception raised at a random
    point inside the executor's machinery can leave one of its locks held, and the pool hangs."""

    def __init__(self) -> None:
        self.count = 0
        self.previous: Any = None

    def __call__(self, signum: int, frame: object) -> None:
        self.count += 1

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def _react(
    interrupts: Interrupts, pending: Pending, result: PoolResult, executor: ProcessPoolExecutor
) -> str | None:
    """Act on Ctrl-C: the first cancels what has not started, the second stops the workers."""
    if interrupts.count >= 1 and not result.interrupted:
        result.interrupted = True
        for future in pending:
            future.cancel()
        running = sum(len(c) for f, c in pending.items() if not f.cancelled())
        return (
            f"interrupted: finishing {running} repositories in progress, the rest will not "
            "run (press Ctrl-C again to stop at once)"
        )
    if interrupts.count >= 2 and not result.killed:
        result.killed = True
        result.stopped = [i for f, c in pending.items() if not f.cancelled() for i, _ in c]
        _terminate(executor)
        pending.clear()
        return "stopped: the workers were terminated"
    return None


def run(
    targets: list[Target],
    settings: Settings,
    jobs: int,
    on_outcome: Callable[[Outcome], None],
    notice: Callable[[str], None],
) -> PoolResult:
    """Process every target; ``on_outcome`` hears of each finished repository as it finishes."""
    result = PoolResult([None] * len(targets))
    pending: Pending = {}
    with Interrupts() as interrupts:
        executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context(),
            initializer=worker.initialize,
            initargs=(settings,),
        )
        try:
            for chunk in chunks(targets, jobs):
                pending[executor.submit(worker.run_chunk, chunk)] = chunk
            while pending:
                if message := _react(interrupts, pending, result, executor):
                    notice(message)
                done, _ = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                for outcome in _collect(done, pending, result):
                    on_outcome(outcome)
        finally:
            executor.shutdown(wait=not result.killed, cancel_futures=True)
    return result
