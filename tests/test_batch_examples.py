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

import json
from pathlib import Path

import pytest

from benchmarks.examples import expected_verdicts, make_cohort, read_cohort, unlisted
from refactor_check.batch import rows
from refactor_check.batch.rows import Row

from .conftest import EXAMPLES, GOLDEN_REPOS

EXERCISE = "invoice"
BUDGET = ("--no-mutation", "--differential-examples", "0")


def test_the_invoice_examples_are_graded_into_a_cohort_with_their_verdicts(
    cli, tmp_path: Path
) -> None:
    expected = expected_verdicts(EXERCISE)
    assert {"clean_refactor", "breaks_golden", "golden_gap", "syntax_error"} <= set(expected)
    assert set(expected.values()) == {"preserved", "changed"}
    cohort = make_cohort(EXERCISE, tmp_path / "cohort")
    out = tmp_path / "out"
    result = cli(
        "batch", cohort, "--golden", GOLDEN_REPOS / EXERCISE, "--out", out, *BUDGET,
        "--jobs", "2", timeout=600,
    )  # fmt: skip
    assert result.code == 0, result.stdout + result.stderr

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
    assert kept == sorted(kept, key=rows.sort_key)
    verdicts = [r["verdict"] for r in table]
    assert verdicts == sorted(verdicts, key=["preserved", "changed"].index)
    assert table[-1]["candidate"] == "syntax_error"
    for name in expected:
        assert (out / name / "report.json").is_file() and (out / name / "grading.log").is_file()


@pytest.mark.parametrize("exercise", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_every_example_has_an_expected_verdict_in_its_readme(exercise: str) -> None:
    assert unlisted(exercise) == []
