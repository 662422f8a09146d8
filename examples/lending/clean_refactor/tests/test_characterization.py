"""Characterization tests, written against the original modules before refactoring.

They pin what the branch's scripts can see (return values and their types, exceptions and
their messages, the day book, the notices to the character, and the lists and counters the
desk changes in place), with the boundaries spelt out: the last grace day, fines of exactly
BLOCK_AT, titles of exactly the column's width, a due date falling on a Sunday. A few pin
corners found by reading the code that look like accidents but are behaviour all the same
(a queued member who borrows keeps their place, a suspended member may renew, ...).
"""

from datetime import date, timedelta

import pytest
from catalog import Catalog, Item
from desk import FINE_CAP, GRACE_DAYS, MAX_RENEWALS, Desk, LoanRefused
from members import BLOCK_AT, Member, Register
from notices import fine_if_returned, money, overdue_notice, statement

from tests.shelf import MONDAY, stocked_desk

SATURDAY = date(2024, 3, 2)
SUNDAY = date(2024, 3, 3)


def days(n):
    return timedelta(days=n)


def desk_with(*items, tier="standard", balance=0):
    """A desk owning the given items, with one member, ann, of the given tier."""
    register = Register()
    register.join("ann", "Ann Archer", tier, balance)
    return Desk(Catalog(list(items)), register)


def refusal(call, *args):
    with pytest.raises(LoanRefused) as raised:
        call(*args)
    return str(raised.value)


# -- catalog --------------------------------------------------------------------------------


def test_an_items_code_is_cleaned_and_copies_must_be_a_real_int():
    item = Item("  m3 ", " Wired  ", kind="magazine", copies=4)
    assert (item.code, item.title, item.copies, item.out, item.holds) == ("M3", "Wired", 4, 0, [])
    assert repr(item) == "Item('M3', 'Wired', magazine, 4/4)"
    with pytest.raises(ValueError) as raised:
        Item("M3", "Wired", copies=True)
    assert str(raised.value) == "copies must be a positive whole number"


def test_more_out_than_owned_shows_none_available_but_withdraw_sees_the_shortfall():
    catalog = Catalog([Item("B7", "Dune", copies=2)])
    item = catalog.find("B7")
    item.out = 3
    assert item.available() == 0 and type(item.available()) is int
    assert repr(item) == "Item('B7', 'Dune', book, 0/2)"
    with pytest.raises(ValueError) as raised:
        catalog.withdraw("B7")
    assert str(raised.value) == "only -1 copies of B7 are on the shelf"


def test_adding_a_title_again_returns_the_item_already_there_with_the_copies_added():
    first = Item("B7", "Dune", copies=2)
    catalog = Catalog([first])
    again = Item(" b7", "dUNE", copies=3)
    assert catalog.add(again) is first
    assert (first.copies, first.title, again.copies) == (5, "Dune", 3)
    assert catalog.items == {"B7": first}
    assert catalog.add(Item("B8", "Emma")).code == "B8"
    assert list(catalog.items) == ["B7", "B8"]


def test_search_matches_parts_of_words_and_breaks_title_ties_by_code():
    catalog = Catalog(
        [
            Item("B9", "dune"),
            Item("B2", "Dune"),
            Item("D4", "Dune", kind="dvd"),
            Item("B5", "Children of Dune", copies=2),
        ]
    )
    assert [i.code for i in catalog.search("UN")] == ["B5", "B2", "B9", "D4"]
    assert [i.code for i in catalog.search("dune of")] == ["B5"]
    catalog.find("B2").out = 1
    catalog.find("B5").out = 1
    found = catalog.search("dune", kind="book", available_only=True)
    assert [i.code for i in found] == ["B5", "B9"]
    assert catalog.search("dune", kind="magazine") == []


def test_withdrawing_everything_on_the_shelf_keeps_the_item_while_copies_are_out():
    catalog = Catalog([Item("B7", "Dune", copies=3)])
    catalog.find("B7").out = 1
    assert catalog.withdraw(" b7 ", 2) == 1
    assert "B7" in catalog.items
    with pytest.raises(KeyError) as raised:
        catalog.withdraw("B8")
    assert raised.value.args == ("no item B8",)


# -- members --------------------------------------------------------------------------------


def test_standing_changes_exactly_at_block_at():
    assert BLOCK_AT == 500
    assert Member("a", "A", balance=1).standing() == "owes"
    assert Member("a", "A", balance=BLOCK_AT - 1).can_borrow() == (True, "ok")
    at_block = Member("a", "A", balance=BLOCK_AT)
    assert at_block.standing() == "blocked"
    assert at_block.can_borrow() == (False, "blocked")
    at_block.suspended = True
    assert at_block.can_borrow() == (False, "suspended")


