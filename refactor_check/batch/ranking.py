"""The order of the cohort table, and the note that says what it rests on.

Rows are grouped by verdict: preserved, then changed, then error. Within a group, rows are
compared only on figures measured for every row of the group: a figure that some row lacks
is left out of that group's ranking for all of its rows, and the note names who lacks it. A
blank is never ranked below a number (a run without mutation testing is no weaker than a
weak score), nor above one.

Where the preferred figure is left out, the ranking falls back to the parts of it every row
has: the scorecard total to the weighted levels of the dimensions every row has, golden
failures plus differential mismatches to golden failures alone.

Figures, in order:

- preserved: the scorecard (it is scored only when behaviour is preserved), the mutation
  score of their own tests (high first), the complexity delta (most reduced first);
- changed: golden failures plus differential mismatches (fewest first), the mutation score,
  the complexity delta;
- error: none (nothing was graded to compare);

and the name last, so the order never depends on the order the gradings finished in.

Two blanks are results rather than gaps, and are ranked as such: a golden suite that could not
run on a changed submission (its code does not parse or import) counts as more failures than
any suite that ran, and when mutation testing ran on a candidate with no tests of their own,
their tests detect no mutant (a score of 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .rows import Row

PRESERVED, CHANGED, ERROR = "preserved", "changed", "error"
VERDICTS = (PRESERVED, CHANGED, ERROR)
# Names listed in the one-line note; the JSON lists every one.
_NAMES_IN_NOTE = 6

TOTAL = "scorecard total"
FAILURES = "golden failures + differential mismatches"
GOLDEN_FAILURES = "golden failures"
MISMATCHES = "differential mismatches"
MUTATION = "mutation score"
COMPLEXITY = "complexity delta"


@dataclass(frozen=True)
class Figure:
    label: str
    value: Callable[[Row], float | None]  # None: not measured for this row
    higher_first: bool


@dataclass(frozen=True)
class LeftOut:
    """A figure left out of a group's ranking, and the rows that lack it."""

    label: str
    candidates: tuple[str, ...]
    everyone: bool  # no row of the group has it


@dataclass(frozen=True)
class Basis:
    """What one verdict group is ranked by."""

    verdict: str
    figures: tuple[Figure, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(f.label for f in self.figures)


@dataclass(frozen=True)
class Ranking:
    rows: tuple[Row, ...]  # in committee order
    bases: tuple[Basis, ...]  # one per verdict present, in table order

    @property
    def note(self) -> str:
        return note(self.bases)

    def group_note(self, verdict: str) -> str:
        """The note for one verdict's rows (what cohort.csv puts on each of them)."""
        return note(tuple(b for b in self.bases if b.verdict == _group(verdict)))

    def to_json(self) -> dict[str, Any]:
        return {
            "note": self.note,
            "groups": [
                {
                    "verdict": b.verdict,
                    "ranked_by": list(b.labels),
                    "not_measured": [
                        {"figure": o.label, "candidates": list(o.candidates)} for o in b.left_out
                    ],
                }
                for b in self.bases
            ],
        }


def rank(rows: Iterable[Row]) -> Ranking:
    """The rows in committee order, with what each verdict's rows were ranked by."""
    groups: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: r.candidate):  # the note lists names in this order
        groups.setdefault(_group(row.verdict), []).append(row)
    bases = tuple(basis(v, groups[v]) for v in VERDICTS if v in groups)
    by_verdict = {b.verdict: b for b in bases}
    ordered = sorted(
        (row for v in VERDICTS for row in groups.get(v, [])),
        key=lambda row: sort_key(row, by_verdict[_group(row.verdict)]),
    )
    return Ranking(tuple(ordered), bases)


def sort_key(row: Row, group: Basis) -> tuple[Any, ...]:
    """The row's place in the table, on the figures its verdict group is ranked by.

    Every figure of ``group`` is measured for ``row`` (``basis`` chose them so): no blank is
    ever compared with a number here.
    """
    figures = []
    for figure in group.figures:
        value = figure.value(row)
        if value is None:
            raise ValueError(f"{figure.label} is not measured for {row.candidate}")
        figures.append(-value if figure.higher_first else value)
    return (VERDICTS.index(group.verdict), *figures, row.candidate)


def basis(verdict: str, rows: Sequence[Row]) -> Basis:
    """The figures measured for every row of one verdict group, and those left out."""
    if verdict == ERROR:
        return Basis(verdict, (), ())
    used: list[Figure] = []
    left_out: list[LeftOut] = []
    if verdict == PRESERVED:
        total = Figure(TOTAL, lambda r: r.scorecard_total, True)
        lacking = _lacking(total, rows)
        if lacking:
            left_out.append(_left_out(TOTAL, lacking, rows))
            used += _shared_levels(rows)
            left_out += _levels_left_out(rows)
        else:
            used.append(total)
    else:
        failures = Figure(FAILURES, _failures, False)
        if _lacking(failures, rows):
            # Golden failures are counted for every row of the group (a suite that never ran
            # counts as the most): the rows lack differential testing's part of the figure.
            used.append(Figure(GOLDEN_FAILURES, _golden, False))
            lacking = _lacking(failures, rows)
            left_out.append(_left_out(MISMATCHES, lacking, rows))
        else:
            used.append(failures)
    for figure in (Figure(MUTATION, _mutation, True), Figure(COMPLEXITY, _complexity, False)):
        lacking = _lacking(figure, rows)
        if lacking:
            left_out.append(_left_out(figure.label, lacking, rows))
        else:
            used.append(figure)
    return Basis(verdict, tuple(used), tuple(left_out))


