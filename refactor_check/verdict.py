"""Findings in, verdict out: the only place that decides.

- A check that could not run through the tool's own fault makes the verdict "error".
- Otherwise any finding makes it "changed".
- "preserved" needs every required check to have run and passed: a check that was skipped
  without a finding (nothing ran) can never stand in for a pass.
The contract's invariant holds by construction: findings are empty exactly when preserved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .results import CheckResult, Finding, Status

PRESERVED, CHANGED, ERROR = "preserved", "changed", "error"
VERDICTS = (PRESERVED, CHANGED, ERROR)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str  # one line, for people
    findings: tuple[Finding, ...]


def decide(results: Sequence[CheckResult], required: Iterable[str]) -> Verdict:
    findings = [f for r in results for f in r.findings]
    errors = [r for r in results if r.status is Status.ERROR]
    if errors:
        findings += [
            Finding(kind="check_error", message=f"{r.check}: {r.summary}", check=r.check)
            for r in errors
        ]
        names = ", ".join(r.check for r in errors)
        return Verdict(ERROR, f"refactor-check could not complete: {names}", tuple(findings))
    if findings:
        kinds = sorted({f.kind for f in findings})
        return Verdict(
            CHANGED,
            f"{len(findings)} finding(s): {', '.join(kinds)}",
            tuple(findings),
        )
    by_name = {r.check: r for r in results}
    missing = [
        name
        for name in required
        if by_name.get(name) is None or by_name[name].status is not Status.PASSED
    ]
    if missing:
        unrun = tuple(
            Finding(
                kind="check_not_run",
                message=f"{name}: {by_name[name].summary if name in by_name else 'did not run'}",
                check=name,
            )
            for name in missing
        )
        return Verdict(ERROR, f"required checks did not run: {', '.join(missing)}", unrun)
    passed = ", ".join(r.summary for r in results if r.check in set(required))
    return Verdict(PRESERVED, f"behaviour preserved: {passed}", ())
