# Examples of how the billing job uses the package; the starter repo ships these.
from timesheet import Sheet, parse_line


def test_a_line_becomes_an_entry():
    entry = parse_line("2024-03-04 09:00-12:30 acme:design  # workshop")
    assert entry["client"] == "acme"
    assert entry["task"] == "design"
    assert entry["minutes"] == 210


def test_a_sheet_adds_up_the_days():
    sheet = Sheet()
    sheet.add_text("2024-03-04 09:00-12:00 acme:design\n2024-03-04 13:00-17:00 globex\n")
    assert sheet.totals() == {"2024-03-04": 7.0}
    assert sheet.clients() == [("globex", 4.0), ("acme", 3.0)]
