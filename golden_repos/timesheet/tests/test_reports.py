from timesheet import (
    client_totals,
    daily_totals,
    parse_sheet,
    render_summary,
    round_quarter,
    weekly_overtime,
)

MARCH = """\
# week 10
2024-03-04 08:00-12:00 acme:design
2024-03-04 13:00-18:30 acme:build
2024-03-05 08:00-18:00 globex:audit      # long day
2024-03-06 08:00-12:15 initech
2024-03-06 12:15-18:00 acme:build
2024-03-07 07:00-17:00 globex:audit
2024-03-08 22:00-06:20 acme:deploy
# week 11
2024-03-11 09:00-17:00 globex:audit
2024-03-13 09:00-10:52 initech:calls
"""


def test_round_quarter_rounds_to_the_nearest_quarter_hour():
    cases = [(0, 0), (7, 0), (7.4, 0), (7.6, 15), (8, 15), (15, 15), (22, 15), (22.6, 30)]
    cases += [(37, 30), (38, 45), (52.49, 45), (60, 60), (67.6, 75), (959.9, 960), (-10, -15)]
    for minutes, rounded in cases:
        assert round_quarter(minutes) == rounded
        assert type(round_quarter(minutes)) is int


def test_daily_totals_are_hours_by_date():
    assert daily_totals(parse_sheet(MARCH)) == {
        "2024-03-04": 9.5,
        "2024-03-05": 10.0,
        "2024-03-06": 10.0,
        "2024-03-07": 10.0,
        "2024-03-08": 8.25,
        "2024-03-11": 8.0,
        "2024-03-13": 1.75,
    }
    assert list(daily_totals(parse_sheet(MARCH)[::-1])) == sorted(daily_totals(parse_sheet(MARCH)))
    assert daily_totals([]) == {}


def test_weekly_overtime_above_the_limit():
    assert weekly_overtime(parse_sheet(MARCH)) == [
        {"week": "2024-W10", "hours": 47.75, "overtime": 7.75, "over": True},
        {"week": "2024-W11", "hours": 9.75, "overtime": 0.0, "over": False},
    ]
    assert weekly_overtime(parse_sheet(MARCH), limit=9) == [
        {"week": "2024-W10", "hours": 47.75, "overtime": 38.75, "over": True},
        {"week": "2024-W11", "hours": 9.75, "overtime": 0.75, "over": True},
    ]
    assert weekly_overtime(parse_sheet(MARCH), limit=50)[0] == {
        "week": "2024-W10",
        "hours": 47.75,
        "overtime": 0.0,
        "over": False,
    }


def test_iso_weeks_across_the_new_year():
    text = "2024-12-30 09:00-10:00 a\n2025-01-05 23:00-01:00 a\n2024-01-01 09:00-09:20 a\n"
    assert weekly_overtime(parse_sheet(text), limit=2.5) == [
        {"week": "2024-W01", "hours": 0.25, "overtime": 0.0, "over": False},
        {"week": "2025-W01", "hours": 3.0, "overtime": 0.5, "over": True},
    ]


def test_client_totals_most_hours_first():
    assert client_totals(parse_sheet(MARCH)) == [("globex", 28.0), ("acme", 23.5), ("initech", 6.0)]
    text = "2024-03-04 09:00-10:00 b\n2024-03-05 09:00-10:15 c\n2024-03-06 09:00-09:20 a\n"
    assert client_totals(parse_sheet(text)) == [("c", 1.25), ("b", 1.0), ("a", 0.25)]
    assert client_totals([]) == []


SUMMARY = """\
TIMESHEET SUMMARY
================================
Period: 2024-03-04 to 2024-03-13 (7 days worked)

Client                     Hours
--------------------------------
globex                     28.00
acme                       23.50
initech                     6.00
--------------------------------
TOTAL                      57.50

Overtime (limit 40 h):
  2024-W10     7.75 h
"""


def test_the_summary():
    assert render_summary(parse_sheet(MARCH)) == SUMMARY


def test_the_summary_with_tasks_and_a_lower_limit():
    assert render_summary(parse_sheet(MARCH), show_tasks=True, limit=9) == """\
TIMESHEET SUMMARY
================================
Period: 2024-03-04 to 2024-03-13 (7 days worked)

Client                     Hours
--------------------------------
globex                     28.00
  audit                    28.00
acme                       23.50
  build                    11.25
  deploy                    8.25
  design                    4.00
initech                     6.00
  calls                     1.75
  general                   4.25
--------------------------------
TOTAL                      57.50

Overtime (limit 9 h):
  2024-W10    38.75 h
  2024-W11     0.75 h
"""


def test_long_names_are_cut_to_the_columns():
    text = "2024-03-04 09:00-10:00 a-client-with-a-very-long-name:a-task-with-a-long-name\n"
    assert render_summary(parse_sheet(text), show_tasks=True).splitlines()[6:8] == [
        "a-client-with-a-very        1.00",
        "  a-task-with-a-long        1.00",
    ]


def test_an_empty_summary():
    assert render_summary([]) == "TIMESHEET SUMMARY\n================================\n(no entries)\n"
    assert render_summary([], show_tasks=True, limit=1) == render_summary([])


def test_no_overtime_section_without_overtime():
    text = "2024-03-04 09:00-17:00 acme\n"
    assert render_summary(parse_sheet(text), limit=20).endswith(
        "TOTAL                       8.00\n"
    )


def test_rows_from_the_import_job_need_not_be_whole_quarters():
    rows = [
        {"date": "2024-03-04", "client": "acme", "minutes": 10},
        {"date": "2024-03-05", "client": "globex", "minutes": 50},
    ]
    assert daily_totals(rows) == {"2024-03-04": 0.17, "2024-03-05": 0.83}
    assert client_totals(rows) == [("globex", 0.83), ("acme", 0.17)]
    assert weekly_overtime(rows, limit=0.5) == [
        {"week": "2024-W10", "hours": 1.0, "overtime": 0.5, "over": True}
    ]
    assert weekly_overtime(rows[:1], limit=0.1) == [
        {"week": "2024-W10", "hours": 0.17, "overtime": 0.07, "over": True}
    ]
    assert weekly_overtime(rows[1:], limit=1) == [
        {"week": "2024-W10", "hours": 0.83, "overtime": 0.0, "over": False}
    ]
