import pytest

from sample_log import LOG
from weblog import LogFormatError, summarize


def test_a_summary_holds_every_total():
    s = summarize(LOG.splitlines())
    assert s == {
        "requests": 11,
        "malformed": 1,
        "errors": ["line 10: expected 8 fields, found 7"],
        "first": "2024-03-04 09:00:05",
        "last": "2024-03-04 09:10:05",
        "status": {"2xx": 7, "3xx": 1, "4xx": 1, "5xx": 2},
        "endpoints": {
            "GET /api/users/:id": {"count": 6, "errors": 2, "times": [12.0, 30.0, 1200.0, 1000.0, 14.0, 16.0], "bytes": 21842},
            "POST /api/orders": {"count": 1, "errors": 0, "times": [240.0], "bytes": 812},
            "GET /api/export/:hash": {"count": 1, "errors": 0, "times": [3500.0], "bytes": 2097152},
            "DELETE /api/orders/:id": {"count": 1, "errors": 0, "times": [8.0], "bytes": 0},
            "GET /health": {"count": 1, "errors": 0, "times": [], "bytes": 2},
            "PUT /api/orders/:id": {"count": 1, "errors": 0, "times": [55.0], "bytes": 0},
        },
        "clients": {"10.0.0.7": 5, "10.0.0.8": 3, "10.0.0.9": 2, "10.0.0.12": 1},
        "slow": [
            (3500.0, "2024-03-04 09:02:30", "GET /api/export/:hash"),
            (1200.0, "2024-03-04 09:02:00", "GET /api/users/:id"),
            (1000.0, "2024-03-04 09:05:59", "GET /api/users/:id"),
        ],
        "bytes": 2119808,
    }


def test_lines_can_come_from_any_iterable_in_any_order():
    lines = [
        "2024-03-04 10:00:00 10.0.0.1 GET /a 200 5ms 1",
        "2024-03-04 08:00:00 10.0.0.1 GET /a 200 5ms 1",
        "2024-03-04 09:00:00 10.0.0.1 GET /a 200 5ms 1",
    ]
    s = summarize(iter(lines))
    assert (s["first"], s["last"], s["requests"]) == ("2024-03-04 08:00:00", "2024-03-04 10:00:00", 3)


def test_status_codes_below_200_are_counted_as_other():
    s = summarize([
        "2024-03-04 10:00:00 10.0.0.1 GET /ws 101 5ms 0",
        "2024-03-04 10:00:01 10.0.0.1 GET /ws 101 5ms 0",
        "2024-03-04 10:00:02 10.0.0.1 GET /ws 199 5ms 0",
        "2024-03-04 10:00:03 10.0.0.1 GET /ws 200 5ms 0",
        "2024-03-04 10:00:04 10.0.0.1 GET /ws 399 5ms 0",
        "2024-03-04 10:00:04 10.0.0.1 GET /ws 300 5ms 0",
        "2024-03-04 10:00:05 10.0.0.1 GET /ws 400 5ms 0",
        "2024-03-04 10:00:06 10.0.0.1 GET /ws 499 5ms 0",
        "2024-03-04 10:00:07 10.0.0.1 GET /ws 599 5ms 0",
    ])
    assert s["status"] == {"2xx": 1, "3xx": 2, "4xx": 2, "5xx": 1, "other": 3}
    assert s["endpoints"]["GET /ws"]["errors"] == 1


def test_the_five_slowest_requests_are_kept_slowest_first():
    lines = [
        "2024-03-04 10:00:%02d 10.0.0.1 GET /slow/%s 200 %s 0" % (i, "zyxwvutsr"[i], took)
        for i, took in enumerate(["999ms", "1s", "2s", "1.5s", "3s", "2s", "1000.5ms", "4s", "20ms"])
    ]
    s = summarize(lines)
    assert s["slow"] == [
        (4000.0, "2024-03-04 10:00:07", "GET /slow/s"),
        (3000.0, "2024-03-04 10:00:04", "GET /slow/v"),
        (2000.0, "2024-03-04 10:00:02", "GET /slow/x"),
        (2000.0, "2024-03-04 10:00:05", "GET /slow/u"),
        (1500.0, "2024-03-04 10:00:03", "GET /slow/w"),
    ]
    assert [entry[0] for entry in summarize(lines, slow_ms=2500)["slow"]] == [4000.0, 3000.0]


def test_only_the_first_five_errors_are_kept_but_all_are_counted():
    lines = ["garbage %d" % i for i in range(7)] + ["2024-03-04 10:00:00 10.0.0.1 GET / 200 5ms 1"]
    s = summarize(lines)
    assert s["malformed"] == 7 and s["requests"] == 1
    assert s["errors"] == ["line %d: expected 8 fields, found 2" % n for n in range(1, 6)]


def test_a_summary_adds_to_an_earlier_one_in_place():
    monday = summarize(LOG.splitlines())
    tuesday = [
        "2024-03-05 09:00:00 10.0.0.99 GET /api/users/1 200 4s 10",
        "2024-03-05 09:00:01 10.0.0.7 GET /api/users/2 200 5ms 20",
        "bad line",
    ]
    week = summarize(tuesday, into=monday)
    assert week is monday
    assert (week["requests"], week["malformed"], week["last"]) == (13, 2, "2024-03-05 09:00:01")
    assert week["errors"] == ["line 10: expected 8 fields, found 7", "line 3: expected 8 fields, found 2"]
    assert week["endpoints"]["GET /api/users/:id"]["count"] == 8
    assert week["clients"]["10.0.0.7"] == 6 and week["clients"]["10.0.0.99"] == 1
    assert week["slow"][0] == (4000.0, "2024-03-05 09:00:00", "GET /api/users/:id")
    assert week["bytes"] == 2119838


def test_strict_summaries_stop_at_the_first_bad_line():
    with pytest.raises(LogFormatError) as info:
        summarize(LOG.splitlines(), strict=True)
    assert str(info.value) == "line 10: expected 8 fields, found 7"


def test_without_grouping_each_raw_path_is_its_own_endpoint():
    s = summarize(LOG.splitlines(), group_ids=False)
    assert sorted(s["endpoints"])[:3] == ["DELETE /api/orders/77", "GET /api/export/9f86d081884c7d65", "GET /api/users/17"]
    assert s["endpoints"]["GET /api/users/42"]["count"] == 2
    assert s["endpoints"]["GET /api/users/42/"]["count"] == 1
