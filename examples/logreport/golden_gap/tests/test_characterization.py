"""Characterization tests, written against the original before refactoring.

They pin every public function's results, including corners found by reading the code: the
order of the parse checks, CSV quoting, a summary passed back in, the one-minute floor of
the request rate.
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

LINE = "2024-05-06 08:00:00 10.1.1.1 GET /orders/12?x=1 200 40ms 2048"


def line(ts="08:00:00", ip="10.1.1.1", method="GET", path="/a", status="200", took="10ms", size="1"):
    return f"2024-05-06 {ts} {ip} {method} {path} {status} {took} {size}"


def test_a_line_and_its_fields():
    assert parse_line(LINE, 1) == {
        "ts": "2024-05-06 08:00:00", "ip": "10.1.1.1", "method": "GET",
        "path": "/orders/12?x=1", "status": 200, "ms": 40.0, "bytes": 2048,
    }
    old = parse_line(line(method="patch", status="HTTP/302", took="0.5s", size="-"))
    assert (old["method"], old["status"], old["ms"], old["bytes"]) == ("PATCH", 302, 500.0, 0)
    assert parse_line(line(took="-"))["ms"] is None
    assert METHODS == ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


@pytest.mark.parametrize("text", ["", "  ", "#x", " # y"])
def test_blanks_and_comments(text):
    assert parse_line(text, strict=True) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b c", "expected 8 fields, found 3"),
        (line().replace("2024-05-06", "2024-05-6x"), "bad date '2024-05-6x'"),
        (line().replace("2024-05-06", "2024-05.06"), "bad date '2024-05.06'"),
        (line(ts="8:00:00"), "bad time '8:00:00'"),
        (line(ts="08-00:00"), "bad time '08-00:00'"),
        (line(method="TRACE"), "unknown method 'TRACE'"),
        (line(status="20"), "bad status '20'"),
        (line(status="HTTP/2OO"), "bad status '2OO'"),
        (line(took="5m"), "bad duration '5m'"),
        (line(took="xs"), "bad duration 'xs'"),
        (line(size="1k"), "bad size '1k'"),
        # the first bad field wins, in the order of the line
        (line(took="5m", size="1k"), "bad duration '5m'"),
    ],
)
def test_bad_lines(text, message):
    assert parse_line(text, 3) == {"error": "line 3: " + message}
    with pytest.raises(LogFormatError, match="^line 9: " + message.replace("?", r"\?") + "$"):
        parse_line(text, 9, strict=True)


def test_paths():
    assert normalize_path("/u/42/x?y=1") == "/u/:id/x"
    assert normalize_path("/f/0123abcd") == "/f/:hash"
    assert normalize_path("/f/0123ABC") == "/f/0123ABC"
    assert normalize_path("/f/0123abcz") == "/f/0123abcz"
    assert normalize_path("/u/") == "/u"
    assert normalize_path("/") == "/"
    assert normalize_path("/u/42/?q", group_ids=False) == "/u/42/"


def test_numbers():
    assert percentile([5.0, 1.0, 3.0, 2.0], 50) == 2.0
    assert percentile([5.0, 1.0, 3.0, 2.0], 51) == 3.0
    assert percentile([5.0, 1.0], 0) == 1.0
    assert percentile([], 95) is None
    assert [human_bytes(n) for n in (1023, 1024, 1048575, 1048576, 3 * 1048576 // 2)] == [
        "1023 B", "1.0 kB", "1024.0 kB", "1.0 MB", "1.5 MB"
    ]


def test_summary_counts():
    s = summarize([
        line("08:00:01", status="500", took="1.5s", size="10"),
        "",
        line("08:00:00", ip="10.1.1.2", path="/b/7", status="404"),
        "broken",
        line("08:00:03", status="101", took="-"),
        line("08:00:02", method="post", status="301", took="1000ms"),
    ])
    assert s == {
        "requests": 4, "malformed": 1, "errors": ["line 4: expected 8 fields, found 1"],
        "first": "2024-05-06 08:00:00", "last": "2024-05-06 08:00:03",
        "status": {"2xx": 0, "3xx": 1, "4xx": 1, "5xx": 1, "other": 1},
        "endpoints": {
            "GET /a": {"count": 2, "errors": 1, "times": [1500.0], "bytes": 11},
            "GET /b/:id": {"count": 1, "errors": 0, "times": [10.0], "bytes": 1},
            "POST /a": {"count": 1, "errors": 0, "times": [1000.0], "bytes": 1},
        },
        "clients": {"10.1.1.1": 3, "10.1.1.2": 1},
        "slow": [(1500.0, "2024-05-06 08:00:01", "GET /a"), (1000.0, "2024-05-06 08:00:02", "POST /a")],
        "bytes": 13,
    }


def test_summary_keeps_five_errors_and_five_slowest():
    lines = ["x"] * 6 + [line(f"08:00:0{i}", took=f"{2000 + i % 2}ms") for i in range(7)]
    s = summarize(lines, slow_ms=2000)
    assert (s["malformed"], len(s["errors"])) == (6, 5)
    assert [(ms, ts[-2:]) for ms, ts, _ in s["slow"]] == [
        (2001.0, "01"), (2001.0, "03"), (2001.0, "05"), (2000.0, "00"), (2000.0, "02")
    ]


def test_summary_adds_to_an_earlier_one():
    first = summarize([line()])
    again = summarize([line("09:00:00", ip="10.9.9.9")], into=first)
    assert again is first
    assert (first["requests"], first["last"], first["clients"]["10.9.9.9"]) == (2, "2024-05-06 09:00:00", 1)


def test_strict_summary_raises_and_grouping_can_be_off():
    with pytest.raises(LogFormatError, match="^line 2: expected 8 fields, found 1$"):
        summarize([line(), "x"], strict=True)
    assert list(summarize([line(path="/u/1")], group_ids=False)["endpoints"]) == ["GET /u/1"]


def test_text_report():
    s = summarize([
        line("08:00:00", ip="10.0.0.1", size="1024"),
        line("08:01:00", ip="10.0.0.1", status="503", took="1.2s", size="1024"),
        line("08:02:00", ip="10.0.0.1", path="/a-rather-long-endpoint-name/x", took="-", size="0"),
        line("08:00:30", ip="10.0.0.1"),
    ])
    assert render_report(s, title="t") == "\n".join([
        "== t ==",
        "period: 2024-05-06 08:00:00 .. 2024-05-06 08:02:00 (2.0 min, 2.0 req/min)",
        "requests: 4  malformed: 0  errors: 25.0%  bytes: 2.0 kB",
        "status: 2xx=3 3xx=0 4xx=0 5xx=1",
        "",
        "endpoint                          count   err   avg ms   p95 ms   max ms     bytes",
        "GET /a                                3     1    406.7   1200.0   1200.0    2.0 kB",
        "GET /a-rather-long-endpoint-n...      1     0        -        -        -       0 B",
        "",
        "slowest:",
        "     1200 ms  2024-05-06 08:01:00  GET /a",
        "",
        "top clients:",
        "  10.0.0.1            4",
        "",
    ])
    assert "top clients" not in render_report(s, top=0)


def test_short_and_empty_reports():
    s = summarize([line(), line("08:00:20")])
    assert "(0.3 min, 2.0 req/min)" in render_report(s)
    assert render_report(summarize(["x"])) == "== Access log ==\nno requests\nmalformed lines: 1\n"
    assert render_report(summarize([])) == "== Access log ==\nno requests\n"
    with pytest.raises(ValueError, match="^unknown report format: 'pdf'$"):
        render_report(s, fmt="pdf")


def test_csv_report_quotes_names():
    s = summarize([line(path='/say/"hi"'), line(path="/b", took="-")])
    assert render_report(s, fmt="csv") == (
        "endpoint,count,errors,avg_ms,p95_ms,max_ms,bytes\n"
        '"GET /b",1,0,,,,1\n'
        '"GET /say/""hi""",1,0,10.0,10.0,10.0,1\n'
    )
