"""The `ratelimit` exercise (a rate limiter with an injected clock) and its examples."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLES, GOLDEN_REPOS
from .test_exercises_shared import Expected, grade, own_tests_on_original, python_call

EXERCISE = "ratelimit"

EXPECTED = [
    Expected("clean_refactor", 0, "preserved"),
    Expected(
        "breaks_golden",
        1,
        "changed",
        frozenset(
            {
                "tests/test_buckets.py::test_retry_after_is_rounded_up_to_tenths_of_a_second",
                "tests/test_bans.py::test_a_ban_ends_and_forgets_the_strikes",
            }
        ),
    ),
    # The golden suite cannot see this one: that is what the example is for.
    Expected("golden_gap", 0, "preserved"),
]

# A ban of 10 s, asked about at the instant it ends.
AT_BAN_END = """
from throttle import Throttle
class Clock:
    now = 0.0
    def __call__(self):
        return self.now
clock = Clock()
limiter = Throttle(clock, strike_limit=1, ban_seconds=10)
limiter.check("x", cost=10)
limiter.check("x", cost=5, strict=True)
clock.now = 10.0
print(limiter.check("x"))
"""


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.example)
def test_examples_grade_as_their_readme_says(cli, expected: Expected) -> None:
    grade(cli, EXERCISE, expected)


def test_the_golden_gap_change_is_visible_to_a_caller() -> None:
    original = python_call(GOLDEN_REPOS / EXERCISE / "original", AT_BAN_END)
    changed = python_call(EXAMPLES / EXERCISE / "golden_gap", AT_BAN_END)
    assert original == "(True, {'reason': 'ok', 'remaining': 1, 'retry_after': 0.0})\n"
    assert changed == "(False, {'reason': 'banned', 'remaining': 0, 'retry_after': 0.0})\n"


def test_the_clean_refactor_tests_were_written_against_the_original() -> None:
    completed = own_tests_on_original(EXERCISE, "clean_refactor")
    assert completed.returncode == 0, completed.stdout
    assert "16 passed" in completed.stdout
