"""One row of the cohort table per candidate: what a hiring committee compares.

A row is read from the candidate's report.json (a dict: the batch never imports a report's
dataclasses), or made from why there is no report. The order of the table is ``sort_key``:
preserved first, then changed, then error; within each, the scorecard total (high first),
then the fewest golden failures and differential mismatches, the mutation score of their own
tests (high first), the complexity delta (most reduced first), and the name. A row without a
figure ranks below the rows with one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Why a row is what it is. Only "graded" and "rejected" rows are final: the others are
# graded again when the batch is run again.
GRADED = "graded"  # the grading finished: the verdict is the report's
REJECTED = "rejected"  # the submission cannot be graded (no package, unreadable): its fault
FAILED = "failed"  # refactor-check failed on it (crash, internal error, overran its time)
BAD_INPUT = "bad_input"  # the grading stopped on bad input nobody can grade around (exit 2)
FINAL = frozenset({GRADED, REJECTED})

_VERDICT_ORDER = {"preserved": 0, "changed": 1, "error": 2}


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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["levels"] = [list(pair) for pair in self.levels]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["levels"] = tuple((str(n), level) for n, level in data.get("levels", ()))
        return cls(**fields)


def from_report(candidate: str, report: dict[str, Any], seconds: float, status: str) -> Row:
    golden = _dict(report.get("golden"))
    scorecard = _dict(report.get("scorecard"))
    return Row(
        candidate=candidate,
        verdict=str(report.get("verdict", "error")),
        status=status,
        reason=str(report.get("reason", "")),
        seconds=round(seconds, 1),
        golden_passed=_int(golden.get("passed")),
        golden_total=_int(golden.get("total")),
        differential_mismatches=_mismatches(report),
        mutation_score=_number(
            _dict(_dict(report.get("mutation")).get("candidate_tests")).get("score")
        ),
        complexity_delta=_int(_dict(report.get("complexity")).get("cc_delta")),
        levels=tuple(
            (str(d["name"]), _int(d.get("level")))
            for d in scorecard.get("dimensions", [])
            if isinstance(d, dict) and "name" in d
        ),
        scorecard_total=_number(scorecard.get("weighted_total")),
    )


def without_report(candidate: str, status: str, reason: str, seconds: float) -> Row:
    return Row(candidate, "error", status, reason, round(seconds, 1))


def sort_key(row: Row) -> tuple[Any, ...]:
    # A golden suite that never ran (the code does not parse) ranks below any failure count.
    failures = None
    if row.golden_total is not None and row.golden_passed is not None:
        failures = row.golden_total - row.golden_passed + (row.differential_mismatches or 0)
    return (
        _VERDICT_ORDER.get(row.verdict, len(_VERDICT_ORDER)),
        _high_first(row.scorecard_total),
        _low_first(failures),
        _high_first(row.mutation_score),
        _low_first(row.complexity_delta),
        row.candidate,
    )


def _high_first(value: float | None) -> tuple[bool, float]:
    return (value is None, -(value or 0.0))


def _low_first(value: float | None) -> tuple[bool, float]:
    return (value is None, value or 0.0)


def _mismatches(report: dict[str, Any]) -> int | None:
    """Differential mismatches found; None when the stage is absent or did not run."""
    checks = [c for c in report.get("checks", []) if isinstance(c, dict)]
    stage = next((c for c in checks if c.get("check") == "differential"), None)
    if stage is None or stage.get("status") not in ("passed", "failed"):
        return None
    findings = [f for f in report.get("findings", []) if isinstance(f, dict)]
    return sum(1 for f in findings if f.get("kind") == "differential_mismatch")


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
