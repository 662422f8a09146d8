"""Reports built in code, for the focused tests of a writer: a real Report (the type every
writer reads), holding only what the test is about, with the verdict the checks give."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from refactor_check import verdict
from refactor_check.report import Report
from refactor_check.results import CheckResult, Finding, Status
from refactor_check.results import mutation as mutation_result
from refactor_check.results.run import ExerciseFacts, Isolation, SubmissionFacts

EXERCISE = ExerciseFacts(
    name="pkg", package="pkg", modules=("pkg",), title="A package", content_hash="0" * 64
)
SUBMISSION = SubmissionFacts(path="/submissions/candidate", package="pkg")


def report(*checks: CheckResult, **fields: Any) -> Report:
    """A report of ``checks`` (none required, so no finding means preserved); ``fields``
    replace any other part of it."""
    made = Report(
        exercise=EXERCISE,
        candidate=SUBMISSION,
        verdict=verdict.decide(checks, ()),
        checks=checks,
        isolation=Isolation(mode="bwrap", process_limit="cgroup"),
    )
    return replace(made, **fields)


def mutation(section: dict[str, Any] | None) -> CheckResult:
    """The mutation check's result from its report.json section as a test writes it (a
    section without a profile is a check that did not run)."""
    if section is None:
        return CheckResult(check="mutation", status=Status.SKIPPED, summary="not run")
    base = CheckResult(
        check="mutation",
        status=Status(section.get("status", "passed")),
        summary=section.get("summary", ""),
    )
    return mutation_result.from_json(base, section)


def with_check(made: Report, result: CheckResult) -> Report:
    """``made`` with ``result`` in place of its check of the same name (a report read back,
    changed in one place)."""
    assert made.check(result.check) is not None, f"no {result.check} check to replace"
    checks = tuple(result if c.check == result.check else c for c in made.checks)
    return replace(made, checks=checks)


def with_findings(made: Report, *findings: Finding) -> Report:
    """``made`` whose verdict lists ``findings`` instead (its word and reason kept): what
    every writer shows of them, without grading anything again."""
    return replace(made, verdict=replace(made.verdict, findings=findings))