def test_the_loan_limit_counts_the_loans_list():
    member = Member("a", "A")
    member.loans = ["X"] * 4
    assert member.can_borrow() == (True, "ok")
    member.loans.append("Y")
    assert member.can_borrow() == (False, "limit")
    assert Member("s", "S", "Staff").limit() == 20


def test_paying_exactly_what_is_owed_clears_it_with_no_change():
    member = Member("a", "A", balance=300)
    change = member.pay(300)
    assert (change, member.fines, member.standing()) == (0, 0, "good")
    assert type(change) is int
    with pytest.raises(TypeError) as raised:
        member.pay(True)
    assert str(raised.value) == "pay in whole cents"
    with pytest.raises(ValueError):
        member.pay(-5)


def test_suspending_stores_a_bool_and_returns_what_it_was():
    register = Register()
    register.join("ann", "Ann Archer")
    assert register.suspend(" ANN", "yes") is False
    assert register.get("ann").suspended is True
    assert register.suspend("ann", "") is True
    assert register.get("ann").suspended is False
    assert register.suspend("ann", flag=False) is False


def test_joining_cleans_the_id_before_looking_for_a_duplicate():
    register = Register()
    register.join("Bo", "Bo Brand", "GUEST", 40)
    with pytest.raises(ValueError) as raised:
        register.join(" bo ", "Another Bo")
    assert str(raised.value) == "member bo has already joined"
    with pytest.raises(ValueError) as bad_tier:
        register.join("cy", "Cy", "Vip")
    assert str(bad_tier.value) == "unknown tier: vip"
    register.join("al", "Al", balance=40)
    register.join("zo", "Zo", balance=900)
    assert [m.member_id for m in register.owing()] == ["zo", "al", "bo"]


# -- the desk -------------------------------------------------------------------------------


def test_a_loan_that_would_end_on_a_sunday_ends_on_the_monday():
    desk = stocked_desk()
    assert desk.due_date("b2", "ANN", SUNDAY) == date(2024, 3, 25)
    assert desk.due_date("B2", "ann", SATURDAY) == date(2024, 3, 23)
    assert desk.due_date("M1", "cy", SUNDAY + days(7)) == date(2024, 3, 25)
    assert desk.lend("bo", "D1", SUNDAY) == date(2024, 3, 11)
    assert desk.loans[("bo", "D1")] == [date(2024, 3, 11), 0]


def test_the_member_is_checked_before_the_item_and_only_some_refusals_are_logged():
    desk = stocked_desk()
    desk.register.suspend("di")
    assert refusal(desk.lend, "di", "R1", MONDAY) == "suspended"
    desk.lend("ann", "B2", MONDAY)
    assert refusal(desk.lend, "ann", "B2", MONDAY) == "already on loan to ann"
    assert refusal(desk.lend, "bo", "B2", MONDAY) == "none on the shelf"
    assert desk.log == ["refused R1 di: suspended", "lent B2 to ann until 2024-03-25"]
    with pytest.raises(KeyError) as raised:
        desk.lend("zed", "B2", MONDAY)
    assert raised.value.args == ("no member zed",)


def test_the_first_in_the_queue_stays_queued_until_a_copy_is_there():
    desk = stocked_desk()
    desk.lend("ann", "D1", MONDAY)
    assert desk.hold("bo", "D1") == 1
    assert refusal(desk.lend, "bo", "D1", MONDAY) == "none on the shelf"
    assert desk.catalog.find("D1").holds == ["bo"]
    desk.give_back("ann", "D1", MONDAY + days(1))
    assert desk.log[-2:] == ["returned D1 from ann", "tell bo: D1 is in"]
    assert desk.catalog.find("D1").holds == ["bo"]
    assert desk.lend("bo", "D1", MONDAY + days(1)) == date(2024, 3, 12)
    assert desk.catalog.find("D1").holds == []


def test_a_member_further_down_the_queue_who_gets_a_spare_copy_keeps_their_place():
    desk = desk_with(Item("B9", "Dune", copies=3))
    desk.register.join("bo", "Bo Brand", "student")
    desk.register.join("cy", "Cy Cole", "staff")
    assert desk.hold("ann", "B9") == 1
    assert desk.hold("bo", "B9") == 2
    desk.lend("bo", "B9", MONDAY)
    assert desk.catalog.find("B9").holds == ["ann", "bo"]
    # already queued wins over already on loan
    assert desk.hold("bo", "B9") == 2
    assert refusal(desk.lend, "cy", "B9", MONDAY) == "held for ann"
    assert desk.log[-1] == "refused B9 cy: held"
    desk.lend("ann", "B9", MONDAY)
    assert desk.catalog.find("B9").holds == ["bo"]
    assert desk.catalog.find("B9").out == 2


