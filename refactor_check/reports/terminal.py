"""What the terminal shows: progress while a run goes on, a summary at the end.

On a terminal, progress is drawn by rich (a live bar per stage). Anywhere else (CI logs,
pipes, files) it is plain lines with no control codes at all. Progress shares stdout with the
summary, so stderr carries nothing but a bad-input or failure line; with ``--format json``
stdout is report.json alone and progress moves to stderr.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click
from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column
from rich.text import Text

from ..progress import Progress as ProgressListener
from ..progress import Silent
from ..report import Report
from ..results.mutation import CHECK as MUTATION
from . import view

_MAX_FINDINGS_SHOWN = 10
_VERDICT_COLOURS = {"preserved": "green", "changed": "red", "error": "yellow"}


def render(report: Report, written: Sequence[Path]) -> list[str]:
    """Lines of the summary; styling is applied by ``echo`` only on a terminal."""
    exercise = report.exercise
    lines = [
        f"refactor-check · exercise {exercise.name} (package {exercise.package}) · "
        f"candidate {report.candidate.path}",
    ]
    width = max((len(c.check) for c in report.checks), default=0)
    for check in report.checks:
        status = check.status.value
        if check.check == MUTATION:  # the word junit.xml gives it
            status = view.mutation_outcome(report)[0]
        lines.append(f"  {check.check:<{width}}  {status:<7}  {check.summary}")
    findings = report.findings
    if findings:
        lines.append(f"findings ({len(findings)}):")
        for finding in findings[:_MAX_FINDINGS_SHOWN]:
            lines.append(f"  - [{finding.kind}] {finding.message}")
        if len(findings) > _MAX_FINDINGS_SHOWN:
            lines.append(f"  ... and {len(findings) - _MAX_FINDINGS_SHOWN} more in report.json")
    lines.append(f"isolation: {report.isolation.description}")
    lines.append("scorecard:")
    for h in view.headlines(report):
        lines.append(f"  {h.key:<12}  {h.value:<13}  {h.detail}")
    lines.append(f"  {view.total_line(report)}")
    gates = view.gate_line(report)
    if gates is not None:
        lines.append(gates)
    lines.append(view.history_line(report.history))
    recheck = view.recheck_line(report.recheck)
    if recheck is not None:
        lines.append(recheck)
    lines.append(f"verdict: {report.verdict.verdict.upper()}: {report.verdict.reason}")
    for path in written:
        lines.append(f"report: {path}")
    return lines


def echo(report: Report, written: Sequence[Path]) -> None:
    colour = _VERDICT_COLOURS.get(report.verdict.verdict)
    for line in render(report, written):
        if line.startswith("verdict:"):
            click.secho(line, fg=colour, bold=True)  # click drops the styling off a terminal
        else:
            click.echo(line)


def is_interactive(stream: TextIO) -> bool:
    """A real terminal that can redraw lines: not a pipe or file, not TERM=dumb."""
    return stream.isatty() and os.environ.get("TERM", "") != "dumb"


@contextmanager
def progress(quiet: bool, stream: TextIO) -> Iterator[ProgressListener]:
    """The progress display for this run: rich on a terminal, plain lines elsewhere."""
    if quiet:
        yield Silent()
    elif is_interactive(stream):
        # Fixed columns keep their width on a narrow terminal; the detail takes what is left
        # and is cut with an ellipsis.
        def fixed(width: int) -> Column:
            return Column(min_width=width, no_wrap=True)

        with Progress(
            _StatusColumn(table_column=fixed(1)),
            TextColumn("{task.description}", table_column=fixed(12)),
            BarColumn(bar_width=20, table_column=fixed(20)),
            TextColumn("{task.fields[counts]}", justify="right", table_column=fixed(9)),
            TextColumn("{task.fields[outcome]}", table_column=fixed(7)),
            TimeElapsedColumn(table_column=fixed(7)),
            TextColumn(
                "[dim]{task.fields[detail]}{task.fields[left]}",
                table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis"),
            ),
            console=Console(file=stream),
            transient=False,
            expand=True,
        ) as bars:
            yield RichProgress(bars)
    else:
        yield PlainProgress(stream)


# What a finished stage shows in place of its spinner: a green tick only for a stage that
# ran through and found nothing wrong.
_MARKS = {
    "passed": ("✓", "green"),
    "done": ("✓", "green"),
    "scored": ("✓", "green"),
    "failed": ("✗", "red"),
    "error": ("✗", "red"),
    "stopped": ("■", "yellow"),
    "skipped": ("-", "yellow"),
}


class _StatusColumn(ProgressColumn):
    def __init__(self, table_column: Column | None = None) -> None:
        super().__init__(table_column=table_column)
        self.spinner = SpinnerColumn()

    def render(self, task: Task) -> RenderableType:
        if not task.finished:
            return self.spinner.render(task)
        mark, colour = _MARKS.get(str(task.fields.get("outcome")), ("?", "yellow"))
        return Text(mark, style=colour)


def time_left(done: int, total: int | None, elapsed: float) -> str:
    """ "about 40 s left", from the pace so far; empty while there is no pace to go by."""
    if total is None or done <= 0 or done >= total or elapsed <= 0:
        return ""
    seconds = elapsed / done * (total - done)
    if seconds < 90:
        return f"about {max(1, round(seconds))} s left"
    return f"about {round(seconds / 60)} min left"


class _Pace:
    """When the current unit of work of a stage began: a new detail prefix is a new run
    (mutation testing runs mutmut up to three times, each with its own total)."""

    def __init__(self) -> None:
        self.started: dict[str, tuple[str, float]] = {}

    def elapsed(self, name: str, detail: str, done: int) -> float:
        what = detail.partition(":")[0]
        now = time.monotonic()
        known = self.started.get(name)
        if known is None or known[0] != what or done == 0:
            self.started[name] = (what, now)
            return 0.0
        return now - known[1]


class RichProgress:
    """A bar per stage: pulsing while it runs, counting where it knows a total, full with
    its outcome when it ends."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}
        self.pace = _Pace()

    def stage_started(self, name: str) -> None:
        self.tasks[name] = self.bars.add_task(
            name, total=None, outcome="running", counts="", detail="", left=""
        )

    def stage_advanced(self, name: str, done: int, total: int | None, detail: str) -> None:
        task = self.tasks.get(name)
        if task is None:
            return
        left = time_left(done, total, self.pace.elapsed(name, detail, done))
        left = f" ({left})" if left else ""
        counts = f"{done}/{total}" if total is not None else str(done)
        self.bars.update(task, total=total, completed=done, counts=counts, detail=detail, left=left)

    def stage_finished(self, name: str, seconds: float, outcome: str | None) -> None:
        task = self.tasks.get(name)
        if task is not None:
            self.bars.update(task, total=1, completed=1, outcome=outcome or "done", left="")

    def note(self, line: str) -> None:
        self.bars.console.print(line, markup=False, highlight=False)


