"""The verdict rules, and the contract's invariant: no findings exactly when preserved."""

from __future__ import annotations

from refactor_check import verdict
from refactor_check.results import CheckResult, Finding, Status


def result(name: str, status: Status, *findings: Finding) -> CheckResult:
    return CheckResult(
        check=name, status=status, summary=f"{name} {status.value}", findings=findings
    )


def test_all_required_passed_is_preserved() -> None:
    decided = verdict.decide([result("golden", Status.PASSED)], ["golden"])
    assert decided.verdict == "preserved" and decided.findings == ()


def test_any_finding_is_changed() -> None:
    finding = Finding(kind="golden_test_failed", message="x", check="golden")
    decided = verdict.decide([result("golden", Status.FAILED, finding)], ["golden"])
    assert decided.verdict == "changed" and decided.findings == (finding,)


def test_skipped_required_check_without_findings_is_never_preserved() -> None:
    decided = verdict.decide([result("golden", Status.SKIPPED)], ["golden"])
    assert decided.verdict == "error"
    assert [f.kind for f in decided.findings] == ["check_not_run"]


def test_tool_error_wins_and_still_carries_a_finding() -> None:
    finding = Finding(kind="syntax_error", message="x", check="syntax")
    decided = verdict.decide(
        [result("syntax", Status.FAILED, finding), result("golden", Status.ERROR)], ["golden"]
    )
    assert decided.verdict == "error"
    assert [f.kind for f in decided.findings] == ["syntax_error", "check_error"]