def test_returning_on_the_last_grace_day_is_free_and_the_day_after_costs_every_day():
    assert GRACE_DAYS == 2
    desk = stocked_desk()
    due = desk.lend("ann", "B2", MONDAY)
    assert desk.give_back("ann", "B2", due + days(GRACE_DAYS)) == 0
    due = desk.lend("ann", "B2", MONDAY)
    fine = desk.give_back("ann", "B2", due + days(GRACE_DAYS + 1))
    assert fine == 60 and type(fine) is int
    assert desk.register.get("ann").fines == 60
    assert desk.log[-2:] == ["fined ann 60 for B2", "returned B2 from ann"]


def test_the_cap_comes_before_the_members_share_and_a_free_return_logs_no_fine():
    desk = stocked_desk()
    desk.lend("ann", "D1", MONDAY)
    assert desk.give_back("ann", "D1", date(2024, 3, 21)) == FINE_CAP
    desk.lend("bo", "D1", MONDAY)
    assert desk.give_back("bo", "D1", date(2024, 4, 30)) == FINE_CAP // 2
    desk.lend("cy", "M1", MONDAY)
    assert desk.give_back("cy", "M1", date(2024, 6, 1)) == 0
    assert desk.log[-1] == "returned M1 from cy"
    assert desk.register.get("cy").fines == 0
    assert [m.member_id for m in desk.register.owing()] == ["ann", "bo"]


def test_give_back_updates_the_item_the_member_and_the_loans():
    desk = stocked_desk()
    desk.lend("ann", "B1", MONDAY)
    desk.lend("bo", "B1", MONDAY)
    desk.lend("ann", "M1", MONDAY)
    desk.give_back(" ANN", "b1", MONDAY)
    assert desk.catalog.find("B1").out == 1
    assert desk.register.get("ann").loans == ["M1"]
    assert list(desk.loans) == [("bo", "B1"), ("ann", "M1")]
    with pytest.raises(KeyError) as raised:
        desk.give_back("ann", "B1", MONDAY)
    assert raised.value.args == ("ann has not borrowed B1",)


def test_a_renewal_updates_the_loans_list_in_place_and_logs_the_date():
    desk = stocked_desk()
    desk.lend("ann", "M1", MONDAY)
    loan = desk.loans[("ann", "M1")]
    assert desk.renew("ann", "m1", date(2024, 3, 11)) == date(2024, 3, 18)
    assert desk.loans[("ann", "M1")] is loan
    assert loan == [date(2024, 3, 18), 1]
    assert desk.log[-1] == "renewed M1 for ann until 2024-03-18"


def test_renewal_refusals_come_in_a_fixed_order():
    assert MAX_RENEWALS == 2
    desk = stocked_desk()
    due = desk.lend("ann", "D1", MONDAY)
    for _ in range(MAX_RENEWALS):
        due = desk.renew("ann", "D1", MONDAY)
    # overdue is checked before the renewals are counted
    assert refusal(desk.renew, "ann", "D1", due + days(1)) == "overdue"
    desk.hold("bo", "D1")
    # renewed too often before held
    assert refusal(desk.renew, "ann", "D1", due) == "renewed too often"
    desk.lend("ann", "B2", MONDAY)
    desk.hold("cy", "B2")
    desk.register.get("ann").fines = BLOCK_AT
    # held before blocked
    assert refusal(desk.renew, "ann", "B2", MONDAY) == "held for cy"
    desk.cancel_hold("cy", "B2")
    assert refusal(desk.renew, "ann", "B2", MONDAY) == "blocked"
    assert desk.loans[("ann", "B2")] == [date(2024, 3, 25), 0]


def test_a_suspended_member_may_still_renew_on_the_due_date():
    desk = stocked_desk()
    due = desk.lend("bo", "B2", MONDAY)
    desk.register.suspend("bo")
    assert desk.renew("bo", "B2", due) == due + days(21)


def test_holding_refuses_reference_items_first_and_cancelling_is_idempotent():
    desk = stocked_desk()
    desk.lend("ann", "B2", MONDAY)
    with pytest.raises(KeyError):
        desk.hold("zed", "R1")
    assert refusal(desk.hold, "ann", "R1") == "reference only"
    assert desk.hold("cy", "B2") == 1
    assert desk.hold("bo", "b2") == 2
    assert desk.cancel_hold("cy", "B2") is True
    assert desk.hold("bo", "B2") == 1
    assert desk.cancel_hold("cy", "B2") is False
    assert desk.catalog.find("B2").holds == ["bo"]


