"""`refactor-check batch` on the invoice exercise's example submissions: the verdicts the
examples' README gives them, in the committee's order.

The invoice examples cover every kind: clean refactors with and without tests of their own, a
golden failure, a package that does not import, and a change only differential testing finds
(golden_gap). Mutation testing is off (it never changes a verdict; test_shard.py covers its
columns); differential testing replays the recorded calls and sweeps them whole, but
generates no random programs (--differential-examples 0, default 50): golden_gap is found by
the sweep, and the random programs would cost a few seconds per candidate.
benchmarks/examples.py grades every exercise's examples with the full default pipeline.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from benchmarks.examples import expected_verdicts, make_cohort, read_cohort, unlisted
from refactor_check.batch import ranking
from refactor_check.batch.rows import Row

from .conftest import EXAMPLES, GOLDEN_REPOS, CliResult
from .test_batch import batch_cli

EXERCISE = "invoice"
BUDGET = ("--no-mutation", "--differential-examples", "0")


@pytest.fixture(scope="module")
def invoice_batch(tmp_path_factory: pytest.TempPathFactory) -> CliResult:
    """The invoice examples graded once, for every test of the cohort they make."""
    root = tmp_path_factory.mktemp("invoice-batch")
    cohort = make_cohort(EXERCISE, root / "cohort")
    result = batch_cli(root, cohort, "--golden", GOLDEN_REPOS / EXERCISE, *BUDGET, "--jobs", "2")
    assert result.code == 0, result.stdout + result.stderr
    return result


def test_the_invoice_examples_are_graded_into_a_cohort_with_their_verdicts(
    invoice_batch: CliResult,
) -> None:
    expected = expected_verdicts(EXERCISE)
    assert {"clean_refactor", "breaks_golden", "golden_gap", "syntax_error"} <= set(expected)
    assert set(expected.values()) == {"preserved", "changed"}
    out = invoice_batch.out

    table = read_cohort(out)
    assert {r["candidate"]: r["verdict"] for r in table} == expected
    by_name = {r["candidate"]: r for r in table}
    gap = by_name["golden_gap"]
    assert gap["golden_passed"] == gap["golden_total"] == "40"  # the golden tests miss it
    assert int(gap["differential_mismatches"]) >= 1 and "differential_mismatch" in gap["reason"]
    broken = by_name["breaks_golden"]
    assert int(broken["golden_passed"]) < int(broken["golden_total"])
    assert by_name["syntax_error"]["golden_passed"] == ""  # its suite never ran
    for name, verdict in expected.items():
        if verdict == "preserved":
            assert by_name[name]["differential_mismatches"] == "0", name

    # The committee's order: the rows as batch.json keeps them, sorted by the table's key,
    # preserved first and the changed submission whose suite never ran last.
    manifest = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    kept = [Row.from_json(r) for r in manifest["candidates"]]
    assert [r.candidate for r in kept] == [r["candidate"] for r in table]
    assert list(ranking.rank(kept).rows) == kept
    verdicts = [r["verdict"] for r in table]
    assert verdicts == sorted(verdicts, key=["preserved", "changed"].index)
    assert table[-1]["candidate"] == "syntax_error"
    for name in expected:
        assert (out / name / "report.json").is_file() and (out / name / "grading.log").is_file()


def test_without_mutation_testing_a_candidate_with_tests_is_not_ranked_below_one_without(
    invoice_batch: CliResult,
) -> None:
    # With mutation testing off, nothing measures Verification for a candidate with tests,
    # while no_tests is measured at level 1 (it wrote none) and so has a total: the total is
    # left out of the ranking and said so, and the levels both have rank them.
    table = read_cohort(invoice_batch.out)
    names = [r["candidate"] for r in table]
    assert names.index("clean_refactor") < names.index("no_tests")
    by_name = {r["candidate"]: r for r in table}
    assert (
        by_name["no_tests"]["scorecard_total"] and not by_name["clean_refactor"]["scorecard_total"]
    )
    note = "scorecard total and verification level not measured for "
    assert note in by_name["clean_refactor"]["ranking_note"]
    assert "preserved by stewardship level" in by_name["no_tests"]["ranking_note"]
    stdout = invoice_batch.stdout
    assert "order: ranked by verdict" in stdout and note in stdout
    assert "mutation score not measured" in stdout
    page = (invoice_batch.out / "cohort.html").read_text(encoding="utf-8")
    assert note in page and page.index(">clean_refactor<") < page.index(">no_tests<")
    # The changed row of a differential finding shows the call, linked to the finding.
    gap = json.loads((invoice_batch.out / "golden_gap" / "report.json").read_text("utf-8"))
    call = next(f["call"] for f in gap["findings"] if f["kind"] == "differential_mismatch")
    link = 'href="golden_gap/report.html#finding-differential_mismatch-0"'
    shown = page.split(link + ">", 1)[1].split("</pre>", 1)[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)).strip() == call


# examples/<exercise>/ for each built-in exercise (examples/history/ holds a builder instead).
EXERCISES = sorted(p.name for p in EXAMPLES.iterdir() if (GOLDEN_REPOS / p.name).is_dir())


def test_every_example_folder_is_an_exercise_or_the_history_builder() -> None:
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir()}
    assert folders == {*EXERCISES, "history"} and len(EXERCISES) >= 4


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_example_has_an_expected_verdict_in_its_readme(exercise: str) -> None:
    assert unlisted(exercise) == []
