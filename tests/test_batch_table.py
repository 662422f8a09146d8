"""The cohort table's rows, columns, order and escaping, from report.json dicts (no grading)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from refactor_check.batch import cohort, cohort_csv, cohort_html, rows
from refactor_check.batch.rows import Row


def report(verdict: str = "preserved", **sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "verdict": verdict,
        "reason": f"{verdict} because",
        "findings": [],
        "checks": [],
        "golden": {"passed": 5, "total": 5},
        "mutation": {"candidate_tests": None},
        "complexity": {"cc_delta": -2},
    }
    data.update(sections)
    return data


def test_a_row_reads_every_figure_of_a_report() -> None:
    data = report(
        "changed",
        golden={"passed": 3, "total": 5},
        mutation={"candidate_tests": {"score": 0.75}},
        checks=[{"check": "differential", "status": "failed"}],
        findings=[
            {"kind": "differential_mismatch", "message": "a"},
            {"kind": "differential_mismatch", "message": "b"},
            {"kind": "golden_test_failed", "message": "c"},
        ],
        scorecard={
            "dimensions": [
                {"name": "verification", "level": 3},
                {"name": "stewardship", "level": None},
            ],
            "weighted_total": None,
        },
    )
    row = rows.from_report("ada", data, 12.34, rows.GRADED)
    assert (row.golden_passed, row.golden_total, row.differential_mismatches) == (3, 5, 2)
    assert (row.mutation_score, row.complexity_delta, row.seconds) == (0.75, -2, 12.3)
    assert row.levels == (("verification", 3), ("stewardship", None))
    assert Row.from_json(row.to_json()) == row


def test_differential_mismatches_are_blank_when_the_stage_did_not_run() -> None:
    absent = rows.from_report("a", report(), 1, rows.GRADED)
    skipped = rows.from_report(
        "b", report(checks=[{"check": "differential", "status": "skipped"}]), 1, rows.GRADED
    )
    clean = rows.from_report(
        "c", report(checks=[{"check": "differential", "status": "passed"}]), 1, rows.GRADED
    )
    assert (absent.differential_mismatches, skipped.differential_mismatches) == (None, None)
    assert clean.differential_mismatches == 0


def test_scorecard_columns_appear_only_with_a_scorecard() -> None:
    plain = rows.from_report("a", report(), 1, rows.GRADED)
    names = [c.name for c in cohort.columns([plain])]
    assert names[:2] == ["candidate", "verdict"] and names[-2:] == ["seconds", "reason"]
    assert not any(n.endswith("_level") for n in names)
    scored = rows.from_report(
        "b",
        report(scorecard={"dimensions": [{"name": "verification", "level": 2}]}),
        1,
        rows.GRADED,
    )
    names = [c.name for c in cohort.columns([plain, scored])]
    assert names[-4:] == ["verification_level", "scorecard_total", "seconds", "reason"]


def test_the_committee_order() -> None:
    def row(name: str, verdict: str, **figures: Any) -> Row:
        return Row(name, verdict, rows.GRADED, "", 1.0, **figures)

    table = [
        row("err", "error"),
        row("changed_no_suite", "changed"),
        row("changed_two_failures", "changed", golden_passed=3, golden_total=5),
        row("changed_one_failure", "changed", golden_passed=4, golden_total=5),
        row("kept_weak_tests", "preserved", scorecard_total=2.0, mutation_score=0.3),
        row("kept_strong_tests", "preserved", scorecard_total=2.0, mutation_score=0.9),
        row("kept_top", "preserved", scorecard_total=3.5),
        row("kept_unscored", "preserved"),
    ]
    assert [r.candidate for r in sorted(table, key=rows.sort_key)] == [
        "kept_top",
        "kept_strong_tests",
        "kept_weak_tests",
        "kept_unscored",
        "changed_one_failure",
        "changed_two_failures",
        "changed_no_suite",
        "err",
    ]


def test_csv_neutralises_formulas_and_html_escapes(tmp_path: Path) -> None:
    hostile = Row("=HYPERLINK(1)", "changed", rows.GRADED, "@SUM(A1) <b>", 1.0, complexity_delta=-3)
    path = cohort_csv.write([hostile], tmp_path)
    with open(path, encoding="utf-8", newline="") as handle:
        (record,) = list(csv.DictReader(handle))
    assert record["candidate"] == "'=HYPERLINK(1)" and record["reason"] == "'@SUM(A1) <b>"
    assert record["complexity_delta"] == "-3"  # a number stays a number
    page = cohort_html.render([hostile], tmp_path, "cohort <x>")
    assert "<b>" not in page and "&lt;b&gt;" in page and "cohort &lt;x&gt;" in page
