from datetime import date, timedelta

import pytest
from desk import FINE_CAP, Desk, LoanRefused

from tests.shelf import MONDAY, stocked_desk


def test_a_loan_runs_for_the_items_kind_and_is_logged():
    desk = stocked_desk()
    assert desk.lend("ann", "b1", MONDAY) == date(2024, 3, 25)
    assert desk.lend("ann", "D1", MONDAY) == date(2024, 3, 11)
    assert desk.log == ["lent B1 to ann until 2024-03-25", "lent D1 to ann until 2024-03-11"]
    assert desk.loans[("ann", "B1")] == [date(2024, 3, 25), 0]
    assert desk.catalog.find("B1").out == 1
    assert desk.register.get("ann").loans == ["B1", "D1"]


def test_a_desk_of_its_own_starts_empty():
    desk = Desk()
    assert desk.catalog.items == {} and desk.register.members == {}
    assert desk.loans == {} and desk.log == []


def test_staff_borrow_for_twice_as_long():
    desk = stocked_desk()
    assert desk.lend("cy", "M1", MONDAY) == date(2024, 3, 18)


def test_a_loan_due_on_a_sunday_falls_due_on_the_monday():
    desk = stocked_desk()
    sunday = date(2024, 3, 3)
    assert desk.due_date("D1", "ann", sunday) == date(2024, 3, 11)
    assert desk.lend("ann", "B2", date(2024, 3, 17)) == date(2024, 4, 8)


def test_reference_items_stay_in_the_building():
    desk = stocked_desk()
    with pytest.raises(LoanRefused) as raised:
        desk.lend("ann", "R1", MONDAY)
    assert str(raised.value) == "reference only"
    assert desk.log == ["refused R1 ann: reference only"]
    with pytest.raises(LoanRefused) as hold:
        desk.hold("ann", "R1")
    assert str(hold.value) == "reference only"


def test_a_blocked_member_is_refused_and_it_is_logged():
    desk = stocked_desk()
    desk.register.join("ed", "Ed", balance=800)
    with pytest.raises(LoanRefused) as raised:
        desk.lend("ed", "B1", MONDAY)
    assert str(raised.value) == "blocked"
    assert desk.log == ["refused B1 ed: blocked"]


def test_a_guest_may_have_two_items_out():
    desk = stocked_desk()
    desk.lend("di", "B1", MONDAY)
    desk.lend("di", "B2", MONDAY)
    with pytest.raises(LoanRefused) as raised:
        desk.lend("di", "D1", MONDAY)
    assert str(raised.value) == "limit"


def test_the_same_item_twice_and_an_empty_shelf():
    desk = stocked_desk()
    desk.lend("ann", "B2", MONDAY)
    with pytest.raises(LoanRefused) as twice:
        desk.lend("ann", "B2", MONDAY)
    assert str(twice.value) == "already on loan to ann"
    with pytest.raises(LoanRefused) as empty:
        desk.lend("bo", "B2", MONDAY)
    assert str(empty.value) == "none on the shelf"


def test_the_member_first_in_the_queue_waits_for_a_copy():
    desk = stocked_desk()
    desk.lend("ann", "B2", MONDAY)
    desk.hold("bo", "B2")
    with pytest.raises(LoanRefused) as empty:
        desk.lend("bo", "B2", MONDAY)
    assert str(empty.value) == "none on the shelf"
    assert desk.catalog.find("B2").holds == ["bo"]
    desk.give_back("ann", "B2", MONDAY)
    with pytest.raises(LoanRefused) as held:
        desk.lend("cy", "B2", MONDAY)
    assert str(held.value) == "held for bo"
    assert desk.log[-1] == "refused B2 cy: held"


def test_holds_queue_members_and_keep_copies_for_them():
    desk = stocked_desk()
    desk.lend("ann", "B2", MONDAY)
    assert desk.hold("bo", "B2") == 1
    assert desk.hold("cy", "B2") == 2
    assert desk.hold("bo", "B2") == 1
    desk.give_back("ann", "B2", MONDAY + timedelta(days=3))
    assert desk.log[-1] == "tell bo: B2 is in"
    with pytest.raises(LoanRefused) as held:
        desk.lend("cy", "B2", MONDAY + timedelta(days=4))
    assert str(held.value) == "held for bo"
    desk.lend("bo", "B2", MONDAY + timedelta(days=4))
    assert desk.catalog.find("B2").holds == ["cy"]


def test_a_copy_beyond_the_holds_may_be_lent_to_anyone():
    desk = stocked_desk()
    desk.hold("bo", "B1")
    desk.lend("ann", "B1", MONDAY)
    assert desk.catalog.find("B1").holds == ["bo"]


