"""The golden check's outcome: every golden test, as expected on the original and as run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import BASE_FIELDS, CheckResult, base_fields
from .codec import fields_from, jsonable

CHECK = "golden"


@dataclass(frozen=True)
class GoldenTest:
    id: str
    expected: str  # the outcome on the original
    outcome: str  # the outcome on the candidate
    message: str | None = None
    evidence: str | None = None


@dataclass(frozen=True, kw_only=True)
class GoldenResult(CheckResult):
    tests: tuple[GoldenTest, ...] = ()
    processes: int = 0
    isolation: str = ""

    @property
    def passed(self) -> int:
        return sum(t.outcome == t.expected for t in self.tests)


def as_json(result: CheckResult | None) -> dict[str, Any] | None:
    """report.json's ``golden``: null when the suite did not run."""
    if not isinstance(result, GoldenResult):
        return None
    return {
        "passed": result.passed,
        "total": len(result.tests),
        "processes": result.processes,
        "tests": [jsonable(t) for t in result.tests],
    }


def from_json(base: CheckResult, data: dict[str, Any] | None) -> CheckResult:
    """``base`` (the check's entry) with what its section holds, when it has one."""
    if data is None:
        return base
    return GoldenResult(**base_fields(base), **fields_from(data, GoldenResult, skip=BASE_FIELDS))
