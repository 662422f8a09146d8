import pytest

from timesheet import SheetError, parse_line, parse_sheet


def entry(**changes):
    base = {
        "line": 1,
        "date": "2024-03-04",
        "start": "09:00",
        "end": "12:30",
        "overnight": False,
        "client": "acme",
        "task": "design",
        "minutes": 210,
        "comment": "",
    }
    base.update(changes)
    return base


def test_a_plain_line():
    assert parse_line("2024-03-04 09:00-12:30 acme:design") == entry()


def test_a_comment_after_the_entry_is_kept_stripped():
    line = "2024-03-04 09:00-12:30 acme:design   #  workshop with ops # again "
    assert parse_line(line, 7) == entry(line=7, comment="workshop with ops # again")


def test_client_and_task_are_case_insensitive_and_stripped():
    got = parse_line("  2024-03-04\t09:00-12:30   ACME :  Code   Review  ", 3)
    assert got == entry(line=3, client="acme", task="code review")
    assert parse_line("2024-03-04 09:00-12:30 Acme:Design:UX")["task"] == "design:ux"


def test_a_missing_task_is_general():
    assert parse_line("2024-03-04 09:00-12:30 Globex")["task"] == "general"
    assert parse_line("2024-03-04 09:00-12:30 globex:  ")["task"] == "general"
    assert parse_line("2024-03-04 09:00-12:30 globex #x") == entry(
        client="globex", task="general", comment="x"
    )


def test_blank_and_comment_lines_are_skipped():
    for line in ["", "   ", "\t", "# March", "   # 2024-03-04 09:00-10:00 acme"]:
        assert parse_line(line, 4) is None


def test_seconds_and_single_digit_hours():
    got = parse_line("2024-03-04 9:00-9:37:31 acme:calls", 2)
    assert got == entry(line=2, start="9:00", end="9:37:31", task="calls", minutes=45)
    assert parse_line("2024-03-04 09:00:00-09:07:29 acme:calls")["minutes"] == 0
    assert parse_line("2024-03-04 09:00-09:07:31 acme:calls")["minutes"] == 15
    assert parse_line("2024-03-04 09:59:59-10:00:01 acme:calls")["minutes"] == 0
    assert parse_line("2024-03-04 09:00:59-09:08 acme:calls")["minutes"] == 0
    assert parse_line("2024-03-04 10:00-10:59 acme:calls")["minutes"] == 60
    assert parse_line("2024-03-04 10:00-10:00:59 acme:calls")["minutes"] == 0


def test_an_entry_past_midnight_counts_on_the_day_it_started():
    got = parse_line("2024-03-31 22:15-01:40 acme:deploy")
    assert got == entry(
        date="2024-03-31", start="22:15", end="01:40", overnight=True, task="deploy", minutes=210
    )
    got = parse_line("2024-03-04 20:00-24:00 acme:deploy")
    assert got == entry(start="20:00", end="24:00", task="deploy", minutes=240)


def test_an_entry_of_exactly_sixteen_hours_is_allowed():
    assert parse_line("2024-03-04 18:00-10:00 acme:incident")["minutes"] == 960
    assert parse_line("2024-03-04 08:00-24:00 acme:incident")["minutes"] == 960


def test_bad_lines_name_their_line_number_and_the_problem():
    cases = [
        ("2024-03-04 09:00-12:30", "line 5: expected a date, a time range and a client"),
        ("04.03.2024 09:00-12:30 acme", "line 5: bad date '04.03.2024'"),
        ("2024-3-4 09:00-12:30 acme", "line 5: bad date '2024-3-4'"),
        ("2024-03-0x 09:00-12:30 acme", "line 5: bad date '2024-03-0x'"),
        ("2024-03x04 09:00-12:30 acme", "line 5: bad date '2024-03x04'"),
        ("2024-x3-04 09:00-12:30 acme", "line 5: bad date '2024-x3-04'"),
        ("2024-03-x4 09:00-12:30 acme", "line 5: bad date '2024-03-x4'"),
        ("2024-02-30 09:00-12:30 acme", "line 5: no such day 2024-02-30"),
        ("2024-03-04 09:00 acme:x y", "line 5: bad time range '09:00'"),
        ("2024-03-04 09:00-10:00-11:00 acme", "line 5: bad time range '09:00-10:00-11:00'"),
        ("2024-03-04 9-12:30 acme", "line 5: bad time '9'"),
        ("2024-03-04 09:00-12:3 acme", "line 5: bad time '12:3'"),
        ("2024-03-04 9:5-12:30 acme", "line 5: bad time '9:5'"),
        ("2024-03-04 09:00:60-12:30 acme", "line 5: bad time '09:00:60'"),
        ("2024-03-04 09:00-009:00 acme", "line 5: bad time '009:00'"),
        ("2024-03-04 09:00-\u0661\u0660:00 acme", "line 5: bad time '\u0661\u0660:00'"),
        ("2024-03-04 09:00-10:60 acme", "line 5: bad time '10:60'"),
        ("2024-03-04 009:00-12:30 acme", "line 5: bad time '009:00'"),
        ("2024-03-04 09:00-12:30:5 acme", "line 5: bad time '12:30:5'"),
        ("2024-03-04 24:00-12:30 acme", "line 5: bad time '24:00'"),
        ("2024-03-04 09:60-12:30 acme", "line 5: bad time '09:60'"),
        ("2024-03-04 09:00-12:30:60 acme", "line 5: bad time '12:30:60'"),
        ("2024-03-04 09:00-25:00 acme", "line 5: bad time '25:00'"),
        ("2024-03-04 09:00-24:01 acme", "line 5: bad time '24:01'"),
        ("2024-03-04 09:00-1:2:3:4 acme", "line 5: bad time '1:2:3:4'"),
        ("2024-03-04 +9:00-12:30 acme", "line 5: bad time '+9:00'"),
        ("2024-03-04 09:00-09:00 acme", "line 5: empty time range 09:00-09:00"),
        ("2024-03-04 18:00-10:01 acme", "line 5: entry longer than 16 hours"),
        ("2024-03-04 18:00-10:00:01 acme", "line 5: entry longer than 16 hours"),
        ("2024-03-04 09:00-12:30 :design", "line 5: missing client"),
    ]
    for line, message in cases:
        with pytest.raises(SheetError) as info:
            parse_line(line, 5)
        assert str(info.value) == message


def test_parse_sheet_numbers_lines_as_the_file_does():
    text = "# March\n\n2024-03-04 09:00-10:00 acme\n2024-03-04 10:00-11:15 Globex:Calls\n"
    got = parse_sheet(text)
    assert [(e["line"], e["client"], e["task"], e["minutes"]) for e in got] == [
        (3, "acme", "general", 60),
        (4, "globex", "calls", 75),
    ]
    with pytest.raises(SheetError, match="^line 3: bad date 'x'$"):
        parse_sheet("\n\nx 1 2\n2024-03-04 09:00-10:00 acme")
    assert parse_sheet("") == []
