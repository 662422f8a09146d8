"""What the differential stage hands to the verdict and the report.

A counterexample becomes a ``differential_mismatch`` finding whose ``call`` is runnable Python
and whose evidence shows the original's and the candidate's behaviour side by side; a
confirmed API break becomes ``api_changed``. Warnings (inputs outside the domain,
nondeterminism of the original, dict order) never change the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..results import CheckResult, Finding
from . import compare, rendering, values
from .api import ApiChange
from .callpath import CallPath
from .compare import Mismatch, StepObservation
from .probes import ProbeReport
from .search import Found

CHECK = "differential"
MISMATCH, API_CHANGED = "differential_mismatch", "api_changed"
_SHOWN_DIFFERENCES = 10
_PREAMBLE = "import datetime; from decimal import Decimal; from fractions import Fraction"


@dataclass(frozen=True)
class Counterexample:
    target: str
    call: str  # runnable Python, a line per step (and test doubles' set-up); the last differs
    headline: str  # the first difference, in words
    differences: tuple[tuple[str, str, str], ...]  # (where, original, candidate)
    original: dict[str, Any]  # the differing step's observation on each side
    candidate: dict[str, Any]
    origin: str  # a recorded test, or generated input
    steps_before_shrinking: int
    # The functions the differing call ran on each side (module-qualified, as the complexity
    # check names them, first entered first) and the pair most likely responsible, with how
    # it was chosen (``callpath``). Read from a trace the candidate's process wrote: shown to
    # point at the code, never part of the verdict.
    path_original: tuple[str, ...] = ()
    path_candidate: tuple[str, ...] = ()
    likely: dict[str, str | None] = field(
        default_factory=lambda: {"original": None, "candidate": None}
    )
    likely_why: str = "not traced"

    def finding(self, package: str) -> Finding:
        lines = self.call.splitlines()
        last = values_clip(lines[-1], 240) if lines else ""
        # The differing call is the last; what comes before it (earlier calls, and the test
        # doubles' set-up) is part of the input.
        before = f" after {len(lines) - 1} earlier line(s) (see evidence)" if len(lines) > 1 else ""
        place = self.likely.get("candidate")
        where = f" (in candidate's {place})" if place else ""
        return Finding(
            kind=MISMATCH,
            message=f"{self.target}: {self.headline}; call: {last}{before}{where}",
            check=CHECK,
            call=self.call,
            evidence=self._evidence(package),
        )

    def _evidence(self, package: str) -> str:
        lines = [f"reproduce (import {package}; {_PREAMBLE}):"]
        lines += [f"    {line}" for line in self.call.splitlines()]
        for where, original, candidate in self.differences:
            lines += [
                f"differs at {where}:",
                f"    original:  {original}",
                f"    candidate: {candidate}",
            ]
        for side, observation in (("original", self.original), ("candidate", self.candidate)):
            lines.append(f"{side}:")
            lines += [f"    {line}" for line in observation["lines"]]
        shrunk = (
            f"; shrunk from {self.steps_before_shrinking} steps"
            if self.steps_before_shrinking > 1
            else ""
        )
        lines.append(f"found by: {self.origin}{shrunk}")
        theirs, ours = self.likely.get("candidate"), self.likely.get("original")
        if theirs or ours:
            counterpart = f" (original's {ours})" if ours else ""
            lines.append(f"likely in: candidate's {theirs or '(none)'}{counterpart}")
            lines.append(f"    {self.likely_why}")
        return "\n".join(lines)


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


def values_clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def api_finding(change: ApiChange) -> Finding:
    return Finding(
        kind=API_CHANGED,
        message=f"{change.path}: {change.message}",
        check=CHECK,
        file=change.file,
        line=change.line,
        evidence=f"original:  {change.original}\ncandidate: {change.candidate}",
    )


@dataclass(frozen=True)
class TargetReport:
    path: str
    kind: str  # function, class, attribute
    programs: int  # programs that exercised it
    calls: int  # of its calls compared
    focus: bool  # golden tests leave mutants alive in it: searched with a larger budget
    note: str | None = None  # why it was not (fully) searched


@dataclass(frozen=True)
class BranchCoverage:
    side: str  # "original" or "candidate"
    reached: int
    out_of: int


@dataclass(frozen=True, kw_only=True)
class DifferentialResult(CheckResult):
    seed: int = 0
    sweep_calls: int = 0  # single-change calls per target (before the focus factor)
    constant_calls: int = 0  # calls of the constants sweep per target
    comparison_calls: int = 0  # calls steered by logged comparisons per function
    comparison_rounds: int = 0  # rounds of that after the recorded calls' (coverage feedback)
    examples: int = 0  # random programs per target (before the focus factor)
    seconds: float = 0.0  # the time budget
    programs: int = 0
    calls_compared: int = 0
    recorded_programs: int = 0
    swept_programs: int = 0
    constant_programs: int = 0  # of the constants sweep (``literals.for_constants_sweep``)
    comparison_programs: int = 0  # steered by logged comparisons (``cmplog``)
    comparison_targets: int = 0  # calls those comparisons suggested, before the budget cut
    comparison_logged: int = 0  # calls and histories run instrumented, in every round
    comparison_logs_cut: int = 0  # instrumented runs a time ceiling cut: the search is incomplete
    # Per version, the branches (two per decision) the instrumented runs took, out of all.
    branches: tuple[BranchCoverage, ...] = ()
    generated_programs: int = 0
    counterexamples: tuple[Counterexample, ...] = ()
    api_changes: tuple[ApiChange, ...] = ()
    targets: tuple[TargetReport, ...] = ()
    # Differences that are no finding: outside the domain, failing by accident on both
    # sides, or the same problems of an input reported in another order.
    excused: tuple[str, ...] = ()
    nondeterministic: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    time_budget_hit: bool = False
    isolation: str = ""
    probe_programs: int = 0  # probes replayed (they come before every other input)
    # The exercise's probes: inputs that tell the golden suite's surviving mutants apart.
    probes: ProbeReport | None = None
