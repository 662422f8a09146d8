"""One writer per output format; each reads the Report and nothing else.

report.json                  the machine-readable report (json_report)
report.html                  the interviewer's report (html)
summary.md                   for $GITHUB_STEP_SUMMARY or a PR comment (markdown)
junit.xml                    for CI test panes (junit)
mutation*.json               Stryker's mutation-testing-elements schema (stryker)
mutation.html                those reports in Stryker's standard viewer, offline (mutation_html)

``WRITERS`` is the one list of them: ``run``, ``merge`` (and so ``batch``, whose gradings
are runs) write through ``write_all``, so a new format is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from ..errors import BadInputError
from ..report import Report
from . import html, json_report, junit, markdown, mutation_html, stryker

_Read = TypeVar("_Read")

# A writer takes the Report and the output directory, and returns the files it wrote (none,
# one or several: Stryker's writes one per mutation score present).
Writer = Callable[[Report, Path], Sequence[Path]]


def _single(write: Callable[[_Read, Path], Path]) -> Callable[[_Read, Path], Sequence[Path]]:
    return lambda report, out_dir: [write(report, out_dir)]


# In writing order; report.json first, so that a later writer's failure leaves it written.
WRITERS: dict[str, Writer] = {
    "json": _single(json_report.write),
    "html": _single(html.write),
    "markdown": _single(markdown.write),
    "junit": _single(junit.write),
    "stryker": stryker.write_all,
    "mutation_html": mutation_html.write,
}


def write_all(report: Report, out_dir: Path, formats: Iterable[str] | None = None) -> list[Path]:
    """Write the reports of ``formats`` (default: every one) into ``out_dir``."""
    chosen = tuple(WRITERS) if formats is None else tuple(formats)
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        known = ", ".join(WRITERS)
        raise BadInputError(f"unknown report format {unknown[0]!r} (known: {known})")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in chosen:
        written += WRITERS[name](report, out_dir)
    return written
