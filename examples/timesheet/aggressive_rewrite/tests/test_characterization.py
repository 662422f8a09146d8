"""Characterization tests, written against the original before the rewrite.

Each pins something a rewrite could easily get wrong: the rounding rule at exactly half a
quarter, the weekly limit itself, ties between clients, the error that wins when a line has
several problems, the rows normalise_entries fixes in place, and a Sheet's bookkeeping.
"""

import pytest

from timesheet import (
    Sheet,
    SheetError,
    client_totals,
    normalise_entries,
    parse_line,
    parse_sheet,
    render_summary,
    round_quarter,
    weekly_overtime,
)


def error_of(line, lineno=1):
    with pytest.raises(SheetError) as info:
        parse_line(line, lineno)
    return str(info.value)


def test_half_a_quarter_rounds_up_and_the_result_is_an_int():
    assert [round_quarter(m) for m in (7.5, 7.499, 22.5, 0.0, -7.5, -7.6)] == [15, 0, 30, 0, 0, -15]
    assert type(round_quarter(7.5)) is int
    assert parse_line("2024-03-04 09:00:00-09:07:30 a")["minutes"] == 15


def test_the_first_problem_of_a_line_is_reported():
    assert error_of("2024-13-01 9-1 :", 3) == "line 3: no such day 2024-13-01"
    assert error_of("2024-03-04 24:00-25:00 :") == "line 1: bad time '24:00'"
    assert error_of("2024-03-04 09:00-25:00 :") == "line 1: bad time '25:00'"
    assert error_of("2024-03-04 09:00-09:00 :") == "line 1: empty time range 09:00-09:00"
    assert error_of("2024-03-04 09:00-10:00 :") == "line 1: missing client"
    assert error_of("2024-03-04 09:00-10:00") == "line 1: expected a date, a time range and a client"


def test_only_ascii_digits_make_a_time_but_any_digits_a_date():
    assert error_of("2024-03-04 \u0669:00-10:00 a") == "line 1: bad time '\u0669:00'"
    assert parse_line("\uff12\uff10\uff12\uff14-03-04 09:00-10:00 a")["date"] == "2024-03-04"
    assert error_of("2024-03-\u00b21 09:00-10:00 a") == "line 1: no such day 2024-03-\u00b21"


def test_midnight_corners():
    assert parse_line("2024-03-04 23:00-24:00:00 a")["overnight"] is False
    late = parse_line("2024-03-04 23:00-00:00 a")
    assert (late["overnight"], late["minutes"], late["end"]) == (True, 60, "00:00")
    assert parse_line("2024-03-04 08:00-00:00 a")["minutes"] == 960
    assert error_of("2024-03-04 07:59:59-00:00 a") == "line 1: entry longer than 16 hours"


def test_the_weekly_limit_itself_is_not_overtime():
    text = "".join("2024-03-0%d 08:00-16:00 acme\n" % d for d in range(4, 9))
    assert weekly_overtime(parse_sheet(text)) == [
        {"week": "2024-W10", "hours": 40.0, "overtime": 0.0, "over": False}
    ]
    assert weekly_overtime(parse_sheet(text), limit=39.99)[0]["over"] is True


def test_ties_between_clients_go_by_name():
    text = "2024-03-04 09:00-10:00 b\n2024-03-04 10:00-11:00 c\n2024-03-04 11:00-12:00 a\n"
    assert client_totals(parse_sheet(text)) == [("a", 1.0), ("b", 1.0), ("c", 1.0)]


def test_the_summary_lists_tasks_in_name_order_and_the_overtime_weeks():
    text = "2024-03-04 08:00-18:00 acme:zz\n2024-03-05 08:00-09:00 acme:aa\n"
    assert render_summary(parse_sheet(text), show_tasks=True, limit=10.5).splitlines()[6:] == [
        "acme                       11.00",
        "  aa                        1.00",
        "  zz                       10.00",
        "--------------------------------",
        "TOTAL                      11.00",
        "",
        "Overtime (limit 10.5 h):",
        "  2024-W10     0.50 h",
    ]


def test_normalise_entries_fixes_rows_in_place_and_counts_them():
    rows = [
        {"client": " Acme", "task": None, "minutes": 7.5},
        {"client": "acme", "task": "x", "minutes": 15, "comment": ""},
        {"client": 3, "task": " ", "comment": " c "},
    ]
    assert normalise_entries(rows, "misc") == 2
    assert rows == [
        {"client": "acme", "task": "misc", "minutes": 15, "comment": ""},
        {"client": "acme", "task": "x", "minutes": 15, "comment": ""},
        {"client": 3, "task": "misc", "comment": "c"},
    ]


def test_a_strict_sheet_counts_the_line_even_when_it_raises():
    sheet = Sheet()
    sheet.add_line("2024-03-04 09:00-10:00 a")
    with pytest.raises(SheetError, match="^line 2: overlaps line 1$"):
        sheet.add_line("2024-03-04 09:30-09:45 b")
    assert sheet.lineno == 2 and len(sheet.entries) == 1 and sheet.errors == []
    assert sheet.add_line("2024-03-04 10:00-11:00 b")["line"] == 3


def test_a_lenient_sheet_keeps_going():
    sheet = Sheet(limit=1, strict=False)
    text = "2024-03-04 22:00-01:00 a\n2024-03-04 23:00-23:30 b\noops\n2024-03-05 00:30-02:00 c\n"
    assert sheet.add_text(text) == 2
    assert sheet.errors == [
        "line 2: overlaps line 1",
        "line 3: expected a date, a time range and a client",
    ]
    assert sheet.totals() == {"2024-03-04": 3.0, "2024-03-05": 1.5}
    assert sheet.overtime() == [{"week": "2024-W10", "hours": 4.5, "overtime": 3.5, "over": True}]
    assert sheet.clients() == [("a", 3.0), ("c", 1.5)]
    assert sheet.summary().endswith("Overtime (limit 1 h):\n  2024-W10     3.50 h\n")


def test_a_sheet_needs_a_positive_limit():
    for limit in (0, -2):
        with pytest.raises(SheetError, match="^limit must be positive$"):
            Sheet(limit=limit)


def test_an_empty_sheet():
    sheet = Sheet()
    assert sheet.add_text("\n# nothing\n") == 0
    assert (sheet.lineno, sheet.totals(), sheet.clients(), sheet.overtime()) == (2, {}, [], [])
    assert sheet.summary() == "TIMESHEET SUMMARY\n================================\n(no entries)\n"
