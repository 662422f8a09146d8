"""The Report: everything a run found, as one dataclass tree with a stable JSON form.

Reports are built only from the stages' dataclasses. ``to_dict`` is the JSON schema
(``SCHEMA_VERSION``); the contract's fields are always present. Everything that varies from
run to run without the inputs changing (wall times) lives in ``timing`` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import __version__, level_gate
from .errors import BadInputError
from .history import as_json as history_json
from .history.model import History
from .results import (
    CheckResult,
    Finding,
    Status,
    differential,
    golden,
    mutation,
    run,
    summary_from_json,
    summary_json,
)
from .results import complexity as complexity_result
from .results.codec import READ_ERRORS, describe, each, first_difference, jsonable, structure
from .results.complexity import ComplexityResult
from .results.differential import DifferentialResult
from .results.golden import GoldenResult
from .results.run import ExerciseFacts, Isolation, Recheck, SubmissionFacts
from .scorecard import Scorecard
from .sharding import Shard
from .verdict import VERDICTS, Verdict

SCHEMA_VERSION = 1
PENDING = "pending"  # the status of a check a partial report was written without
# The API section is a static reading of both packages (libcst); the differential check
# confirms each change against the running code and reports those that hold as api_changed
# findings. Each change the static reading lists says which of the two it is
# (``Report.running_code``), so the report never shows a change as settled that the verdict
# did not count.
CONFIRMED, NOT_BORNE_OUT = "confirmed", "not_borne_out"


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
    # Where the report came from (graded now or read back) and whether it was kept for the
    # next grading of the same submission; None: not decided yet (the pipeline adds it).
    recheck: Recheck | None = None
    # The version that graded: a report read back names the one that wrote it.
    tool_version: str = __version__

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

    def gates_below(self) -> list[level_gate.Failure] | None:
        """The gates the scorecard is below; None while there is no scorecard (a partial
        report, or a run that errored before one): nothing is decided yet."""
        if self.scorecard is None:
            return None
        levels = {d.name: d.level for d in self.scorecard.dimensions}
        return level_gate.failed_levels(self.gates, levels)

    def running_code(self, change: complexity_result.ApiChange) -> str | None:
        """What the running code shows of one change the static reading of the API lists:
        CONFIRMED (an api_changed finding names it), NOT_BORNE_OUT (the differential check
        ran and found no such change), or None (it did not run, or the name was added:
        nothing is known, nothing to confirm)."""
        result = self.check(differential.CHECK)
        if change.change == complexity_result.ADDED or not (
            isinstance(result, DifferentialResult)
            and result.status in (Status.PASSED, Status.FAILED)
        ):
            return None
        name = change.name
        related = any(
            p == name or p.startswith(name + ".") or name.startswith(p + ".")
            for p in (c.path for c in result.api_changes)
        )
        return CONFIRMED if related else NOT_BORNE_OUT

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "refactor-check", "version": self.tool_version},
            "verdict": self.verdict.verdict,
            "reason": self.verdict.reason,
            "scorecard": self.scorecard.to_dict() if self.scorecard else None,
            "findings": [jsonable(f) for f in self.findings],
            "exercise": run.exercise_json(self.exercise),
            "candidate": run.submission_json(self.candidate),
            "golden": golden.as_json(self.check(golden.CHECK)),
            "mutation": mutation.as_json(self.check(mutation.CHECK)),
            "differential": differential.as_json(self.check(differential.CHECK)),
            "complexity": self._complexity(),
            "history": history_json.to_dict(self.history),
            "checks": [summary_json(c) for c in self.checks],
            "isolation": run.isolation_json(self.isolation),
            "timing": {k: round(v, 3) for k, v in self.timing.items()},
            # Both packages' text, so every human report can be rebuilt from this file alone.
            "sources": {
                "original": dict(self.exercise.texts),
                "candidate": dict(self.candidate.texts),
            },
        }
        data["gates"] = level_gate.section(self.gates, self.gate_source, self.gates_below())
        if self.shard is not None:
            data["shard"] = self._shard(self.shard)
        if self.pending:
            data["partial"] = self._partial()
            for name in self.pending:  # a pending check's section says so, not "skipped"
                if isinstance(data.get(name), dict):
                    data[name].update(status=PENDING, summary="still running")
        if self.recheck is not None:
            data["recheck"] = self.recheck.to_dict()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """A report.json read back: the Report ``to_dict`` wrote it from, as far as the JSON
        form holds it, so that ``Report.from_json(data).to_dict() == data``. What it leaves
        out (a history's checkouts, the exercise's scorecard settings outside a shard's
        report) is what no writer reads."""
        if data["verdict"] not in VERDICTS:
            raise ValueError(f"unknown verdict {data['verdict']!r}")
        findings = each(data["findings"], Finding)
        shard = data.get("shard")
        gates, gate_source = level_gate.from_section(data)
        return cls(
            exercise=run.exercise_from_json(
                data["exercise"],
                data["sources"]["original"],
                shard["scorecard_settings"] if shard else None,
            ),
            candidate=run.submission_from_json(data["candidate"], data["sources"]["candidate"]),
            verdict=Verdict(data["verdict"], data["reason"], findings),
            checks=tuple(_check_from_json(entry, findings, data) for entry in data["checks"]),
            isolation=structure(data["isolation"], Isolation),
            timing=dict(data["timing"]),
            scorecard=Scorecard.from_dict(data["scorecard"]) if data["scorecard"] else None,
            shard=Shard(shard["index"], shard["count"]) if shard else None,
            pending=tuple(data["partial"]["pending"]) if "partial" in data else (),
            gates=gates,
            gate_source=gate_source,
            history=history_json.from_dict(data["history"]),
            recheck=structure(data["recheck"], Recheck) if "recheck" in data else None,
            tool_version=data["tool"]["version"],
        )

    @property
    def partial_note(self) -> str:
        """What a partial report leaves out, and what may still change when it is complete."""
        return (
            "written when behaviour was decided; "
            + ", ".join(self.pending)
            + " still running. The complete report replaces this one; its verdict can only "
            "be stricter (what later runs of the candidate's code do at run time is "
            "audited too), and its scorecard is added then"
        )

    def _partial(self) -> dict[str, Any]:
        return {"pending": list(self.pending), "note": self.partial_note}

    def _shard(self, shard: Shard) -> dict[str, Any]:
        """Which share of the mutants this partial report holds (merge joins the shares)."""
        return {
            "index": shard.index,
            "count": shard.count,
            "of": "mutation",
            # The scorecard rests on the joined scores: merge recomputes it with these.
            "scorecard_settings": self.exercise.scorecard_settings,
        }

    def _complexity(self) -> dict[str, Any]:
        complexity = self.complexity
        if complexity is None:
            return {"original": None, "candidate": None}
        data = complexity_result.as_json(complexity)
        if complexity.api is not None:
            for change, written in zip(complexity.api.changes, data["api"]["changes"], strict=True):
                written["running_code"] = self.running_code(change)
        return data


def read_json(data: object, where: str) -> Report:
    """A report.json's data read back; anything else (another tool's file, a report of
    another schema, a truncated one) is bad input, said in one line."""
    if not isinstance(data, dict) or "schema_version" not in data:
        raise BadInputError(f"{where} is not a refactor-check report (no schema_version)")
    version = data["schema_version"]
    if version != SCHEMA_VERSION:
        tool = data.get("tool")
        wrote = tool.get("version") if isinstance(tool, dict) else None
        raise BadInputError(
            f"{where} has schema_version {version!r} (written by refactor-check "
            f"{wrote or 'another version'}); refactor-check {__version__} reads "
            f"schema_version {SCHEMA_VERSION}: read it with the version that wrote it"
        )
    try:
        report = Report.from_json(data)
        written = report.to_dict()
    except READ_ERRORS as exc:
        raise BadInputError(
            f"{where} is not a complete refactor-check report "
            f"(schema {SCHEMA_VERSION}): {describe(exc)}"
        ) from None
    # What a report states twice (a count beside what it counts, a score beside its
    # mutants) must agree: an edited report is not read as if the tool had written it.
    differs = first_difference(written, data)
    if differs is not None:
        raise BadInputError(f"{where} does not hold what refactor-check writes at {differs}")
    return report


# Each check with a section of its own in report.json, and how it is read back from it.
_SECTION_READERS: dict[str, Callable[[CheckResult, Any], CheckResult]] = {
    golden.CHECK: golden.from_json,
    mutation.CHECK: mutation.from_json,
    differential.CHECK: differential.from_json,
    complexity_result.CHECK: complexity_result.from_json,
}


def _check_from_json(
    entry: dict[str, Any], findings: Sequence[Finding], data: dict[str, Any]
) -> CheckResult:
    base = summary_from_json(entry, findings)
    read = _SECTION_READERS.get(base.check)
    return base if read is None else read(base, data[base.check])
