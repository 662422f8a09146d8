"""The data checks hand to the verdict and the reports: findings and per-check results.

The results layer is a leaf: its modules import nothing of the package outside it, so the
verdict, the scorecard, the Report and every writer can be loaded, changed and tested without
the engines that produce the results (the runner, the workers, mutmut, libcst, radon). Each
check's outcome lives in a module of its own (``golden``, ``mutation``, ``complexity``,
``differential``), what the run was given in ``run``; what every check shares lives here.

Plain frozen dataclasses, so each stage can be built and tested alone; ``str`` enums so the
JSON form is the enum's value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One reason the behaviour is not preserved, with evidence a person can check by hand."""

    kind: str  # short snake_case, stable: pipelines filter on it
    message: str  # one line
    check: str  # the check that found it
    file: str | None = None  # relative to the submission root
    line: int | None = None
    test_id: str | None = None
    rule: str | None = None  # which rule of the check, where a check has several
    evidence: str | None = None  # pytest's assertion text, a traceback, both outputs
    call: str | None = None  # the input that shows it, as runnable Python (differential)


class Status(str, Enum):
    PASSED = "passed"  # ran, and found nothing
    FAILED = "failed"  # ran, and found something (its findings say what)
    SKIPPED = "skipped"  # did not run; ``summary`` says why
    ERROR = "error"  # could not run through the tool's own fault

    @classmethod
    def found(cls, findings: Sequence[Finding]) -> Status:
        """A check that ran to the end: failed exactly when it found something."""
        return cls.FAILED if findings else cls.PASSED


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    check: str
    status: Status
    summary: str
    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = ()


# Every check's entry in report.json's ``checks``: what it found is listed once, under
# ``findings`` (the verdict's), and counted here.
BASE_FIELDS = ("check", "status", "summary", "findings", "warnings")


def summary_json(result: CheckResult) -> dict[str, Any]:
    return {
        "check": result.check,
        "status": result.status.value,
        "summary": result.summary,
        "findings": len(result.findings),
        "warnings": list(result.warnings),
    }


def summary_from_json(entry: dict[str, Any], findings: Sequence[Finding]) -> CheckResult:
    """A check's entry read back, with its findings: the first ``findings`` (a count) of the
    verdict's findings that name it (the verdict lists each check's findings in check order,
    then adds its own: a check that errored, or a required one that did not run)."""
    own = tuple(f for f in findings if f.check == entry["check"])[: entry["findings"]]
    return CheckResult(
        check=entry["check"],
        status=Status(entry["status"]),
        summary=entry["summary"],
        findings=own,
        warnings=tuple(entry["warnings"]),
    )


def base_fields(result: CheckResult) -> dict[str, Any]:
    """What every check's result holds, to build a check's own result type from."""
    return {name: getattr(result, name) for name in BASE_FIELDS}
