"""The behaviour verdict as soon as it is known: report.json written partial, and a line.

Mutation testing takes most of a run's time, and behaviour does not wait on it: once golden
and differential testing are done, the interviewer sees the verdict and a pipeline can read
it from report.json (marked ``partial``, listing what is still ``pending``). The complete
report replaces it when the run ends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..progress import Progress
from ..report import Report
from . import json_report


def announcer(out_dir: Path, progress: Progress, fail_fast: bool) -> Callable[[Report], None]:
    """The pipeline's behaviour listener for a run that writes its reports to ``out_dir``."""

    def announce(partial: Report) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        json_report.write(partial, out_dir)
        progress.note(line(partial, fail_fast))

    return announce


def line(partial: Report, fail_fast: bool) -> str:
    decided = partial.verdict
    then = ", ".join(partial.pending) + " still running"
    if fail_fast and decided.verdict == "changed":
        then = "--fail-fast: stopping " + ", ".join(partial.pending)
    return f"behaviour: {decided.verdict.upper()}: {decided.reason} ({then})"