def note(bases: Sequence[Basis]) -> str:
    """'ranked by verdict, then: preserved by ...; changed by ...; Y not measured for ...'."""
    if not bases:
        return "no candidates"
    groups = [f"{b.verdict} by {', '.join(b.labels) or 'name'}" for b in bases]
    head = "ranked by verdict, then " + "; ".join(groups)
    # One clause per set of rows: "scorecard total and verification level not measured for
    # a, b"; a figure no row of any group using it has is "not measured" alone.
    lacking: dict[str, set[str]] = {}
    everyone: dict[str, bool] = {}
    for b in bases:
        for o in b.left_out:
            lacking.setdefault(o.label, set()).update(o.candidates)
            everyone[o.label] = everyone.get(o.label, True) and o.everyone
    clauses: dict[tuple[str, ...], list[str]] = {}
    for label, candidates in lacking.items():
        key = () if everyone[label] else tuple(sorted(candidates))
        clauses.setdefault(key, []).append(label)
    parts = [head]
    for names, labels in clauses.items():
        what = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        parts.append(f"{what} not measured" + (f" for {_names(names)}" if names else ""))
    return "; ".join(parts)


def _names(names: Sequence[str]) -> str:
    if len(names) <= _NAMES_IN_NOTE:
        return ", ".join(names)
    shown = ", ".join(names[:_NAMES_IN_NOTE])
    return f"{shown} and {len(names) - _NAMES_IN_NOTE} more"


def _group(verdict: str) -> str:
    return verdict if verdict in VERDICTS else ERROR


def _lacking(figure: Figure, rows: Sequence[Row]) -> tuple[str, ...]:
    return tuple(r.candidate for r in rows if figure.value(r) is None)


def _left_out(label: str, lacking: tuple[str, ...], rows: Sequence[Row]) -> LeftOut:
    return LeftOut(label, lacking, len(lacking) == len(rows))


# Figures ---------------------------------------------------------------------------------


def _shared_levels(rows: Sequence[Row]) -> list[Figure]:
    """The weighted mean of the levels every row has: the parts of the total they share."""
    shared = [d for d in _weighted_dimensions(rows) if all(_level(r, d) is not None for r in rows)]
    if not shared:
        return []
    weights = _weights(rows)
    label = f"{shared[0]} level" if len(shared) == 1 else f"weighted {' and '.join(shared)} levels"

    def value(row: Row) -> float | None:
        levels = [_level(row, d) for d in shared]
        if any(level is None for level in levels):
            return None
        total = sum(weights[d] * (level or 0) for d, level in zip(shared, levels, strict=True))
        return total / sum(weights[d] for d in shared)

    return [Figure(label, value, True)]


def _levels_left_out(rows: Sequence[Row]) -> list[LeftOut]:
    """The scorecard dimensions that some row lacks: not part of the shared levels."""
    left_out = []
    for dimension in _weighted_dimensions(rows):
        lacking = tuple(r.candidate for r in rows if _level(r, dimension) is None)
        if lacking:
            left_out.append(_left_out(f"{dimension} level", lacking, rows))
    return left_out


def _weighted_dimensions(rows: Sequence[Row]) -> list[str]:
    """The dimensions the total counts (weight above 0), in the scorecard's order."""
    weights = _weights(rows)
    names: list[str] = []
    for row in rows:
        names += [name for name, _ in row.levels if name not in names]
    return [name for name in names if weights.get(name, 1.0) > 0]


def _weights(rows: Sequence[Row]) -> dict[str, float]:
    # One exercise, one set of weights; a row from before rows kept them weighs each alike.
    weights: dict[str, float] = {}
    for row in rows:
        for name, weight in row.weights:
            weights.setdefault(name, weight)
    for row in rows:
        for name, _ in row.levels:
            weights.setdefault(name, 1.0)
    return weights


def _level(row: Row, dimension: str) -> int | None:
    return dict(row.levels).get(dimension)


def _golden(row: Row) -> float | None:
    if row.golden_total is not None and row.golden_passed is not None:
        return float(row.golden_total - row.golden_passed)
    # A changed submission whose suite never ran did not parse or import: worse than any
    # count of failures, and a result about the code, not a figure nobody measured.
    return math.inf if row.verdict == CHANGED else None


def _failures(row: Row) -> float | None:
    golden = _golden(row)
    if golden == math.inf:
        return golden
    if golden is None or row.differential_mismatches is None:
        return None
    return golden + row.differential_mismatches


def _mutation(row: Row) -> float | None:
    if row.mutation_score is not None:
        return row.mutation_score
    # The stage ran and scored nothing: they wrote no tests, which detect no mutant.
    return 0.0 if row.mutation_checked else None


def _complexity(row: Row) -> float | None:
    return None if row.complexity_delta is None else float(row.complexity_delta)
