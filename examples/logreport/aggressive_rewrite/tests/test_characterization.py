"""Characterization tests, written against the original ``weblog/report.py`` before the
rewrite and kept passing on both (run them against the original with
``PYTHONPATH=<golden>/original python -P -m pytest tests``).

They pin the corners the rewrite had to keep: the order of the parse checks, the
int() of a status or size that ``str.isdigit`` accepts but ``int`` does not, the
one-trailing-slash rule, the nearest rank, the summary as a plain dict updated in place,
the slow-request list, the text report line by line and CSV quoting.
"""

import pytest

from weblog import (
    METHODS,
    LogFormatError,
    human_bytes,
    normalize_path,
    parse_line,
    percentile,
    render_report,
    summarize,
)


def line(day="2024-05-06", ts="08:00:00", ip="10.0.0.1", method="GET", path="/a", status="200", took="10ms", size="1"):
    return " ".join([day, ts, ip, method, path, status, took, size])


def test_a_line_and_its_fields():
    assert parse_line(line(path="/users/7?x=1", took="1.5s", size="2048"), 3) == {
        "ts": "2024-05-06 08:00:00", "ip": "10.0.0.1", "method": "GET", "path": "/users/7?x=1",
        "status": 200, "ms": 1500.0, "bytes": 2048,
    }
    old = parse_line(line(method="patch", status="HTTP/302", took="-", size="-"))
    assert (old["method"], old["status"], old["ms"], old["bytes"]) == ("PATCH", 302, None, 0)
    assert METHODS == ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


@pytest.mark.parametrize("text", ["", "   ", "#x", "  # y"])
def test_blank_lines_and_comments_are_none(text):
    assert parse_line(text, 4, strict=True) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b c", "line 5: expected 8 fields, found 3"),
        (line(day="2024-05-6x"), "line 5: bad date '2024-05-6x'"),
        (line(ts="8:00:00"), "line 5: bad time '8:00:00'"),
        (line(method="options"), "line 5: unknown method 'OPTIONS'"),
        (line(status="HTTP/HTTP/200"), "line 5: bad status 'HTTP/200'"),
        (line(took="5Ms"), "line 5: bad duration '5Ms'"),
        (line(took="ms"), "line 5: bad duration 'ms'"),
        (line(size="x"), "line 5: bad size 'x'"),
        # the first failing check names the problem
        (line(day="x", ts="y", status="z"), "line 5: bad date 'x'"),
    ],
)
def test_bad_lines(text, message):
    assert parse_line(text, 5) == {"error": message}
    with pytest.raises(LogFormatError) as caught:
        parse_line(text, 5, strict=True)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_kept_quirks_of_the_field_checks():
    # dashes anywhere in the date are ignored once positions 4 and 7 hold one
    assert parse_line(line(day="2024-0--06"))["ts"] == "2024-0--06 08:00:00"
    # isdigit() accepts a superscript that int() refuses: a ValueError escapes, even
    # when not strict (the size is converted before the status)
    with pytest.raises(ValueError, match="'²'"):
        parse_line(line(status="²00", size="²"))
    with pytest.raises(ValueError, match="'²00'"):
        parse_line(line(status="²00"))
    assert parse_line(line(took="0.001s"))["ms"] == 1.0


def test_normalize_path():
    assert normalize_path("/users/42/orders/deadbeef12?x=1") == "/users/:id/orders/:hash"
    assert normalize_path("/u/deadbee/") == "/u/deadbee"
    assert normalize_path("/a//") == "/a/"
    assert normalize_path("/") == "/"
    assert normalize_path("/users/42/?q", group_ids=False) == "/users/42/"


def test_percentile_and_sizes():
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile([5, 1, 4, 2, 3], 0) == 1
    assert percentile([], 50) is None
    with pytest.raises(IndexError):
        percentile([1, 2], 101)
    assert [human_bytes(n) for n in (1023, 1024, 1536, 1048575, 1048576, 5 * 1048576)] == [
        "1023 B", "1.0 kB", "1.5 kB", "1024.0 kB", "1.0 MB", "5.0 MB",
    ]


def test_summary_is_a_plain_dict_added_to_in_place():
    day1 = summarize([line(took="1200ms"), "", "bad", line(status="503", path="/b/1", took="2s")])
    assert day1["requests"] == 2 and day1["malformed"] == 1
    assert day1["errors"] == ["line 3: expected 8 fields, found 1"]
    assert day1["status"] == {"2xx": 1, "3xx": 0, "4xx": 0, "5xx": 1}
    assert day1["endpoints"]["GET /b/:id"] == {"count": 1, "errors": 1, "times": [2000.0], "bytes": 1}
    assert day1["slow"] == [(2000.0, "2024-05-06 08:00:00", "GET /b/:id"), (1200.0, "2024-05-06 08:00:00", "GET /a")]
    same = summarize([line(status="101", ts="07:00:00")], into=day1)
    assert same is day1
    assert list(day1["status"]) == ["2xx", "3xx", "4xx", "5xx", "other"]
    assert day1["first"] == "2024-05-06 07:00:00" and day1["requests"] == 3


def test_slow_requests_keep_five_slowest_earliest_first():
    lines = [line(ts="08:00:%02d" % i, took="%dms" % (1000 + (i % 3))) for i in range(9)]
    slow = summarize(lines)["slow"]
    assert [(ms, ts[-2:]) for ms, ts, _ in slow] == [
        (1002.0, "02"), (1002.0, "05"), (1002.0, "08"), (1001.0, "01"), (1001.0, "04"),
    ]


def test_text_report():
    summary = summarize([
        line(ip="10.0.0.9", took="1500ms", size="2048"),
        line(ts="08:30:00", ip="10.0.0.1", path="/orders/12", status="500", took="-"),
        "nonsense",
    ])
    assert render_report(summary, title="Mon", top=5) == "\n".join([
        "== Mon ==",
        "period: 2024-05-06 08:00:00 .. 2024-05-06 08:30:00 (30.0 min, 0.1 req/min)",
        "requests: 2  malformed: 1  errors: 50.0%  bytes: 2.0 kB",
        "status: 2xx=1 3xx=0 4xx=0 5xx=1",
        "",
        "endpoint                          count   err   avg ms   p95 ms   max ms     bytes",
        "GET /a                                1     0   1500.0   1500.0   1500.0    2.0 kB",
        "GET /orders/:id                       1     1        -        -        -       1 B",
        "",
        "slowest:",
        "     1500 ms  2024-05-06 08:00:00  GET /a",
        "",
        "top clients:",
        "  10.0.0.1            1",
        "  10.0.0.9            1",
        "",
        "first malformed lines:",
        "  line 3: expected 8 fields, found 1",
    ]) + "\n"
    assert render_report(summarize(["junk"])) == "== Access log ==\nno requests\nmalformed lines: 1\n"


def test_csv_report_and_formats():
    summary = summarize([line(path='/q"x', took="2ms"), line(took="-", path="/b")])
    assert render_report(summary, fmt="csv") == (
        "endpoint,count,errors,avg_ms,p95_ms,max_ms,bytes\n"
        '"GET /b",1,0,,,,1\n'
        '"GET /q""x",1,0,2.0,2.0,2.0,1\n'
    )
    with pytest.raises(ValueError, match=r"unknown report format: 'html'"):
        render_report(summary, fmt="html")
