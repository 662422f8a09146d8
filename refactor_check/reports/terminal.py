"""What the terminal shows: progress while a run goes on, a summary at the end.

On a terminal, progress is drawn by rich (a live bar per stage). Anywhere else (CI logs,
pipes, files) it is plain lines with no control codes at all. Progress shares stdout with the
summary, so stderr carries nothing but a bad-input or failure line; with ``--format json``
stdout is report.json alone and progress moves to stderr.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from ..progress import Progress as ProgressListener
from ..progress import Silent
from . import view

_MAX_FINDINGS_SHOWN = 10
_VERDICT_COLOURS = {"preserved": "green", "changed": "red", "error": "yellow"}


def render(data: dict[str, Any], written: Sequence[Path]) -> list[str]:
    """Lines of the summary; styling is applied by ``echo`` only on a terminal."""
    ex = view.section(data, "exercise")
    lines = [
        f"refactor-check · exercise {ex.get('name')} (package {ex.get('package')}) · "
        f"candidate {view.section(data, 'candidate').get('path')}",
    ]
    checks = data.get("checks", [])
    width = max((len(str(c.get("check"))) for c in checks), default=0)
    for check in checks:
        lines.append(
            f"  {check.get('check'):<{width}}  {check.get('status'):<7}  {check.get('summary')}"
        )
    findings = data.get("findings", [])
    if findings:
        lines.append(f"findings ({len(findings)}):")
        for finding in findings[:_MAX_FINDINGS_SHOWN]:
            lines.append(f"  - [{finding.get('kind')}] {finding.get('message')}")
        if len(findings) > _MAX_FINDINGS_SHOWN:
            lines.append(f"  ... and {len(findings) - _MAX_FINDINGS_SHOWN} more in report.json")
    lines.append(f"isolation: {view.section(data, 'isolation').get('description')}")
    lines.append("scorecard:")
    for h in view.headlines(data):
        lines.append(f"  {h.key:<12}  {h.value:<13}  {h.detail}")
    lines.append(f"  {view.total_line(data)}")
    lines.append(f"verdict: {str(data.get('verdict')).upper()}: {data.get('reason')}")
    for path in written:
        lines.append(f"report: {path}")
    return lines


def echo(data: dict[str, Any], written: Sequence[Path]) -> None:
    colour = _VERDICT_COLOURS.get(str(data.get("verdict")))
    for line in render(data, written):
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
        with Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description:<12}"),
            BarColumn(bar_width=30),
            TextColumn("{task.fields[outcome]:<8}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        ) as bars:
            yield RichProgress(bars)
    else:
        yield PlainProgress(stream)


class RichProgress:
    """A bar per stage: pulsing while it runs, full with its outcome when it ends."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}

    def stage_started(self, name: str) -> None:
        self.tasks[name] = self.bars.add_task(name, total=None, outcome="running")

    def stage_finished(self, name: str, seconds: float, outcome: str | None) -> None:
        task = self.tasks.get(name)
        if task is not None:
            self.bars.update(task, total=1, completed=1, outcome=outcome or "done")


class PlainProgress:
    """One line when a stage starts and one when it ends: fit for CI logs."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def stage_started(self, name: str) -> None:
        print(f"refactor-check: {name} ...", file=self.stream, flush=True)

    def stage_finished(self, name: str, seconds: float, outcome: str | None) -> None:
        done = f" {outcome}" if outcome else " done"
        print(f"refactor-check: {name}{done} in {seconds:.1f}s", file=self.stream, flush=True)
