"""What the terminal shows at the end of ``batch`` and of a joined ``merge``: the cohort itself.

A compact table in committee order (rank, candidate, verdict, the scorecard's levels and
total, the reason cut to the width), the ranking note, the submissions refactor-check could
not grade and why, the ``--fail-under-level`` gates and who is below them, and the files
written. Names and reasons are the candidates' text: control characters are shown escaped,
never sent to the terminal, and each row stays on one line.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..level_gate import Failure, Gate
from .ranking import VERDICTS, rank
from .rows import BAD_INPUT, FAILED, Row

_DEFAULT_WIDTH = 120  # a CI log, or a pipe: no terminal to measure
_MIN_REASON = 30
_MAX_NAME = 32
_BLANK = "-"
_ERRORED = (
    (FAILED, "refactor-check failed on"),
    (BAD_INPUT, "bad input stopped the grading of"),
)


def render(
    rows: Sequence[Row],
    written: Sequence[Path] = (),
    gates: Sequence[Gate] = (),
    below: Mapping[str, Sequence[Failure]] | None = None,
    width: int | None = None,
) -> list[str]:
    ranked = rank(rows)
    counts = {v: sum(r.verdict == v for r in ranked.rows) for v in VERDICTS}
    lines = ["cohort: " + ", ".join(f"{n} {verdict}" for verdict, n in counts.items())]
    lines += table(ranked.rows, width)
    lines.append(f"order: {plain(ranked.note)}")
    for status, words in _ERRORED:
        errored = [r for r in ranked.rows if r.status == status]
        if errored:
            lines.append(f"{words} {len(errored)} submission(s):")
            lines += [f"  {plain(r.candidate)}: {plain(r.reason)}" for r in errored]
    below = below or {}
    lines += gate_lines(
        gates, {r.candidate: below[r.candidate] for r in ranked.rows if r.candidate in below}
    )
    lines += [f"wrote: {path}" for path in written]
    return lines


def table(rows: Sequence[Row], width: int | None = None) -> list[str]:
    """The rows as aligned columns; the reason takes what the width leaves."""
    if not rows:
        return []
    dimensions: list[str] = []
    for row in rows:
        dimensions += [name for name, _ in row.levels if name not in dimensions]
    scored = bool(dimensions) or any(r.scorecard_total is not None for r in rows)
    header = ["#", "candidate", "verdict", *dimensions, *(["total"] if scored else [])]
    body = []
    for position, row in enumerate(rows, start=1):
        levels = dict(row.levels)
        cells = [str(position), _clip(plain(row.candidate), _MAX_NAME), row.verdict]
        cells += [_figure(levels.get(d)) for d in dimensions]
        if scored:
            cells.append(_figure(row.scorecard_total))
        body.append((cells, plain(row.reason)))
    every = [header, *(cells for cells, _ in body)]
    widths = [max(len(cells[i]) for cells in every) for i in range(len(header))]
    used = sum(widths) + 2 * len(widths)
    total = width or shutil.get_terminal_size((_DEFAULT_WIDTH, 24)).columns
    room = max(_MIN_REASON, total - used - 2)

    def line(cells: list[str], reason: str) -> str:
        padded = [cells[0].rjust(widths[0])]  # the rank, right-aligned
        padded += [cell.ljust(w) for cell, w in zip(cells[1:], widths[1:], strict=True)]
        return ("  " + "  ".join(padded) + "  " + _clip(reason, room)).rstrip()

    return [line(header, "reason"), *(line(cells, reason) for cells, reason in body)]


def gate_lines(gates: Sequence[Gate], below: Mapping[str, Sequence[Failure]]) -> list[str]:
    """The gates, and each submission below any (in ``below``'s order) with its levels."""
    if not gates:
        return []
    named = " ".join(f"--fail-under-level {g}" for g in gates)
    if not below:
        return [f"gates: {named}: every graded submission reaches them"]
    lines = [f"gates: {named}: {len(below)} submission(s) below:"]
    for candidate, failures in below.items():
        lines.append(f"  {plain(candidate)}: {'; '.join(str(f) for f in failures)}")
    return lines


def plain(text: str) -> str:
    """One line, every control character escaped: candidates' text may hold any of them."""
    flat = " ".join(text.split())
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in flat)


def _figure(value: float | None) -> str:
    return _BLANK if value is None else f"{value:g}"


def _clip(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(0, room - 1)] + "…"