def test_overdue_rows_tie_by_member_then_code_and_on_loan_keeps_lending_order():
    desk = stocked_desk()
    desk.lend("bo", "M1", MONDAY)
    desk.lend("ann", "D1", MONDAY)
    desk.lend("ann", "B2", SUNDAY - days(13))
    assert desk.overdue(date(2024, 3, 11)) == []
    rows = desk.overdue(date(2024, 3, 12))
    assert rows == [("ann", "B2", 1), ("ann", "D1", 1), ("bo", "M1", 1)]
    assert type(rows[0]) is tuple
    assert desk.on_loan("ann") == [("D1", date(2024, 3, 11)), ("B2", date(2024, 3, 11))]
    assert desk.on_loan("cy") == []


# -- notices --------------------------------------------------------------------------------


def test_money_and_the_quoted_fine_at_their_edges():
    assert [money(c) for c in (7, 100, 99999, -5, -250)] == [
        "0.07",
        "1.00",
        "999.99",
        "-0.05",
        "-2.50",
    ]
    assert fine_if_returned("book", GRACE_DAYS, "standard") == 0
    assert fine_if_returned("dvd", 10, "standard") == FINE_CAP
    assert fine_if_returned("dvd", 11, "guest") == FINE_CAP
    assert fine_if_returned("magazine", 3, "student") == 15
    assert fine_if_returned("cd", 9, "standard") == 0
    # the tier is only looked up once the grace days are over
    assert fine_if_returned("book", 1, "vip") == 0
    with pytest.raises(KeyError):
        fine_if_returned("book", 3, "vip")


def test_a_title_of_exactly_the_column_width_is_kept_and_one_longer_is_cut():
    desk = desk_with(Item("B7", "Clean Architecture Now"), Item("B8", "Clean Architecture Now!"))
    desk.lend("ann", "B8", MONDAY)
    desk.lend("ann", "B7", MONDAY)
    notice = overdue_notice(desk, "ANN", date(2024, 3, 30))
    assert notice == "\n".join(
        [
            "             OVERDUE NOTICE             ",
            "========================================",
            "To: Ann Archer (ann)",
            "On: 2024-03-30",
            "----------------------------------------",
            "Clean Architecture Now    5d        1.00",
            "Clean Architecture No~    5d        1.00",
            "----------------------------------------",
            "If returned today                   2.00",
        ]
    )
    assert all(len(line) <= 40 for line in notice.splitlines())


def test_a_loan_within_its_grace_days_is_listed_at_no_cost():
    desk = desk_with(Item("M5", "Wired", kind="magazine"), tier="student")
    desk.lend("ann", "M5", MONDAY)
    assert overdue_notice(desk, "ann", date(2024, 3, 12)).splitlines()[5:] == [
        "Wired                     1d        0.00",
        "----------------------------------------",
        "If returned today                   0.00",
    ]


def test_the_block_warning_needs_fines_already_owed_and_starts_at_block_at():
    desk = desk_with(Item("D5", "Alien", kind="dvd"))
    desk.lend("ann", "D5", MONDAY)
    today = date(2024, 3, 14)  # 3 days late: 3.00 if returned today
    assert overdue_notice(desk, "ann", date(2024, 4, 1)).splitlines()[-1] == (
        "If returned today                  10.00"
    )
    ann = desk.register.get("ann")
    ann.fines = BLOCK_AT - 301
    assert overdue_notice(desk, "ann", today).splitlines()[-2:] == [
        "If returned today                   3.00",
        "Already owed                        1.99",
    ]
    ann.fines = BLOCK_AT - 300
    assert overdue_notice(desk, "ann", today).splitlines()[-3:] == [
        "If returned today                   3.00",
        "Already owed                        2.00",
        "Borrowing stops until fines are paid.",
    ]


def test_statements_for_each_standing():
    member = Member("Ed", "Ed van Dam", "staff")
    assert statement(member, []) == "\n".join(
        ["STATEMENT FOR ED VAN DAM", "member: ed   tier: staff", "nothing owed", "on loan: none"]
    )
    member.suspended = True
    assert statement(member).splitlines()[2] == "owed: 0.00 (SUSPENDED)"
    member.suspended = False
    member.fines = BLOCK_AT
    loans = [("B1", date(2024, 3, 25)), ("LONGCODE123", date(2024, 4, 1))]
    assert statement(member, loans).splitlines()[2:] == [
        "owed: 5.00 (BLOCKED)",
        "on loan:",
        "  B1         due 2024-03-25",
        "  LONGCODE123 due 2024-04-01",
    ]
