"""The cohort table's rows, columns, order and escaping, from typed reports (no grading)."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from refactor_check import level_gate
from refactor_check.batch import cohort, cohort_csv, cohort_html, cohort_json, cohort_text, rows
from refactor_check.batch.ranking import Basis, rank, sort_key
from refactor_check.batch.rows import Row
from refactor_check.report import Report
from refactor_check.results import CheckResult, Finding, Status
from refactor_check.results.complexity import ComplexityResult, ComplexitySummary
from refactor_check.results.golden import GoldenResult, GoldenTest
from refactor_check.scorecard import Dimension, Gate, Scorecard
from refactor_check.verdict import Verdict

from . import made_reports


def _summary(cc_total: int) -> ComplexitySummary:
    return ComplexitySummary(
        cc_total=cc_total, functions=1, cc_max=cc_total, cc_mean=cc_total, per_function=()
    )


def _dimension(name: str, level: int | None, weight: float = 1.0) -> Dimension:
    return Dimension(name, level, "", "", "", weight, (), ())


def report(
    verdict: str = "preserved",
    *,
    golden: tuple[int, int] = (5, 5),
    own_score: float | None = None,
    differential: Status | None = None,
    findings: tuple[Finding, ...] = (),
    levels: dict[str, int | None] | None = None,
) -> Report:
    """A typed report with the figures a row reads: ``golden`` is (passed, total), the
    candidate's complexity two below the original's."""
    passed, total = golden
    tests = tuple(
        GoldenTest(f"t::{i}", "passed", "passed" if i < passed else "failed") for i in range(total)
    )
    checks: list[CheckResult] = [
        GoldenResult(check="golden", status=Status.PASSED, summary="", tests=tests),
        made_reports.mutation(
            None
            if own_score is None
            else {
                "profile": "quick",
                "golden_on_original": None,
                "candidate_tests": _score(own_score),
                "candidate_tests_on_original": None,
            }
        ),
        ComplexityResult(
            check="complexity",
            status=Status.PASSED,
            summary="",
            original=_summary(10),
            candidate=_summary(8),
        ),
    ]
    if differential is not None:
        checks.append(CheckResult(check="differential", status=differential, summary=""))
    card = None
    if levels is not None:
        dimensions = tuple(_dimension(name, level) for name, level in levels.items())
        card = Scorecard(Gate("passed", verdict, ()), dimensions, None, "", "defaults")
    return made_reports.report(
        *checks, verdict=Verdict(verdict, f"{verdict} because", findings), scorecard=card
    )


def _score(score: float) -> dict[str, Any]:
    return {
        "killed": 3,
        "survived": 1,
        "timeout": 0,
        "no_tests": 0,
        "suspicious": 0,
        "not_checked": 0,
        "total": 4,
        "score": score,
        "mutants": [],
        "source_files": {},
    }


def _mismatch(message: str, call: str | None = None) -> Finding:
    return Finding(kind="differential_mismatch", message=message, check="differential", call=call)


def test_a_row_reads_every_figure_of_a_report() -> None:
    data = report(
        "changed",
        golden=(3, 5),
        own_score=0.75,
        differential=Status.FAILED,
        findings=(
            _mismatch("a"),
            _mismatch("b"),
            Finding(kind="golden_test_failed", message="c", check="golden"),
        ),
        levels={"verification": 3, "stewardship": None},
    )
    row = rows.from_report("ada", data, 12.34, rows.GRADED)
    assert (row.golden_passed, row.golden_total, row.differential_mismatches) == (3, 5, 2)
    assert (row.mutation_score, row.complexity_delta, row.seconds) == (0.75, -2, 12.3)
    assert row.levels == (("verification", 3), ("stewardship", None))
    assert row.mutation_checked
    assert Row.from_json(row.to_json()) == row


def test_differential_mismatches_are_blank_when_the_stage_did_not_run() -> None:
    absent = rows.from_report("a", report(), 1, rows.GRADED)
    skipped = rows.from_report("b", report(differential=Status.SKIPPED), 1, rows.GRADED)
    clean = rows.from_report("c", report(differential=Status.PASSED), 1, rows.GRADED)
    assert (absent.differential_mismatches, skipped.differential_mismatches) == (None, None)
    assert clean.differential_mismatches == 0
    assert not absent.mutation_checked and absent.mutation_score is None


def test_scorecard_columns_appear_only_with_a_scorecard() -> None:
    plain = rows.from_report("a", report(), 1, rows.GRADED)
    names = [c.name for c in cohort.columns([plain])]
    assert names[:2] == ["candidate", "verdict"] and names[-3:] == ["history", "seconds", "reason"]
    assert not any(n.endswith("_level") for n in names)
    scored = rows.from_report(
        "b",
        report(levels={"verification": 2}),
        1,
        rows.GRADED,
    )
    names = [c.name for c in cohort.columns([plain, scored])]
    assert names[-5:] == ["verification_level", "scorecard_total", "history", "seconds", "reason"]


def row(name: str, verdict: str = "preserved", **figures: Any) -> Row:
    return Row(name, verdict, rows.GRADED, "", 1.0, **figures)


def order(table: list[Row]) -> list[str]:
    return [r.candidate for r in rank(table).rows]


def test_the_committee_order_with_every_figure_measured() -> None:
    table = [
        row("err", "error"),
        row("changed_no_suite", "changed", complexity_delta=0),
        row("changed_two_failures", "changed", golden_passed=3, golden_total=5, complexity_delta=0),
        row("changed_one_failure", "changed", golden_passed=4, golden_total=5, complexity_delta=0),
        row("kept_weak_tests", "preserved", scorecard_total=2.0, mutation_score=0.3),
        row("kept_strong_tests", "preserved", scorecard_total=2.0, mutation_score=0.9),
        row("kept_top", "preserved", scorecard_total=3.5, mutation_score=0.1),
    ]
    assert order(table) == [
        "kept_top",
        "kept_strong_tests",
        "kept_weak_tests",
        "changed_one_failure",
        "changed_two_failures",
        "changed_no_suite",  # its suite never ran: the most failures there can be
        "err",
    ]
    note = rank(table).note
    assert note.startswith(
        "ranked by verdict, then preserved by scorecard total, mutation score; "
        "changed by golden failures, complexity delta; error by name"
    )


def test_a_blank_total_is_not_ranked_below_a_weak_one() -> None:
    # Without mutation testing, a candidate with tests has no Verification level (nothing
    # measured it) and so no total, while one without tests has level 1 and a total: the
    # total cannot rank them, the level both have can.
    table = [
        row(
            "no_tests",
            levels=(("verification", 1), ("stewardship", 2)),
            scorecard_total=1.5,
            complexity_delta=9,
        ),
        row("clean", levels=(("verification", None), ("stewardship", 3)), complexity_delta=-5),
        row("tidy", levels=(("verification", None), ("stewardship", 2)), complexity_delta=-1),
    ]
    ranked = rank(table)
    assert [r.candidate for r in ranked.rows] == ["clean", "tidy", "no_tests"]
    (preserved,) = ranked.bases
    assert preserved.labels == ("stewardship level", "complexity delta")
    assert {o.label: o.candidates for o in preserved.left_out} == {
        "scorecard total": ("clean", "tidy"),
        "verification level": ("clean", "tidy"),
        "mutation score": ("clean", "no_tests", "tidy"),
    }
    assert ranked.note == (
        "ranked by verdict, then preserved by stewardship level, complexity delta; "
        "scorecard total and verification level not measured for clean, tidy; "
        "mutation score not measured"
    )


def test_shared_levels_are_weighted_as_the_exercise_weighs_them() -> None:
    weights = (("verification", 2.0), ("stewardship", 1.0), ("extra", 0.0))
    table = [
        row("a", levels=(("verification", 2), ("stewardship", 4), ("extra", 4)), weights=weights),
        row("b", levels=(("verification", 3), ("stewardship", 1), ("extra", 1)), weights=weights),
        # Verification and stewardship are shared, a weight of 0 counts for nothing.
        row(
            "c", levels=(("verification", 3), ("stewardship", 2), ("extra", None)), weights=weights
        ),
        row(
            "d",
            scorecard_total=4.0,
            levels=(("verification", 4), ("stewardship", 4), ("extra", 4)),
            weights=weights,
        ),
    ]
    ranked = rank(table)
    # d: (2x4 + 4) / 3 = 4; c: 8/3; a: 8/3; b: 7/3. c and a tie: by name.
    assert [r.candidate for r in ranked.rows] == ["d", "a", "c", "b"]
    assert ranked.bases[0].labels[0] == "weighted verification and stewardship levels"


def test_no_tests_with_mutation_testing_run_is_a_score_of_zero_not_a_blank() -> None:
    table = [
        row("none_written", scorecard_total=2.0, mutation_checked=True, complexity_delta=-9),
        row("weak", scorecard_total=2.0, mutation_score=0.2, mutation_checked=True),
        row("strong", scorecard_total=2.0, mutation_score=0.8, mutation_checked=True),
    ]
    ranked = rank(table)
    assert [r.candidate for r in ranked.rows] == ["strong", "weak", "none_written"]
    assert "mutation score" in ranked.bases[0].labels
    # Mutation testing off: the same blank is not measured, and left out for everyone.
    off = [replace(r, mutation_checked=False, mutation_score=None) for r in table]
    ranked = rank(off)
    assert [r.candidate for r in ranked.rows] == ["none_written", "strong", "weak"]
    assert ranked.bases[0].labels == ("scorecard total",)
    assert ranked.note.endswith(
        "; mutation score not measured; complexity delta not measured for strong, weak"
    )


def test_changed_rows_fall_back_to_golden_failures_without_differential_counts() -> None:
    table = [
        row("gap", "changed", golden_passed=5, golden_total=5, differential_mismatches=3),
        row("broken", "changed", golden_passed=4, golden_total=5, differential_mismatches=0),
        row("no_differential", "changed", golden_passed=3, golden_total=5),
        row("no_parse", "changed"),
    ]
    ranked = rank(table)
    assert [r.candidate for r in ranked.rows] == ["gap", "broken", "no_differential", "no_parse"]
    (changed,) = ranked.bases
    assert changed.labels[0] == "golden failures"
    assert changed.left_out[0].label == "differential mismatches"
    assert changed.left_out[0].candidates == ("no_differential",)  # no_parse is ranked: last
    # With every count there, the sum ranks: gap's 3 mismatches weigh more than one failure.
    whole = [r for r in table if r.candidate != "no_differential"]
    assert order(whole) == ["broken", "gap", "no_parse"]


def test_sort_key_never_compares_a_blank() -> None:
    table = [row("a", scorecard_total=2.0), row("b")]
    (preserved,) = rank(table).bases
    assert preserved.figures == ()  # the total is not everyone's, and nothing else is
    assert sort_key(table[0], preserved) == (0, "a")
    total_for_all = Basis("preserved", rank([table[0]]).bases[0].figures, ())
    with pytest.raises(ValueError, match="scorecard total is not measured for b"):
        sort_key(table[1], total_for_all)


def test_a_long_list_of_names_is_cut_in_the_note() -> None:
    table = [row(f"c{i:02}", scorecard_total=1.0) for i in range(10)] + [row("z")]
    note = rank(table).note
    assert "scorecard total not measured for z" in note
    table = [row(f"c{i:02}") for i in range(10)] + [row("z", scorecard_total=1.0)]
    assert "for c00, c01, c02, c03, c04, c05 and 4 more" in rank(table).note


def test_csv_neutralises_formulas_and_html_escapes(tmp_path: Path) -> None:
    hostile = Row(
        "=HYPERLINK(1)",
        "changed",
        rows.GRADED,
        "@SUM(A1) <b>",
        1.0,
        complexity_delta=-3,
        counterexample="toy.price('</pre><script>alert(1)</script>', 1)",
    )
    path = cohort_csv.write(rank([hostile]), tmp_path)
    with open(path, encoding="utf-8", newline="") as handle:
        (record,) = list(csv.DictReader(handle))
    assert record["candidate"] == "'=HYPERLINK(1)" and record["reason"] == "'@SUM(A1) <b>"
    assert record["complexity_delta"] == "-3"  # a number stays a number
    assert record["ranking_note"].startswith("ranked by verdict, then changed by golden failures")
    page = cohort_html.render(rank([hostile]), tmp_path, "cohort <x>")
    assert "<b>" not in page and "&lt;b&gt;" in page and "cohort &lt;x&gt;" in page
    assert "<script>alert" not in page and "&lt;/pre&gt;&lt;script&gt;" in page
    assert page.count("<script") == 1  # the page's own, allowed by its hash alone
    assert "'sha256-" in cohort_html.csp() and "default-src &#39;none&#39;" in page


def test_report_links_are_relative_and_percent_encoded(tmp_path: Path) -> None:
    name = 'javascript:alert("x") #1?'
    (tmp_path / name).mkdir()
    (tmp_path / name / "report.html").write_text(
        '<div class="finding" id="finding-differential_mismatch-0"></div>', encoding="utf-8"
    )
    found = Row(name, "changed", rows.GRADED, "", 1.0, counterexample="toy.price(10, 1.0)")
    page = cohort_html.render(rank([found]), tmp_path, "t")
    link = "javascript%3Aalert%28%22x%22%29%20%231%3F/report.html"
    assert f'href="{link}"' in page
    assert f'href="{link}#finding-differential_mismatch-0"' in page
    assert 'href="javascript:' not in page  # a relative path, never a scheme


def test_cohort_json_has_the_csv_rows_the_note_and_the_report_paths(tmp_path: Path) -> None:
    graded = rows.from_report(
        "ada",
        report(
            "changed",
            golden=(3, 5),
            differential=Status.FAILED,
            findings=(_mismatch("m", call="toy.f(1)"),),
            levels={"verification": 1},
        ),
        2.0,
        rows.GRADED,
    )
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "report.json").write_text("{}", encoding="utf-8")
    ranked = rank([graded, rows.without_report("bob", rows.FAILED, "crashed", 1.0)])
    gates = level_gate.parse_all(["verification=2"])
    below = {"ada": level_gate.failed_levels(gates, dict(graded.levels))}
    data = json.loads(cohort_json.dumps(cohort_json.document(ranked, tmp_path, "t", gates, below)))
    assert data["ranking"]["note"] == ranked.note
    assert data["fail_under_level"] == {"verification": 2}
    first, second = data["rows"]
    assert (first["rank"], first["candidate"], first["golden_passed"]) == (1, "ada", 3)
    assert first["counterexample"] == "toy.f(1)"
    assert first["report"] == str(tmp_path / "ada" / "report.json")
    assert first["report_html"] is None
    assert first["below_gates"] == [{"dimension": "verification", "needs": 2, "actual": 1}]
    assert (second["candidate"], second["status"], second["report"]) == ("bob", "failed", None)
    assert data["columns"] == [c.name for c in cohort.columns(ranked.rows)]


def test_the_terminal_table_is_one_line_per_row_with_control_characters_escaped() -> None:
    table = [
        Row("ok", "preserved", rows.GRADED, "fine", 1.0, levels=(("verification", 3),)),
        Row("evil\x1b[2J\nname", "changed", rows.GRADED, "why\nnot " + "x" * 200, 1.0),
        rows.without_report("crashed", rows.FAILED, "refactor-check was killed", 1.0),
        rows.without_report("stuck", rows.BAD_INPUT, "golden suite fails", 1.0),
    ]
    gates = level_gate.parse_all(["verification=3"])
    below = {"evil\x1b[2J\nname": level_gate.failed_levels(gates, {})}
    lines = cohort_text.render(table, [Path("out/cohort.csv")], gates, below, width=100)
    assert lines[0] == "cohort: 1 preserved, 1 changed, 2 error"
    assert lines[1].split() == ["#", "candidate", "verdict", "verification", "total", "reason"]
    assert lines[2].split()[:4] == ["1", "ok", "preserved", "3"]
    assert "\x1b" not in "\n".join(lines) and "evil\\x1b[2J name" in lines[3]
    assert all(len(line) <= 100 for line in lines[1:6]) and lines[3].endswith("…")
    assert lines[6].startswith("order: ranked by verdict")
    assert lines[7:11] == [
        "refactor-check failed on 1 submission(s):",
        "  crashed: refactor-check was killed",
        "bad input stopped the grading of 1 submission(s):",
        "  stuck: golden suite fails",
    ]
    assert lines[11:] == [
        "gates: --fail-under-level verification=3: 1 submission(s) below:",
        "  evil\\x1b[2J name: verification not measured, needs level 3",
        "wrote: out/cohort.csv",
    ]
