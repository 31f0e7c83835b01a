"""What ``oidcify batch`` shows while it runs and when it is done, on standard error: a rich
progress bar on a terminal (plain lines otherwise), then a summary of repositories per status,
what was skipped or failed and why, and findings counted by kind. rich is imported only for a
terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from oidcify.batch.outcome import CHANGED, FAILED, NOT_RUN, SKIPPED, UNCHANGED, Outcome
from oidcify.batch.summary import Summary

# What "changed" means in each mode: nothing is written in a dry run or a check.
CHANGED_WORDS = {"write": "changed", "diff": "to change", "check": "needs changes"}
PREFIX = "oidcify batch: "


def status_word(status: str, mode: str) -> str:
    return CHANGED_WORDS[mode] if status == CHANGED else status


def shown_name(outcome: Outcome) -> str:
    """How every line names a repository, whatever its status: its label (unique in the batch,
    as in ``--report`` and ``--diff-dir``), and the GitHub repository when known."""
    if outcome.repository and outcome.repository != outcome.label:
        return f"{outcome.label} ({outcome.repository})"
    return outcome.label


def _detail(outcome: Outcome) -> str:
    name = shown_name(outcome)
    if outcome.status == CHANGED:
        files = len(outcome.changed_files)
        extra = f" on branch {outcome.branch} ({outcome.commit[:12]})" if outcome.commit else ""
        return f"{name}: {files} file(s){extra}"
    if outcome.reason:
        return f"{name}: {outcome.reason}"
    return name


class View:
    def __init__(self, total: int, mode: str, stream: TextIO, quiet: bool = False) -> None:
        self.total, self.mode, self.stream, self.quiet = total, mode, stream, quiet
        self.finished = 0
        self.tty = stream.isatty()
        self._bar: Any = None
        self._task: Any = None

    @contextmanager
    def running(self) -> Iterator[View]:
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self._bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._task = self._bar.add_task("retrofitting", total=self.total)
            self._bar.start()
        try:
            yield self
        finally:
            if self._bar is not None:
                self._bar.stop()

    def line(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream, flush=True)

    def notice(self, text: str) -> None:
        self.line(PREFIX + text)

    def done(self, outcome: Outcome) -> None:
        self.finished += 1
        if self._bar is not None:
            self._bar.advance(self._task)
        if outcome.status == FAILED or not (self.quiet or self.tty):
            word = status_word(outcome.status, self.mode)
            self.line(f"{PREFIX}[{self.finished}/{self.total}] {word:<13} {_detail(outcome)}")

    def summary(self, summary: Summary, explain: dict[str, str]) -> None:
        if self.tty:
            self._rich_summary(summary, explain)
            return
        write = self.line
        counts = summary.counts()
        write(
            PREFIX
            + ", ".join(
                f"{n} {status_word(s, self.mode)}" for s, n in counts.items() if n or s != NOT_RUN
            )
        )
        for outcome in summary.not_done():
            write(f"  {outcome.status:<9} {shown_name(outcome)}: {outcome.reason}")
        for kind, title in (("warnings", "warnings"), ("left_alone", "left alone")):
            for code, n in sorted(summary.by_kind(kind).items()):
                write(f"  {title}: {code} x{n}  {explain.get(code, '')}".rstrip())

    def _rich_summary(self, summary: Summary, explain: dict[str, str]) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console(file=self.stream)
        counts = Table(title="oidcify batch", show_header=True)
        counts.add_column("status")
        counts.add_column("repositories", justify="right")
        for status in (CHANGED, UNCHANGED, SKIPPED, FAILED, NOT_RUN):
            if summary.count(status) or status != NOT_RUN:
                counts.add_row(status_word(status, self.mode), str(summary.count(status)))
        console.print(counts)
        if rows := summary.not_done():
            table = Table("status", "repository", "reason", title="skipped and failed")
            for outcome in rows:
                table.add_row(outcome.status, shown_name(outcome), outcome.reason)
            console.print(table)
        for kind, title in (("warnings", "warnings by kind"), ("left_alone", "left alone by kind")):
            if found := summary.by_kind(kind):
                table = Table("id", "count", "meaning", title=title)
                for code, n in sorted(found.items()):
                    table.add_row(code, str(n), explain.get(code, ""))
                console.print(table)
