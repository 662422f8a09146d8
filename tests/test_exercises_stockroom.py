"""The `stockroom` exercise (a stock ledger with holds, an injected clock and a stock sheet)
and its examples, graded through the CLI as users do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES, GOLDEN_REPOS
from .test_exercises_shared import Expected, grade, own_tests_on_original, python_call

EXERCISE = "stockroom"

EXPECTED = [
    Expected("clean_refactor", 0, "preserved"),
    Expected("aggressive_rewrite", 0, "preserved"),
    Expected(
        "breaks_golden",
        1,
        "changed",
        frozenset(
            {
                "tests/test_reports.py::test_the_stock_sheet",
                "tests/test_reports.py::test_the_stock_sheet_with_its_lots",
            }
        ),
    ),
    # The golden suite cannot see this one: that is what the example is for.
    Expected("golden_gap", 0, "preserved"),
]

# A hold looked at exactly hold_seconds after it was made.
AT_THE_DEADLINE = """
from stockroom import Stockroom

class Clock:
    now = 0.0

    def __call__(self):
        return self.now

clock = Clock()
room = Stockroom(clock=clock, hold_seconds=60)
room.receive("nut", 10, "0.20")
room.reserve("A", [{"sku": "nut", "qty": 10}])
clock.now = 60.0
print(room.available("nut"), room.closed, room.expired)
print(room.report().splitlines()[-1])
"""


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.example)
def test_examples_grade_as_their_readme_says(cli, expected: Expected) -> None:
    grade(cli, EXERCISE, expected)


def test_the_golden_gap_change_is_visible_to_a_caller() -> None:
    original = python_call(GOLDEN_REPOS / EXERCISE / "original", AT_THE_DEADLINE)
    changed = python_call(EXAMPLES / EXERCISE / "golden_gap", AT_THE_DEADLINE)
    assert original == (
        "10 {'A': 'expired'} 1\nholds: 0 live, 1 expired; 0 shipped, cost of goods 0.00\n"
    )
    assert changed == "0 {} 0\nholds: 1 live, 0 expired; 0 shipped, cost of goods 0.00\n"


@pytest.mark.parametrize("example", ["clean_refactor", "aggressive_rewrite"])
def test_the_refactors_tests_were_written_against_the_original(example: str) -> None:
    completed = own_tests_on_original(EXERCISE, example)
    assert completed.returncode == 0, completed.stdout
    assert {"clean_refactor": "15 passed", "aggressive_rewrite": "17 passed"}[example] in (
        completed.stdout
    )


def _without_probes(tmp_path: Path, name: str, differential: str = "") -> Path:
    """A copy of the golden repo as a hiring team's first candidate meets it: no shipped
    probes (and ``differential``, a [differential] table, appended to its exercise.toml)."""
    golden = tmp_path / name
    shutil.copytree(GOLDEN_REPOS / EXERCISE, golden)
    (golden / "differential_probes.json").unlink()
    if differential:
        toml = golden / "exercise.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + differential, encoding="utf-8")
    return golden


def test_a_changed_rounding_mode_is_found_by_what_the_code_rounds(cli, tmp_path: Path) -> None:
    """The clean refactor rounding cents half to even: every golden test passes, and no
    recorded or swept input lands on half a cent. Comparison feedback logs what the stock
    sheet rounds and steers a unit cost so that its lot's value lies exactly half a cent
    between two roundings (4 x 0.10125 = 0.405); without it the change is missed."""
    candidate = tmp_path / "half_even"
    shutil.copytree(EXAMPLES / EXERCISE / "clean_refactor", candidate)
    money = candidate / "stockroom" / "money.py"
    money.write_text(money.read_text().replace("ROUND_HALF_UP", "ROUND_HALF_EVEN"))
    found = cli("run", candidate, "--golden", _without_probes(tmp_path, "g"), "--no-mutation")
    assert found.code == 1, found.stdout + found.stderr
    mismatches = [f for f in found.report["findings"] if f["kind"] == "differential_mismatch"]
    assert mismatches, found.report["findings"]
    counterexample = found.report["differential"]["counterexamples"][0]
    assert "steered onto a comparison" in counterexample["origin"]
    without = _without_probes(tmp_path, "g0", "\n[differential]\ncomparison_calls = 0\n")
    missed = cli("run", candidate, "--golden", without, "--no-mutation")
    assert missed.code == 0, missed.stdout + missed.stderr
    assert missed.report["verdict"] == "preserved"
