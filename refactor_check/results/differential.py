"""The differential check's outcome: counterexamples, API breaks, and what the search covered.

A counterexample becomes a ``differential_mismatch`` finding whose ``call`` is runnable Python
and whose evidence shows the original's and the candidate's behaviour side by side; a
confirmed API break becomes ``api_changed``. Warnings (inputs outside the domain,
nondeterminism of the original, dict order) never change the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import BASE_FIELDS, CheckResult, Finding, base_fields
from .codec import fields_from, jsonable

CHECK = "differential"
MISMATCH, API_CHANGED = "differential_mismatch", "api_changed"
# What a counterexample's call needs besides the package: the names its values are written with.
PREAMBLE = "import datetime; from decimal import Decimal; from fractions import Fraction"


@dataclass(frozen=True)
class ApiChange:
    path: str
    kind: str
    message: str
    original: str  # the original's side, as the running code shows it
    candidate: str
    file: str | None = None
    line: int | None = None

    def finding(self) -> Finding:
        return Finding(
            kind=API_CHANGED,
            message=f"{self.path}: {self.message}",
            check=CHECK,
            file=self.file,
            line=self.line,
            evidence=f"original:  {self.original}\ncandidate: {self.candidate}",
        )


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
        last = _clip(lines[-1], 240) if lines else ""
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
        lines = [f"reproduce (import {package}; {PREAMBLE}):"]
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


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class ProbeReport:
    survivors: int  # mutants of the original the golden suite leaves alive
    probes: int  # programs replayed first on every candidate
    told_apart: tuple[str, ...]  # survivors a probe tells apart from the original
    not_told_apart: tuple[str, ...]  # searched to the end of their budget (often equivalent)
    unsteady: tuple[str, ...]  # told apart only by an input the original runs differently
    not_run: tuple[str, ...]  # "key: why" for mutants that could not be rebuilt or loaded
    # Not searched: the exercise's total ceiling came first (``probe_total_seconds``).
    not_searched: tuple[str, ...]
    source: str  # where the verdicts came from: "shipped", "cached", "new", joined by "and"
    # Searched, but a time ceiling (``probe_seconds``) cut the search before its counted
    # budget was spent: no verdict, searched again by the next run.
    cut_short: tuple[str, ...] = ()


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


# The JSON form (report.json "differential"): the budget it ran under, what the search covered,
# and what it found. A check that did not run keeps the keys a pipeline reads first.


def as_json(result: CheckResult | None) -> dict[str, Any]:
    if not isinstance(result, DifferentialResult):
        return {
            "status": result.status.value if result else "skipped",
            "summary": result.summary if result else "not run",
            "counterexamples": [],
            "api_changes": [],
        }
    return {
        "status": result.status.value,
        "summary": result.summary,
        "seed": result.seed,
        "budget": {name: getattr(result, name) for name in _BUDGET},
        "programs": result.programs,
        "calls_compared": result.calls_compared,
        "recorded_programs": result.recorded_programs,
        "swept_programs": result.swept_programs,
        "constant_programs": result.constant_programs,
        "comparison_programs": result.comparison_programs,
        "comparison_targets": result.comparison_targets,
        "comparison_logged": result.comparison_logged,
        "comparison_logs_cut": result.comparison_logs_cut,
        "branches": {b.side: {"reached": b.reached, "out_of": b.out_of} for b in result.branches},
        "generated_programs": result.generated_programs,
        "probe_programs": result.probe_programs,
        "probes": jsonable(result.probes) if result.probes is not None else None,
        "counterexamples": [jsonable(c) for c in result.counterexamples],
        "api_changes": [jsonable(c) for c in result.api_changes],
        "targets": [jsonable(t) for t in result.targets],
        "excused": list(result.excused),
        "nondeterministic": list(result.nondeterministic),
        "notes": list(result.notes),
    }


# The settings the search ran under, written together as ``budget``.
_BUDGET = (
    "sweep_calls",
    "constant_calls",
    "comparison_calls",
    "examples",
    "seconds",
    "time_budget_hit",
)


def from_json(base: CheckResult, data: dict[str, Any]) -> CheckResult:
    """``base`` (the check's entry) with its section: a DifferentialResult when the stage ran."""
    if "seed" not in data:
        return base
    flat = {
        **data,
        **data["budget"],
        "branches": [{"side": side, **seen} for side, seen in data["branches"].items()],
    }
    return DifferentialResult(
        **base_fields(base), **fields_from(flat, DifferentialResult, skip=BASE_FIELDS)
    )
