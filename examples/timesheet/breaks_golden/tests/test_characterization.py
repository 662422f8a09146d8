"""Characterization tests, written against the original before refactoring.

They pin what callers can see: entries, error messages, report values and order, the summary
text and a Sheet's state, including corners found by reading the code (7.5 minutes past a
quarter rounds up; exactly the weekly limit is not overtime; clients with the same hours are
listed by name; normalise_entries fixes the rows it is given in place).
"""

import pytest

from timesheet import (
    Sheet,
    SheetError,
    client_totals,
    daily_totals,
    normalise_entries,
    parse_line,
    parse_sheet,
    render_summary,
    round_quarter,
    weekly_overtime,
)

TEXT = """\
# week 10
2024-03-04 08:00-12:00 Acme:Design   # kickoff
2024-03-04 13:00-18:30 acme:build
2024-03-05 22:00-02:15 globex
2024-03-06 09:00-09:07:30 initech:calls
"""


def test_a_line_becomes_an_entry():
    assert parse_line("2024-03-04 08:00-12:00 Acme : Code  Review # kickoff ", 9) == {
        "line": 9,
        "date": "2024-03-04",
        "start": "08:00",
        "end": "12:00",
        "overnight": False,
        "client": "acme",
        "task": "code review",
        "minutes": 240,
        "comment": "kickoff",
    }
    assert parse_line("  # nothing here") is None
    assert parse_line("2024-03-04 8:00-8:30 a")["task"] == "general"


def test_past_midnight_and_the_end_of_the_day():
    entry = parse_line("2024-03-05 22:00-02:15 globex")
    assert (entry["overnight"], entry["minutes"], entry["date"]) == (True, 255, "2024-03-05")
    assert parse_line("2024-03-05 23:00-24:00 globex")["minutes"] == 60


@pytest.mark.parametrize(
    "line, message",
    [
        ("2024-03-04 08:00-12:00", "line 4: expected a date, a time range and a client"),
        ("2024-3-04 08:00-12:00 a", "line 4: bad date '2024-3-04'"),
        ("2023-02-29 08:00-12:00 a", "line 4: no such day 2023-02-29"),
        ("2024-03-04 08:00 a", "line 4: bad time range '08:00'"),
        ("2024-03-04 8-12:00 a", "line 4: bad time '8'"),
        ("2024-03-04 24:00-12:00 a", "line 4: bad time '24:00'"),
        ("2024-03-04 08:00-24:00:01 a", "line 4: bad time '24:00:01'"),
        ("2024-03-04 08:00-08:00 a", "line 4: empty time range 08:00-08:00"),
        ("2024-03-04 08:00-00:01 a", "line 4: entry longer than 16 hours"),
        ("2024-03-04 08:00-09:00 : x", "line 4: missing client"),
    ],
)
def test_bad_lines(line, message):
    with pytest.raises(SheetError) as info:
        parse_line(line, 4)
    assert str(info.value) == message


def test_rounding_to_quarter_hours_seven_and_a_half_rounds_up():
    assert [round_quarter(m) for m in (7.49, 7.5, 22.5, 37.5, 0, 15)] == [0, 15, 30, 45, 0, 15]
    assert parse_sheet(TEXT)[-1]["minutes"] == 15


def test_totals_per_day_and_per_client():
    entries = parse_sheet(TEXT)
    assert daily_totals(entries) == {"2024-03-04": 9.5, "2024-03-05": 4.25, "2024-03-06": 0.25}
    assert client_totals(entries) == [("acme", 9.5), ("globex", 4.25), ("initech", 0.25)]


def test_clients_with_the_same_hours_are_listed_by_name():
    text = "2024-03-04 09:00-10:00 zeta\n2024-03-05 09:00-10:00 alpha\n2024-03-06 09:00-11:00 mid\n"
    assert client_totals(parse_sheet(text)) == [("mid", 2.0), ("alpha", 1.0), ("zeta", 1.0)]


def test_exactly_the_weekly_limit_is_not_overtime():
    text = "".join("2024-03-0%d 08:00-16:00 acme\n" % day for day in range(4, 9))
    assert weekly_overtime(parse_sheet(text)) == [
        {"week": "2024-W10", "hours": 40.0, "overtime": 0.0, "over": False}
    ]
    assert weekly_overtime(parse_sheet(text), limit=39.75)[0]["overtime"] == 0.25
    assert "Overtime" not in render_summary(parse_sheet(text))


def test_the_summary_text():
    assert render_summary(parse_sheet(TEXT), show_tasks=True, limit=10) == (
        "TIMESHEET SUMMARY\n"
        "================================\n"
        "Period: 2024-03-04 to 2024-03-06 (3 days worked)\n"
        "\n"
        "Client                     Hours\n"
        "--------------------------------\n"
        "acme                        9.50\n"
        "  build                     5.50\n"
        "  design                    4.00\n"
        "globex                      4.25\n"
        "  general                   4.25\n"
        "initech                     0.25\n"
        "  calls                     0.25\n"
        "--------------------------------\n"
        "TOTAL                      14.00\n"
        "\n"
        "Overtime (limit 10 h):\n"
        "  2024-W10     4.00 h\n"
    )
    assert render_summary([]) == "TIMESHEET SUMMARY\n================================\n(no entries)\n"


def test_normalise_entries_fixes_the_rows_in_place():
    rows = [
        {"client": " ACME ", "task": " ", "minutes": 52.5, "comment": None},
        {"client": "acme", "task": "design", "minutes": 45, "comment": ""},
    ]
    assert normalise_entries(rows, default_task="misc") == 1
    assert rows == [
        {"client": "acme", "task": "misc", "minutes": 60, "comment": ""},
        {"client": "acme", "task": "design", "minutes": 45, "comment": ""},
    ]


def test_a_sheet_refuses_overlaps_or_collects_them():
    sheet = Sheet()
    assert sheet.add_text(TEXT) == 4
    with pytest.raises(SheetError, match="^line 6: overlaps line 3$"):
        sheet.add_line("2024-03-04 18:00-18:31 acme")
    assert sheet.add_line("2024-03-06 01:00-02:00 acme")["line"] == 7  # another start day

    lenient = Sheet(limit=1, strict=False)
    assert lenient.add_text(TEXT + "2024-03-05 23:00-23:30 x\nbad\n") == 4
    assert lenient.errors == [
        "line 6: overlaps line 4",
        "line 7: expected a date, a time range and a client",
    ]
    assert lenient.overtime()[0]["over"] is True
    assert lenient.totals() == daily_totals(lenient.entries)
    assert lenient.summary() == render_summary(lenient.entries, False, 1)


def test_a_sheet_needs_a_positive_limit():
    with pytest.raises(SheetError, match="^limit must be positive$"):
        Sheet(limit=0)
