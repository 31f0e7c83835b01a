"""Running a batch's repositories in worker processes, and stopping cleanly on Ctrl-C.

Repositories go to the workers in small chunks (a few per task, so sending them and their
outcomes back costs little next to the work, while the last chunks still spread over all
workers). Workers start from a fork server that has the retrofit imported already, and ignore
Ctrl-C: the first Ctrl-C cancels what has not started and lets the running chunks finish, so
no repository is left half-written; a second one terminates the workers at once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext

from oidcify.batch import worker
from oidcify.batch.outcome import FAILED, Outcome, Settings, Target

MAX_CHUNK = 4
Chunk = list[tuple[int, Target]]


@dataclass
class Run:
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
    if "forkserver" in multiprocessing.get_all_start_methods():
        forkserver = multiprocessing.get_context("forkserver")
        forkserver.set_forkserver_preload(["oidcify.retrofit.engine"])
        return forkserver
    return multiprocessing.get_context("spawn")


def _failed(chunk: Chunk, reason: str) -> list[tuple[int, Outcome]]:
    return [(i, Outcome(t.label, t.path, FAILED, reason=reason)) for i, t in chunk]


def _collect(
    pending: dict[Future[list[tuple[int, Outcome]]], Chunk],
    run: Run,
    on_outcome: Callable[[Outcome], None],
) -> None:
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
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
            for _, outcome in results:
                on_outcome(outcome)


def _terminate(executor: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop running work; its processes are the workers.
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()


def run(
    targets: list[Target],
    settings: Settings,
    jobs: int,
    on_outcome: Callable[[Outcome], None],
    notice: Callable[[str], None],
) -> Run:
    """Process every target; ``on_outcome`` hears of each finished repository as it finishes."""
    result = Run([None] * len(targets))
    pending: dict[Future[list[tuple[int, Outcome]]], Chunk] = {}
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context(),
        initializer=worker.initialize,
        initargs=(settings,),
    )
    try:
        for chunk in chunks(targets, jobs):
            pending[executor.submit(worker.run_chunk, chunk)] = chunk
        _collect(pending, result, on_outcome)
    except KeyboardInterrupt:
        result.interrupted = True
        for future in pending:
            future.cancel()
        running = {f: c for f, c in pending.items() if not f.cancelled()}
        notice(
            f"interrupted: finishing {sum(len(c) for c in running.values())} repositories in "
            "progress, the rest will not run (press Ctrl-C again to stop at once)"
        )
        try:
            _collect(running, result, on_outcome)
        except KeyboardInterrupt:
            result.killed = True
            result.stopped = [i for chunk in running.values() for i, _ in chunk]
            _terminate(executor)
    finally:
        executor.shutdown(wait=not result.killed, cancel_futures=True)
    return result
