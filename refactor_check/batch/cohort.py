"""The cohort table's columns and cells, shared by cohort.csv and cohort.html.

``candidate`` and ``verdict`` come first; then the golden pass count, differential
mismatches (blank when that stage did not run), the mutation score of the candidate's own
tests, the complexity delta, one level per scorecard dimension and the weighted total (only
when the reports have a scorecard), the git history in a few words, the grading time, and
why (the verdict's reason, or why there is no verdict).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .rows import Row

Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    name: str
    cell: Callable[[Row], Cell]


_LEADING = (
    Column("candidate", lambda r: r.candidate),
    Column("verdict", lambda r: r.verdict),
    Column("golden_passed", lambda r: r.golden_passed),
    Column("golden_total", lambda r: r.golden_total),
    Column("differential_mismatches", lambda r: r.differential_mismatches),
    Column("mutation_score", lambda r: r.mutation_score),
    Column("complexity_delta", lambda r: r.complexity_delta),
)
_TRAILING = (
    Column("history", lambda r: r.history),
    Column("seconds", lambda r: r.seconds),
    Column("reason", lambda r: r.reason),
)


def columns(rows: Sequence[Row]) -> list[Column]:
    """The table's columns: the scorecard's only when some report has one."""
    dimensions: list[str] = []
    for row in rows:
        dimensions += [name for name, _ in row.levels if name not in dimensions]
    scorecard = [Column(f"{name}_level", _level(name)) for name in dimensions]
    if dimensions or any(r.scorecard_total is not None for r in rows):
        scorecard.append(Column("scorecard_total", lambda r: r.scorecard_total))
    return [*_LEADING, *scorecard, *_TRAILING]


def _level(name: str) -> Callable[[Row], Cell]:
    return lambda row: dict(row.levels).get(name)
