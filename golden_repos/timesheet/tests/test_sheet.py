import pytest

from timesheet import Sheet, SheetError, normalise_entries

WEEK = """\
2024-03-04 09:00-12:00 acme:design
2024-03-04 12:00-13:00 acme:lunch talk   # touching the one before is fine

2024-03-05 23:00-02:00 globex:deploy
2024-03-06 01:00-03:00 globex:deploy     # same hours, but it starts on another day
"""


def test_a_sheet_reads_line_by_line_and_counts_every_line():
    sheet = Sheet()
    assert sheet.add_line("# header") is None
    assert sheet.add_line("") is None
    got = sheet.add_line("2024-03-04 09:00-10:00 Acme:Design")
    assert got == {
        "line": 3,
        "date": "2024-03-04",
        "start": "09:00",
        "end": "10:00",
        "overnight": False,
        "client": "acme",
        "task": "design",
        "minutes": 60,
        "comment": "",
    }
    assert sheet.entries == [got]
    assert sheet.lineno == 3
    assert (sheet.limit, sheet.strict, sheet.errors) == (40, True, [])


def test_add_text_returns_how_many_entries_it_added():
    sheet = Sheet()
    assert sheet.add_text(WEEK) == 4
    assert [e["line"] for e in sheet.entries] == [1, 2, 4, 5]
    assert sheet.totals() == {"2024-03-04": 4.0, "2024-03-05": 3.0, "2024-03-06": 2.0}
    assert sheet.clients() == [("globex", 5.0), ("acme", 4.0)]
    assert sheet.add_text("2024-03-07 09:00-10:00 initech\n# end") == 1
    assert sheet.lineno == 7


def test_overlapping_entries_on_the_same_day_are_refused():
    sheet = Sheet()
    sheet.add_text(WEEK)
    for line, other in [
        ("2024-03-04 11:59-12:01 acme", 1),
        ("2024-03-04 08:00-09:01 acme", 1),
        ("2024-03-04 12:30-12:45 acme", 2),
        ("2024-03-05 23:30-00:30 acme", 4),
        ("2024-03-05 22:00-23:00:01 acme", 4),
    ]:
        with pytest.raises(SheetError) as info:
            sheet.add_line(line)
        assert str(info.value) == "line %d: overlaps line %d" % (sheet.lineno, other)
    assert len(sheet.entries) == 4
    assert sheet.add_line("2024-03-05 22:00-23:00 acme")["minutes"] == 60
    assert sheet.add_line("2024-03-04 08:00:00-09:00 acme")["minutes"] == 60


def test_overlaps_are_measured_to_the_second():
    sheet = Sheet(strict=False)
    sheet.add_text("2024-03-04 09:30-10:00 a\n2024-03-04 23:00-00:00 a\n")
    assert sheet.add_line("2024-03-04 09:00-09:15:59 b")["minutes"] == 15
    assert sheet.add_line("2024-03-04 23:59:59-00:00 b") is None
    assert sheet.add_line("2024-03-04 09:59:59-10:30 b") is None
    assert sheet.errors == ["line 4: overlaps line 2", "line 5: overlaps line 1"]
    assert [e["line"] for e in sheet.entries] == [1, 2, 3]


def test_a_lenient_sheet_collects_the_errors():
    sheet = Sheet(strict=False)
    text = WEEK + "2024-03-04 09:30-10:00 acme\nnonsense\n2024-03-07 09:00-10:00 acme\n"
    assert sheet.add_text(text) == 5
    assert sheet.errors == [
        "line 6: overlaps line 1",
        "line 7: expected a date, a time range and a client",
    ]
    assert sheet.add_line("2024-13-01 09:00-10:00 acme") is None
    assert sheet.errors[-1] == "line 9: no such day 2024-13-01"
    assert len(sheet.errors) == 3


def test_a_strict_sheet_raises_on_a_bad_line():
    sheet = Sheet()
    sheet.add_line("2024-03-04 09:00-10:00 acme")
    with pytest.raises(SheetError, match="^line 2: bad time '10:5'$"):
        sheet.add_line("2024-03-04 10:00-10:5 acme")
    assert sheet.errors == [] and sheet.lineno == 2


def test_the_limit_must_be_positive():
    for limit in [0, -1, -0.5]:
        with pytest.raises(SheetError, match="^limit must be positive$"):
            Sheet(limit=limit)
    assert Sheet(limit=0.5).limit == 0.5


def test_overtime_and_summary_use_the_sheets_limit():
    sheet = Sheet(limit=3.5)
    sheet.add_text(WEEK)
    assert sheet.overtime() == [
        {"week": "2024-W10", "hours": 9.0, "overtime": 5.5, "over": True},
    ]
    assert sheet.summary().splitlines()[-2:] == ["Overtime (limit 3.5 h):", "  2024-W10     5.50 h"]
    assert "  lunch talk                1.00" in sheet.summary(show_tasks=True).splitlines()
    assert "  lunch talk                1.00" not in sheet.summary().splitlines()
    assert Sheet().summary() == "TIMESHEET SUMMARY\n================================\n(no entries)\n"


def test_normalise_entries_counts_the_rows_it_changed():
    rows = [
        {"client": " ACME ", "task": "Design ", "minutes": 50, "comment": None},
        {"client": "acme", "task": "design", "minutes": 45, "comment": ""},
        {"client": "acme", "task": "  ", "minutes": 45, "comment": ""},
        {"client": "acme", "task": "design", "minutes": 44, "comment": ""},
        {"client": "acme", "task": "design", "minutes": 45, "comment": " hi "},
        {"client": "acme", "minutes": 45, "comment": ""},
        {"client": "acme", "task": "x", "minutes": None, "comment": ""},
        {"client": "acme", "task": "x", "comment": ""},
        {"client": "acme", "task": "x"},
    ]
    assert normalise_entries(rows) == 6
    assert normalise_entries([]) == 0
    assert normalise_entries([{"client": 7, "task": "x", "minutes": 15, "comment": ""}]) == 0
    assert normalise_entries([{"task": "general", "comment": ""}], default_task="general") == 0
    assert normalise_entries([{"task": "", "comment": ""}], default_task="") == 0
