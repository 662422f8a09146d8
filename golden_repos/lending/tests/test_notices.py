from datetime import date

from members import Member
from notices import fine_if_returned, money, overdue_notice, statement

from tests.shelf import MONDAY, stocked_desk


def test_money_is_written_in_pounds_and_pence():
    assert [money(c) for c in (0, 5, 120, 123456, -75)] == [
        "0.00",
        "0.05",
        "1.20",
        "1234.56",
        "-0.75",
    ]


def test_the_fine_a_notice_quotes_is_the_fine_the_desk_charges():
    assert fine_if_returned("book", 2, "standard") == 0
    assert fine_if_returned("book", 3, "standard") == 60
    assert fine_if_returned("dvd", 40, "standard") == 1000
    assert fine_if_returned("book", 11, "student") == 110
    assert type(fine_if_returned("magazine", 7, "student")) is int
    assert fine_if_returned("reference", 30, "standard") == 0


def test_an_overdue_notice_lists_what_is_late_and_what_it_costs():
    desk = stocked_desk()
    desk.lend("ann", "D1", MONDAY)
    desk.lend("ann", "B1", MONDAY)
    assert overdue_notice(desk, "ann", date(2024, 3, 20)) == "\n".join(
        [
            "             OVERDUE NOTICE             ",
            "========================================",
            "To: Ann Archer (ann)",
            "On: 2024-03-20",
            "----------------------------------------",
            "Hidden Figures            9d        9.00",
            "----------------------------------------",
            "If returned today                   9.00",
        ]
    )


def test_a_notice_shortens_long_titles_and_warns_of_a_block():
    desk = stocked_desk()
    desk.lend("ann", "B1", MONDAY)
    desk.register.get("ann").fines = 450
    notice = overdue_notice(desk, "ann", date(2024, 4, 20))
    assert notice.splitlines()[5:] == [
        "The Pragmatic Program~   26d        5.20",
        "----------------------------------------",
        "If returned today                   5.20",
        "Already owed                        4.50",
        "Borrowing stops until fines are paid.",
    ]


def test_owing_a_penny_is_owing_and_the_block_starts_at_five_pounds():
    desk = stocked_desk()
    desk.lend("ann", "M1", MONDAY)
    desk.register.get("ann").fines = 1
    assert overdue_notice(desk, "ann", date(2024, 3, 16)).splitlines()[-2:] == [
        "If returned today                   0.50",
        "Already owed                        0.01",
    ]
    desk.register.get("ann").fines = 450
    assert overdue_notice(desk, "ann", date(2024, 3, 16)).splitlines()[-1] == (
        "Borrowing stops until fines are paid."
    )


def test_no_notice_when_nothing_is_late():
    desk = stocked_desk()
    desk.lend("ann", "B1", MONDAY)
    assert overdue_notice(desk, "ann", MONDAY) is None
    assert overdue_notice(desk, "bo", date(2024, 5, 1)) is None


def test_a_statement_of_account():
    desk = stocked_desk()
    desk.lend("bo", "B2", MONDAY)
    bo = desk.register.get("bo")
    assert statement(bo, desk.on_loan("bo")) == "\n".join(
        [
            "STATEMENT FOR BO BRAND",
            "member: bo   tier: student",
            "nothing owed",
            "on loan:",
            "  B2         due 2024-03-25",
        ]
    )


def test_a_statement_says_what_is_owed_and_when_it_blocks():
    assert statement(Member("ed", "Ed", balance=75)).splitlines()[2:] == [
        "owed: 0.75",
        "on loan: none",
    ]
    assert statement(Member("ed", "Ed", balance=1250)).splitlines()[2] == "owed: 12.50 (BLOCKED)"