# A plain log gets a progress line when a quarter of a stage's known total is crossed, or
# when this long has gone by since its last one: enough to see it move, not a flood.
_PLAIN_EVERY = 15.0


class PlainProgress:
    """One line when a stage starts and one when it ends, a few between: fit for CI logs."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pace = _Pace()
        # stage -> (what, quarter, when) of its last line
        self.last: dict[str, tuple[str, int, float]] = {}

    def stage_started(self, name: str) -> None:
        self._print(f"{name} ...")

    def stage_advanced(self, name: str, done: int, total: int | None, detail: str) -> None:
        elapsed = self.pace.elapsed(name, detail, done)
        if done == 0:
            return  # a run about to start: its first result says more
        what = detail.partition(":")[0]
        quarter = done * 4 // total if total else -1
        now = time.monotonic()
        last_what, last_quarter, last_time = self.last.get(name, (what, 0, now))
        if what == last_what and quarter <= last_quarter and now - last_time < _PLAIN_EVERY:
            return
        self.last[name] = (what, max(quarter, 0), now)
        counts = f"{done}/{total}" if total is not None else f"{done}"
        left = time_left(done, total, elapsed)
        self._print(f"{name}: {counts} {detail}" + (f" ({left})" if left else ""))

    def stage_finished(self, name: str, seconds: float, outcome: str | None) -> None:
        self.last.pop(name, None)
        self._print(f"{name} {outcome or 'done'} in {seconds:.1f}s")

    def note(self, line: str) -> None:
        self._print(line)

    def _print(self, line: str) -> None:
        print(f"refactor-check: {line}", file=self.stream, flush=True)
