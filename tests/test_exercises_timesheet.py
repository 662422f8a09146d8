"""The `timesheet` exercise (a parser of a small text format and the reports built from it)
and its examples, graded through the CLI as users do."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLES, GOLDEN_REPOS
from .test_exercises_shared import Expected, grade, own_tests_on_original, python_call

EXERCISE = "timesheet"

EXPECTED = [
    Expected("clean_refactor", 0, "preserved"),
    Expected("aggressive_rewrite", 0, "preserved"),
    Expected(
        "breaks_golden",
        1,
        "changed",
        frozenset({"tests/test_parse.py::test_an_entry_of_exactly_sixteen_hours_is_allowed"}),
    ),
    # The golden suite cannot see this one: that is what the example is for.
    Expected("golden_gap", 0, "preserved"),
]

# A week of exactly the 40 hours the limit allows.
FULL_WEEK = """
from timesheet import parse_sheet, render_summary, weekly_overtime
entries = parse_sheet("".join("2024-03-0%d 08:00-16:00 acme\\n" % day for day in range(4, 9)))
print(weekly_overtime(entries))
print(render_summary(entries).splitlines()[-1])
"""


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.example)
def test_examples_grade_as_their_readme_says(cli, expected: Expected) -> None:
    grade(cli, EXERCISE, expected)


def test_the_golden_gap_change_is_visible_to_a_caller() -> None:
    original = python_call(GOLDEN_REPOS / EXERCISE / "original", FULL_WEEK)
    changed = python_call(EXAMPLES / EXERCISE / "golden_gap", FULL_WEEK)
    assert original == (
        "[{'week': '2024-W10', 'hours': 40.0, 'overtime': 0.0, 'over': False}]\n"
        "TOTAL                      40.00\n"
    )
    assert changed == (
        "[{'week': '2024-W10', 'hours': 40.0, 'overtime': 0.0, 'over': True}]\n"
        "  2024-W10     0.00 h\n"
    )


@pytest.mark.parametrize("example", ["clean_refactor", "aggressive_rewrite"])
def test_the_refactors_tests_were_written_against_the_original(example: str) -> None:
    completed = own_tests_on_original(EXERCISE, example)
    assert completed.returncode == 0, completed.stdout
    assert {"clean_refactor": "20 passed", "aggressive_rewrite": "12 passed"}[example] in (
        completed.stdout
    )
