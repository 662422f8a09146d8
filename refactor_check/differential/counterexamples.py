"""A program the search found that tells the two versions apart, as a person reads it.

The search hands over a shrunk program and the observations that differ
(``search.Found``); the report gets a ``results.differential.Counterexample``: the program
as runnable Python, the first difference in words, both behaviours, and where in each
version's code the differing call most likely went apart.
"""

from __future__ import annotations

from typing import Any

from ..results.differential import Counterexample
from . import compare, rendering, values
from .callpath import CallPath
from .compare import Mismatch, StepObservation
from .search import Found

_SHOWN_DIFFERENCES = 10


def counterexample(found: Found, path: CallPath | None = None) -> Counterexample:
    mismatch = found.outcome.mismatch
    assert mismatch is not None
    differences = tuple(
        (
            d.where,
            values.render(d.original, limit=500) if d.original is not None else "(absent)",
            values.render(d.candidate, limit=500) if d.candidate is not None else "(absent)",
        )
        for d in mismatch.differences[:_SHOWN_DIFFERENCES]
    )
    traced: dict[str, Any] = (
        {
            "path_original": path.original,
            "path_candidate": path.candidate,
            "likely": path.likely,
            "likely_why": path.why,
        }
        if path is not None
        else {}  # the defaults: not traced
    )
    return Counterexample(
        target=found.target,
        call=rendering.render(found.program, _shown(mismatch)),
        headline=headline(mismatch.differences[0], mismatch.original, mismatch.candidate),
        differences=differences,
        original=_observation(mismatch.original),
        candidate=_observation(mismatch.candidate),
        origin=found.origin,
        steps_before_shrinking=found.steps_before_shrinking,
        **traced,
    )


def _shown(mismatch: Mismatch) -> tuple[int, int | None, str] | None:
    """Where the first difference lives, when it is an argument's or the receiver's state
    after the call: the counterexample then ends by showing it."""
    field = mismatch.differences[0].path[0]
    if field == compare.RECEIVER:
        return (mismatch.step, None, "")
    arguments = [name for name, _ in mismatch.original.fields if name.startswith("argument ")]
    if field not in arguments:
        return None
    return (mismatch.step, arguments.index(field), field.split("'")[1])


def headline(
    first: values.Difference, original: StepObservation, candidate: StepObservation
) -> str:
    if first.path == ("outcome",):
        was = compare.summary(original, 160)
        return f"{compare.summary(candidate, 160)}, where the original {was}"
    if first.path == (compare.IDENTITY,) and first.original and first.candidate:
        return f"returns {first.candidate[1]}, where the original returns {first.original[1]}"
    line = _first_different_line(first)
    if line is not None:
        number, theirs, ours = line
        return f"{first.where}, line {number}, is {ours!r} where the original has {theirs!r}"
    shown = [
        values.render(v, limit=120) if v is not None else "(absent)"
        for v in (first.original, first.candidate)
    ]
    return f"{first.where} is {shown[1]} where the original has {shown[0]}"


def _first_different_line(difference: values.Difference) -> tuple[int, str, str] | None:
    """For two texts of several lines: the first line that differs (1-based) on each side."""
    a, b = difference.original, difference.candidate
    if not (a and b and a[0] == b[0] == "str" and ("\n" in a[1] or "\n" in b[1])):
        return None
    left, right = a[1].split("\n"), b[1].split("\n")
    for number, (x, y) in enumerate(zip(left, right, strict=False), start=1):
        if x != y:
            return number, x, y
    number = min(len(left), len(right)) + 1

    def line(lines: list[str]) -> str:
        return lines[number - 1] if number <= len(lines) else "(no such line)"

    return number, line(left), line(right)


def _observation(observation: StepObservation) -> dict[str, Any]:
    return {
        "summary": compare.summary(observation, 500),
        "lines": compare.describe(observation, 1000),
    }
