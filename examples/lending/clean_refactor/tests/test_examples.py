# Examples of how the branch uses the desk; the starter repo ships these.
from datetime import date

from notices import money

from tests.shelf import MONDAY, stocked_desk


def test_a_book_goes_out_for_three_weeks():
    desk = stocked_desk()
    assert desk.lend("ann", "B1", MONDAY) == date(2024, 3, 25)


def test_a_late_return_is_fined():
    desk = stocked_desk()
    desk.lend("ann", "B1", MONDAY)
    assert desk.give_back("ann", "B1", date(2024, 4, 1)) == 140
    assert money(desk.register.get("ann").fines) == "1.40"
