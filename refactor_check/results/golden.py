"""The golden check's outcome: every golden test, as expected on the original and as run."""

from __future__ import annotations

from dataclasses import dataclass

from . import CheckResult

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
