"""The `logreport` exercise (an access-log parser and report) and its examples."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLES, GOLDEN_REPOS
from .test_exercises_shared import Expected, grade, own_tests_on_original, python_call

EXERCISE = "logreport"

EXPECTED = [
    Expected("clean_refactor", 0, "preserved"),
    Expected(
        "breaks_golden",
        1,
        "changed",
        frozenset({"tests/test_paths_and_numbers.py::test_percentiles_use_the_nearest_rank"}),
    ),
    # The golden suite cannot see this one: that is what the example is for.
    Expected("golden_gap", 0, "preserved"),
]

# Two clients with one request each: a tie, first seen in the opposite order to their address.
TIED_CLIENTS = """
from weblog import render_report, summarize
s = summarize([
    "2024-05-06 08:00:00 10.0.0.9 GET /a 200 1ms 1",
    "2024-05-06 08:00:01 10.0.0.1 GET /a 200 1ms 1",
])
print(render_report(s).split("top clients:")[1].split())
"""


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.example)
def test_examples_grade_as_their_readme_says(cli, expected: Expected) -> None:
    grade(cli, EXERCISE, expected)


def test_the_golden_gap_change_is_visible_to_a_caller() -> None:
    original = python_call(GOLDEN_REPOS / EXERCISE / "original", TIED_CLIENTS)
    changed = python_call(EXAMPLES / EXERCISE / "golden_gap", TIED_CLIENTS)
    assert original == "['10.0.0.1', '1', '10.0.0.9', '1']\n"
    assert changed == "['10.0.0.9', '1', '10.0.0.1', '1']\n"


def test_the_clean_refactor_tests_were_written_against_the_original() -> None:
    completed = own_tests_on_original(EXERCISE, "clean_refactor")
    assert completed.returncode == 0, completed.stdout
    assert "26 passed" in completed.stdout