def test_holding_what_you_have_and_cancelling_a_hold():
    desk = stocked_desk()
    desk.lend("ann", "B2", MONDAY)
    with pytest.raises(LoanRefused) as mine:
        desk.hold("ann", "B2")
    assert str(mine.value) == "already on loan to ann"
    desk.hold("bo", "B2")
    assert desk.cancel_hold("BO", "b2") is True
    assert desk.cancel_hold("bo", "B2") is False
    assert desk.catalog.find("B2").holds == []


def test_returning_on_time_or_within_the_grace_days_costs_nothing():
    desk = stocked_desk()
    due = desk.lend("ann", "B1", MONDAY)
    assert desk.give_back("ann", "B1", due) == 0
    assert desk.log == ["lent B1 to ann until 2024-03-25", "returned B1 from ann"]
    due = desk.lend("ann", "B1", MONDAY)
    assert desk.give_back("ann", "B1", due + timedelta(days=2)) == 0
    assert desk.register.get("ann").fines == 0
    assert desk.catalog.find("B1").out == 0 and desk.register.get("ann").loans == []


def test_past_the_grace_days_every_day_late_is_charged():
    desk = stocked_desk()
    due = desk.lend("ann", "B1", MONDAY)
    assert desk.give_back("ann", "B1", due + timedelta(days=3)) == 60
    assert desk.register.get("ann").fines == 60
    assert desk.log[-2:] == ["fined ann 60 for B1", "returned B1 from ann"]


def test_fines_are_capped_and_shared_by_tier():
    desk = stocked_desk()
    for member in ("ann", "bo", "cy"):
        desk.lend(member, "D1" if member == "ann" else "B1", MONDAY)
    assert desk.give_back("ann", "D1", date(2024, 5, 1)) == FINE_CAP
    student = desk.give_back("bo", "B1", date(2024, 4, 5))
    assert student == 110 and type(student) is int
    assert desk.give_back("cy", "B1", date(2024, 6, 1)) == 0


def test_returning_what_was_not_borrowed():
    desk = stocked_desk()
    with pytest.raises(KeyError) as raised:
        desk.give_back("ann", "B1", MONDAY)
    assert raised.value.args == ("ann has not borrowed B1",)
    with pytest.raises(KeyError) as renewed:
        desk.renew("Ann", "b1", MONDAY)
    assert renewed.value.args == ("ann has not borrowed B1",)


def test_a_renewal_runs_from_the_old_due_date_twice_at_most():
    desk = stocked_desk()
    desk.lend("ann", "D1", MONDAY)
    assert desk.renew("ann", "D1", MONDAY) == date(2024, 3, 18)
    assert desk.renew("ann", "D1", MONDAY + timedelta(days=2)) == date(2024, 3, 25)
    with pytest.raises(LoanRefused) as raised:
        desk.renew("ann", "D1", MONDAY)
    assert str(raised.value) == "renewed too often"
    assert desk.log[-1] == "renewed D1 for ann until 2024-03-25"


def test_no_renewal_when_overdue_held_or_blocked():
    desk = stocked_desk()
    due = desk.lend("ann", "D1", MONDAY)
    with pytest.raises(LoanRefused) as overdue:
        desk.renew("ann", "D1", due + timedelta(days=1))
    assert str(overdue.value) == "overdue"
    desk.hold("bo", "D1")
    with pytest.raises(LoanRefused) as held:
        desk.renew("ann", "D1", due)
    assert str(held.value) == "held for bo"
    desk.lend("bo", "B2", MONDAY)
    desk.register.get("bo").fines = 900
    with pytest.raises(LoanRefused) as blocked:
        desk.renew("bo", "B2", MONDAY)
    assert str(blocked.value) == "blocked"


def test_overdue_lists_the_latest_first():
    desk = stocked_desk()
    desk.lend("bo", "D1", MONDAY)
    desk.lend("ann", "M1", MONDAY)
    assert desk.overdue(date(2024, 3, 11)) == []
    assert desk.overdue(date(2024, 3, 12)) == [("ann", "M1", 1), ("bo", "D1", 1)]
    assert desk.overdue(date(2024, 3, 20)) == [("ann", "M1", 9), ("bo", "D1", 9)]
    desk.lend("ann", "B2", date(2024, 3, 3))
    desk.lend("ann", "B1", MONDAY)
    desk.lend("bo", "B1", date(2024, 3, 3))
    assert desk.overdue(date(2024, 4, 1)) == [
        ("ann", "M1", 21),
        ("bo", "D1", 21),
        ("ann", "B1", 7),
        ("ann", "B2", 7),
        ("bo", "B1", 7),
    ]
    assert desk.on_loan("ann") == [
        ("M1", date(2024, 3, 11)),
        ("B2", date(2024, 3, 25)),
        ("B1", date(2024, 3, 25)),
    ]
