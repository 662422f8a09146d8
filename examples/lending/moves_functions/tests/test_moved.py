"""The fine rule and the money format, pinned through the names callers import before the
move (notices.fine_if_returned, notices.money), and the desk charging what notices quote."""

from datetime import timedelta

import pytest
from notices import fine_if_returned, money

from tests.shelf import MONDAY, stocked_desk


@pytest.mark.parametrize(
    "kind, days, tier, fine",
    [
        ("book", 2, "standard", 0),
        ("book", 3, "standard", 60),
        ("dvd", 10, "standard", 1000),
        ("dvd", 11, "standard", 1000),
        ("magazine", 5, "student", 25),
        ("book", 30, "staff", 0),
        ("reference", 9, "standard", 0),
    ],
)
def test_the_fine_rule(kind, days, tier, fine):
    assert fine_if_returned(kind, days, tier) == fine


@pytest.mark.parametrize("late", [0, 2, 3, 9, 60])
@pytest.mark.parametrize("member", ["ann", "bo", "cy"])
def test_the_desk_charges_what_a_notice_quotes(member, late):
    desk = stocked_desk()
    due = desk.lend(member, "D1", MONDAY)
    tier = desk.register.get(member).tier
    assert desk.give_back(member, "D1", due + timedelta(days=late)) == fine_if_returned(
        "dvd", late, tier
    )


@pytest.mark.parametrize(
    "cents, text", [(0, "0.00"), (7, "0.07"), (100, "1.00"), (-5, "-0.05"), (-250, "-2.50")]
)
def test_money(cents, text):
    assert money(cents) == text
