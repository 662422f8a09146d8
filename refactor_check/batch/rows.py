"""One row of the cohort table per candidate: what a hiring committee compares.

A row is read from the candidate's report.json (a dict: the batch never imports a report's
dataclasses), or made from why there is no report. The order of the table is ``ranking``'s.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..results.differential import MISMATCH

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
        weights=tuple(
            (str(name), weight)
            for name, value in _dict(scorecard.get("weights")).items()
            if (weight := _number(value)) is not None
        ),
        mutation_checked=_stage_status(report, "mutation") == "passed",
        counterexample=_counterexample(report),
        history=_history(report),
    )


def without_report(candidate: str, status: str, reason: str, seconds: float) -> Row:
    return Row(candidate, "error", status, reason, round(seconds, 1))


def _mismatches(report: dict[str, Any]) -> int | None:
    """Differential mismatches found; None when the stage is absent or did not run."""
    if _stage_status(report, "differential") not in ("passed", "failed"):
        return None
    return sum(1 for f in _findings(report) if f.get("kind") == MISMATCH)


def _counterexample(report: dict[str, Any]) -> str | None:
    call = next((f.get("call") for f in _findings(report) if f.get("kind") == MISMATCH), None)
    return call if isinstance(call, str) and call else None


def _history(report: dict[str, Any]) -> str | None:
    """'pinned first; 3/3 green; 1 break' from the report's history block."""
    history = _dict(report.get("history"))
    if not history.get("available"):
        return None
    facts = _dict(history.get("facts"))
    parts = ["pinned first" if facts.get("pinned_first") else "not pinned first"]
    if facts.get("judged_commits"):
        parts.append(f"{facts.get('green_commits')}/{facts.get('judged_commits')} green")
    breaks = facts.get("breaks")
    if isinstance(breaks, list) and breaks:
        parts.append(f"{len(breaks)} break(s)")
    return "; ".join(parts)


def _stage_status(report: dict[str, Any], check: str) -> str | None:
    checks = report.get("checks")
    stages = [c for c in checks if isinstance(c, dict)] if isinstance(checks, list) else []
    stage = next((c for c in stages if c.get("check") == check), None)
    return None if stage is None else str(stage.get("status"))


def _findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    findings = report.get("findings")
    return [f for f in findings if isinstance(f, dict)] if isinstance(findings, list) else []


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
