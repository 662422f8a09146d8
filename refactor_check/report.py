"""The Report: everything a run found, as one dataclass tree with a stable JSON form.

Reports are built only from the stages' dataclasses. ``to_dict`` is the JSON schema
(``SCHEMA_VERSION``); the contract's fields are always present. Everything that varies from
run to run without the inputs changing (wall times) lives in ``timing`` and nowhere else.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, level_gate
from .history import as_json as history_json
from .history.model import History
from .results import CheckResult, Finding, Status
from .results import complexity as complexity_result
from .results.complexity import ComplexityResult
from .results.differential import DifferentialResult
from .results.golden import GoldenResult
from .results.mutation import MutationResult, MutationScore
from .results.run import ExerciseFacts, Isolation, SubmissionFacts
from .scorecard import Scorecard
from .sharding import Shard
from .verdict import Verdict

SCHEMA_VERSION = 1
PENDING = "pending"  # the status of a check a partial report was written without


@dataclass(frozen=True)
class Report:
    exercise: ExerciseFacts
    candidate: SubmissionFacts
    verdict: Verdict
    checks: tuple[CheckResult, ...]
    isolation: Isolation
    timing: dict[str, float] = field(default_factory=dict)
    scorecard: Scorecard | None = None
    shard: Shard | None = None  # the run tested only this shard's mutants
    # Checks still running when this report was written: a partial report, written as soon
    # as behaviour is decided, which the complete one replaces. Empty in a complete report.
    pending: tuple[str, ...] = ()
    # The --fail-under-level gates (or the exercise's [ci] ones) and where they came from.
    gates: tuple[level_gate.Gate, ...] = ()
    gate_source: str | None = None
    # The candidate's git history, commit by commit (None: not asked for, as in merge).
    history: History | None = None

    def check(self, name: str) -> CheckResult | None:
        return next((c for c in self.checks if c.check == name), None)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.verdict.findings

    @property
    def golden(self) -> GoldenResult | None:
        result = self.check("golden")
        return result if isinstance(result, GoldenResult) else None

    @property
    def complexity(self) -> ComplexityResult | None:
        result = self.check("complexity")
        return result if isinstance(result, ComplexityResult) else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "refactor-check", "version": __version__},
            "verdict": self.verdict.verdict,
            "reason": self.verdict.reason,
            "scorecard": self.scorecard.to_dict() if self.scorecard else None,
            "findings": [jsonable(f) for f in self.findings],
            "exercise": {
                "name": self.exercise.name,
                "package": self.exercise.package,
                "modules": list(self.exercise.modules),
                "title": self.exercise.title,
                "content_hash": self.exercise.content_hash,
            },
            "candidate": {
                "path": self.candidate.path,
                "package": self.candidate.package,
                "files": list(self.candidate.files),
                "added_modules": list(self.candidate.added_modules),
                "removed_modules": list(self.candidate.removed_modules),
                "own_tests": list(self.candidate.own_tests),
                "starter_tests": list(self.candidate.starter_tests),
                "ignored": [{"path": i.path, "why": i.why} for i in self.candidate.ignored],
                "notes": list(self.candidate.notes),
            },
            "golden": self._golden(),
            "mutation": self._mutation(),
            "differential": self._differential(),
            "complexity": self._complexity(),
            "history": history_json.to_dict(self.history),
            "checks": [check_summary(c) for c in self.checks],
            "isolation": {
                "mode": self.isolation.mode,
                "process_limit": self.isolation.process_limit,
                "description": self.isolation.description,
                "notes": list(self.isolation.notes),
            },
            "timing": {k: round(v, 3) for k, v in self.timing.items()},
            # Both packages' text, so every human report can be rebuilt from this file alone.
            "sources": {
                "original": dict(self.exercise.texts),
                "candidate": dict(self.candidate.texts),
            },
        }
        data["gates"] = level_gate.section(self.gates, self.gate_source, data)
        if self.shard is not None:
            data["shard"] = self._shard(self.shard)
        if self.pending:
            data["partial"] = self._partial()
            for name in self.pending:  # a pending check's section says so, not "skipped"
                if isinstance(data.get(name), dict):
                    data[name].update(status=PENDING, summary="still running")
        return data

    def _partial(self) -> dict[str, Any]:
        """What a partial report leaves out, and what may still change when it is complete."""
        return {
            "pending": list(self.pending),
            "note": (
                "written when behaviour was decided; "
                + ", ".join(self.pending)
                + " still running. The complete report replaces this one; its verdict can only "
                "be stricter (what later runs of the candidate's code do at run time is "
                "audited too), and its scorecard is added then"
            ),
        }

    def _shard(self, shard: Shard) -> dict[str, Any]:
        """Which share of the mutants this partial report holds (merge joins the shares)."""
        return {
            "index": shard.index,
            "count": shard.count,
            "of": "mutation",
            # The scorecard rests on the joined scores: merge recomputes it with these.
            "scorecard_settings": self.exercise.scorecard_settings,
        }

    def _golden(self) -> dict[str, Any] | None:
        golden = self.golden
        if golden is None:
            return None
        return {
            "passed": golden.passed,
            "total": len(golden.tests),
            "processes": golden.processes,
            "tests": [jsonable(t) for t in golden.tests],
        }

    def _mutation(self) -> dict[str, Any]:
        return mutation_section(self.check("mutation"))

    def _differential(self) -> dict[str, Any]:
        result = self.check("differential")
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
            "budget": {
                "sweep_calls": result.sweep_calls,
                "constant_calls": result.constant_calls,
                "comparison_calls": result.comparison_calls,
                "examples": result.examples,
                "seconds": result.seconds,
                "time_budget_hit": result.time_budget_hit,
            },
            "programs": result.programs,
            "calls_compared": result.calls_compared,
            "recorded_programs": result.recorded_programs,
            "swept_programs": result.swept_programs,
            "constant_programs": result.constant_programs,
            "comparison_programs": result.comparison_programs,
            "comparison_targets": result.comparison_targets,
            "comparison_logged": result.comparison_logged,
            "comparison_logs_cut": result.comparison_logs_cut,
            "branches": {
                b.side: {"reached": b.reached, "out_of": b.out_of} for b in result.branches
            },
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

    def _complexity(self) -> dict[str, Any]:
        complexity = self.complexity
        if complexity is None:
            return {"original": None, "candidate": None}
        data = complexity_result.as_json(complexity)
        if data.get("api"):
            _mark_confirmed(data["api"]["changes"], self.check("differential"))
        return data


# The API section is a static reading of both packages (libcst); the differential check
# confirms each change against the running code and reports those that hold as api_changed
# findings. Each change the static reading lists says which of the two it is, so the report
# never shows a change as settled that the verdict did not count.
CONFIRMED, NOT_BORNE_OUT = "confirmed", "not_borne_out"


def _mark_confirmed(changes: list[dict[str, Any]], differential: CheckResult | None) -> None:
    """Give every removed or changed name ``running_code``: confirmed (an api_changed
    finding names it), not_borne_out (the differential check ran and found no such change),
    or None (it did not run: nothing is known)."""
    paths: list[str] | None = None
    if isinstance(differential, DifferentialResult) and differential.status in (
        Status.PASSED,
        Status.FAILED,
    ):
        paths = [c.path for c in differential.api_changes]
    for change in changes:
        if change["change"] == "added" or paths is None:
            change["running_code"] = None
            continue
        name = change["name"]
        related = any(
            p == name or p.startswith(name + ".") or name.startswith(p + ".") for p in paths
        )
        change["running_code"] = CONFIRMED if related else NOT_BORNE_OUT


def mutation_section(result: CheckResult | None) -> dict[str, Any]:
    """report.json's ``mutation``: also how merge writes a joined result."""
    if not isinstance(result, MutationResult):
        return {
            "status": result.status.value if result else "skipped",
            "summary": result.summary if result else "not run",
            "golden_on_original": None,
            "candidate_tests": None,
            "candidate_tests_on_original": None,
            "not_mutated": [],
            "notes": [],
        }
    return {
        "status": result.status.value,
        "summary": result.summary,
        "profile": result.profile,
        "golden_on_original": _score(result.golden_on_original),
        "candidate_tests": _score(result.candidate_tests),
        "candidate_tests_on_original": _score(result.candidate_tests_on_original),
        "golden_blind_spots": list(result.golden_blind_spots()),
        "not_mutated": [jsonable(n) for n in result.not_mutated],
        "notes": list(result.notes),
    }


def _score(score: MutationScore | None) -> dict[str, Any] | None:
    if score is None:
        return None
    data: dict[str, Any] = jsonable(score)
    data["note"] = score.note
    data["source_files"] = dict(score.source_files)
    return data


def check_summary(result: CheckResult) -> dict[str, Any]:
    return {
        "check": result.check,
        "status": result.status.value,
        "summary": result.summary,
        "findings": len(result.findings),
        "warnings": list(result.warnings),
    }


def jsonable(value: Any) -> Any:
    """Dataclasses, enums, paths and tuples to JSON types; None-valued fields are dropped."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value
