"""One row of the cohort table per candidate: what a hiring committee compares.

A row is read from the candidate's report (report.json read back as the typed Report), or
made from why there is no report. The order of the table is ``ranking``'s.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..history.model import History
from ..report import Report
from ..results import Status
from ..results.differential import MISMATCH
from ..results.mutation import MutationResult, MutationScore

# Why a row is what it is. Only "graded" and "rejected" rows are final: the others are
# graded again when the batch is run again.
GRADED = "graded"  # the grading finished: the verdict is the report's
REJECTED = "rejected"  # the submission cannot be graded (no package, unreadable): its fault
FAILED = "failed"  # refactor-check failed on it (crash, internal error, overran its time)
BAD_INPUT = "bad_input"  # the grading stopped on bad input nobody can grade around (exit 2)
FINAL = frozenset({GRADED, REJECTED})


@dataclass(frozen=True)
class Row:
    candidate: str
    verdict: str  # preserved | changed | error
    status: str  # GRADED, REJECTED, FAILED or BAD_INPUT
    reason: str
    seconds: float
    golden_passed: int | None = None
    golden_total: int | None = None
    differential_mismatches: int | None = None  # None: the stage did not run
    mutation_score: float | None = None  # of the candidate's own tests
    complexity_delta: int | None = None  # cyclomatic complexity, candidate - original
    levels: tuple[tuple[str, int | None], ...] = ()  # scorecard dimension -> level
    scorecard_total: float | None = None
    # The exercise's scorecard weights: the ranking weighs the levels every row has by them.
    weights: tuple[tuple[str, float], ...] = ()
    # The mutation stage ran: a blank mutation score then means "no tests of their own".
    mutation_checked: bool = False
    # The first differential counterexample: the call that tells the candidate apart.
    counterexample: str | None = None
    # The git history in a few words ("pinned first; 3/3 green"); None: no history read.
    history: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["levels"] = [list(pair) for pair in self.levels]
        data["weights"] = [list(pair) for pair in self.weights]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["levels"] = tuple((str(n), level) for n, level in data.get("levels", ()))
        fields["weights"] = tuple((str(n), float(w)) for n, w in data.get("weights", ()))
        return cls(**fields)


def from_report(candidate: str, report: Report, seconds: float, status: str) -> Row:
    golden = report.golden
    card = report.scorecard
    own = _own_tests(report)
    complexity = report.complexity
    return Row(
        candidate=candidate,
        verdict=report.verdict.verdict,
        status=status,
        reason=report.verdict.reason,
        seconds=round(seconds, 1),
        golden_passed=golden.passed if golden else None,
        golden_total=len(golden.tests) if golden else None,
        differential_mismatches=_mismatches(report),
        mutation_score=own.score if own else None,
        complexity_delta=complexity.cc_delta if complexity else None,
        levels=tuple((d.name, d.level) for d in card.dimensions) if card else (),
        scorecard_total=card.weighted_total if card else None,
        weights=tuple((d.name, float(d.weight)) for d in card.dimensions) if card else (),
        mutation_checked=_ran(report, "mutation") is Status.PASSED,
        counterexample=_counterexample(report),
        history=_history(report.history),
    )


def without_report(candidate: str, status: str, reason: str, seconds: float) -> Row:
    return Row(candidate, "error", status, reason, round(seconds, 1))


def _mismatches(report: Report) -> int | None:
    """Differential mismatches found; None when the stage is absent or did not run."""
    if _ran(report, "differential") not in (Status.PASSED, Status.FAILED):
        return None
    return sum(1 for f in report.findings if f.kind == MISMATCH)


def _counterexample(report: Report) -> str | None:
    return next((f.call for f in report.findings if f.kind == MISMATCH and f.call), None)


def _own_tests(report: Report) -> MutationScore | None:
    result = report.check("mutation")
    return result.candidate_tests if isinstance(result, MutationResult) else None


def _history(history: History | None) -> str | None:
    """'pinned first; 3/3 green; 1 break' from the candidate's history."""
    if history is None or not history.available:
        return None
    facts = history.facts
    parts = ["pinned first" if facts and facts.pinned_first else "not pinned first"]
    if facts and facts.judged_commits:
        parts.append(f"{facts.green_commits}/{facts.judged_commits} green")
    if facts and facts.breaks:
        parts.append(f"{len(facts.breaks)} break(s)")
    return "; ".join(parts)


def _ran(report: Report, check: str) -> Status | None:
    result = report.check(check)
    return None if result is None else result.status
