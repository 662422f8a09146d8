import pytest

from weblog import METHODS, LogFormatError, parse_line


def test_a_full_line_parses_into_its_fields():
    line = "2024-03-01 12:00:03 10.0.0.7 GET /api/users/42?x=1 200 123ms 5321\n"
    assert parse_line(line, 7) == {
        "ts": "2024-03-01 12:00:03",
        "ip": "10.0.0.7",
        "method": "GET",
        "path": "/api/users/42?x=1",
        "status": 200,
        "ms": 123.0,
        "bytes": 5321,
    }


def test_old_gateway_lines_still_parse():
    rec = parse_line("  2023-12-31 23:59:59 192.168.1.20 delete /files/9 HTTP/404 1.5s -  ")
    assert (rec["method"], rec["status"], rec["ms"], rec["bytes"]) == ("DELETE", 404, 1500.0, 0)
    assert METHODS == ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
    assert parse_line("2024-01-01 00:00:00 ::1 Head / 304 0.25s 0")["method"] == "HEAD"


def test_durations_in_milliseconds_seconds_or_not_measured():
    base = "2024-03-01 12:00:03 10.0.0.7 GET / 200 {} 10"
    assert [parse_line(base.format(d))["ms"] for d in ("87.5ms", "2s", "0.004s", "-")] == [
        87.5, 2000.0, 4.0, None
    ]


@pytest.mark.parametrize("line", ["", "   \n", "# rotated 2024-03-01", "  # comment"])
def test_blank_lines_and_comments_are_skipped(line):
    assert parse_line(line, 3, strict=True) is None


BAD_LINES = [
    ("2024-03-01 12:00:03 10.0.0.7 GET / 200 5ms", "expected 8 fields, found 7"),
    ("2024-03-01 12:00:03 10.0.0.7 GET / 200 5ms 1 extra", "expected 8 fields, found 9"),
    ("2024/03/01 12:00:03 10.0.0.7 GET / 200 5ms 10", "bad date '2024/03/01'"),
    ("2024-03-1x 12:00:03 10.0.0.7 GET / 200 5ms 10", "bad date '2024-03-1x'"),
    ("2024-3-01 12:00:03 10.0.0.7 GET / 200 5ms 10", "bad date '2024-3-01'"),
    ("2024-03_01 12:00:03 10.0.0.7 GET / 200 5ms 10", "bad date '2024-03_01'"),
    ("2024-03101 12:00:03 10.0.0.7 GET / 200 5ms 10", "bad date '2024-03101'"),
    ("2024-03-1 12:00:03 10.0.0.7 GET / 200 5ms 10", "bad date '2024-03-1'"),
    ("2024-03-01 12.00:03 10.0.0.7 GET / 200 5ms 10", "bad time '12.00:03'"),
    ("2024-03-01 12:00.03 10.0.0.7 GET / 200 5ms 10", "bad time '12:00.03'"),
    ("2024-03-01 12:0:03 10.0.0.7 GET / 200 5ms 10", "bad time '12:0:03'"),
    ("2024-03-01 12:00:0x 10.0.0.7 GET / 200 5ms 10", "bad time '12:00:0x'"),
    ("2024-03-01 12:00003 10.0.0.7 GET / 200 5ms 10", "bad time '12:00003'"),
    ("2024-03-01 12:00:3 10.0.0.7 GET / 200 5ms 10", "bad time '12:00:3'"),
    ("2024-03-01 12:00:03 10.0.0.7 FETCH / 200 5ms 10", "unknown method 'FETCH'"),
    ("2024-03-01 12:00:03 10.0.0.7 GET / 2000 5ms 10", "bad status '2000'"),
    ("2024-03-01 12:00:03 10.0.0.7 GET / HTTP/20x 5ms 10", "bad status '20x'"),
    ("2024-03-01 12:00:03 10.0.0.7 GET / 200 5min 10", "bad duration '5min'"),
    ("2024-03-01 12:00:03 10.0.0.7 GET / 200 fastms 10", "bad duration 'fastms'"),
    ("2024-03-01 12:00:03 10.0.0.7 GET / 200 5 10", "bad duration '5'"),
    ("2024-03-01 12:00:03 10.0.0.7 GET / 200 5ms 1.5k", "bad size '1.5k'"),
]


def test_malformed_lines_come_back_as_errors():
    for line, problem in BAD_LINES:
        assert parse_line(line, 12) == {"error": "line 12: " + problem}
    assert parse_line(BAD_LINES[0][0]) == {"error": "line 0: expected 8 fields, found 7"}


def test_malformed_lines_raise_when_strict():
    for line, problem in BAD_LINES:
        with pytest.raises(LogFormatError) as info:
            parse_line(line, 4, strict=True)
        assert str(info.value) == "line 4: " + problem
    assert issubclass(LogFormatError, ValueError)
