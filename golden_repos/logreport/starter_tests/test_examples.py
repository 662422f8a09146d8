# Examples of how the weekly job uses the package; the starter repo ships these.
from weblog import render_report, summarize


def test_a_day_of_log_lines_becomes_a_report():
    lines = [
        "2024-05-06 08:00:00 10.1.1.1 GET /status 200 3ms 15",
        "2024-05-06 08:00:02 10.1.1.2 GET /status 200 5ms 15",
    ]
    report = render_report(summarize(lines), title="example")
    assert report.startswith("== example ==\n")
    assert "GET /status" in report


def test_the_csv_report_has_a_header_row():
    csv = render_report(summarize([]), fmt="csv")
    assert csv.splitlines()[0].startswith("endpoint,count,")
