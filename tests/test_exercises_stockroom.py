"""The `stockroom` exercise (a stock ledger with holds, an injected clock and a stock sheet)
and its examples, graded through the CLI as users do."""

from __future__ import annotations

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
