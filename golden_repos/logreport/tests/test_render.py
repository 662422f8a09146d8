import pytest

from sample_log import LOG
from weblog import render_report, summarize

MONDAY = """\
== gateway-7, Monday ==
period: 2024-03-04 09:00:05 .. 2024-03-04 09:10:05 (10.0 min, 1.1 req/min)
requests: 11  malformed: 1  errors: 18.2%  bytes: 2.0 MB
status: 2xx=7 3xx=1 4xx=1 5xx=2

endpoint                          count   err   avg ms   p95 ms   max ms     bytes
GET /api/users/:id                    6     2    378.7   1200.0   1200.0   21.3 kB
DELETE /api/orders/:id                1     0      8.0      8.0      8.0       0 B
GET /api/export/:hash                 1     0   3500.0   3500.0   3500.0    2.0 MB
GET /health                           1     0        -        -        -       2 B
POST /api/orders                      1     0    240.0    240.0    240.0     812 B
PUT /api/orders/:id                   1     0     55.0     55.0     55.0       0 B

slowest:
     3500 ms  2024-03-04 09:02:30  GET /api/export/:hash
     1200 ms  2024-03-04 09:02:00  GET /api/users/:id
     1000 ms  2024-03-04 09:05:59  GET /api/users/:id

top clients:
  10.0.0.7            5
  10.0.0.8            3
  10.0.0.9            2

first malformed lines:
  line 10: expected 8 fields, found 7
"""

MONDAY_CSV = """\
endpoint,count,errors,avg_ms,p95_ms,max_ms,bytes
"DELETE /api/orders/:id",1,0,8.0,8.0,8.0,0
"GET /api/export/:hash",1,0,3500.0,3500.0,3500.0,2097152
"GET /api/users/:id",6,2,378.7,1200.0,1200.0,21842
"GET /health",1,0,,,,2
"POST /api/orders",1,0,240.0,240.0,240.0,812
"PUT /api/orders/:id",1,0,55.0,55.0,55.0,0
"""


def test_the_text_report():
    assert render_report(summarize(LOG.splitlines()), title="gateway-7, Monday") == MONDAY


def test_the_csv_report():
    assert render_report(summarize(LOG.splitlines()), fmt="csv") == MONDAY_CSV


def test_a_short_log_counts_its_rate_over_at_least_a_minute():
    s = summarize([
        "2024-03-04 11:00:00 10.0.0.3 GET /ping 204 4ms 0",
        "2024-03-04 11:00:30 10.0.0.3 GET /ping 204 6ms 0",
    ])
    assert render_report(s) == (
        "== Access log ==\n"
        "period: 2024-03-04 11:00:00 .. 2024-03-04 11:00:30 (0.5 min, 2.0 req/min)\n"
        "requests: 2  malformed: 0  errors: 0.0%  bytes: 0 B\n"
        "status: 2xx=2 3xx=0 4xx=0 5xx=0\n"
        "\n"
        "endpoint                          count   err   avg ms   p95 ms   max ms     bytes\n"
        "GET /ping                             2     0      5.0      6.0      6.0       0 B\n"
        "\n"
        "top clients:\n"
        "  10.0.0.3            2\n"
    )


def test_a_log_without_requests():
    assert render_report(summarize([])) == "== Access log ==\nno requests\n"
    assert render_report(summarize(["oops", "# only a comment"]), title="empty") == (
        "== empty ==\nno requests\nmalformed lines: 1\n"
    )


def test_top_clients_can_be_fewer_or_left_out():
    s = summarize(LOG.splitlines())
    tail = render_report(s, top=1).split("top clients:\n")[1]
    assert tail == "  10.0.0.7            5\n\nfirst malformed lines:\n  line 10: expected 8 fields, found 7\n"
    assert "top clients" not in render_report(s, top=0)
    assert render_report(s, top=0).endswith("09:05:59  GET /api/users/:id\n\nfirst malformed lines:\n  line 10: expected 8 fields, found 7\n")


def test_long_endpoint_names_are_cut_to_the_column():
    s = summarize([
        "2024-03-04 11:00:00 10.0.0.3 GET /api/v2/reports/quarterly/sum 200 4ms 0",
        "2024-03-04 11:00:01 10.0.0.3 GET /api/v2/reports/quarterly/ab 200 4ms 0",
    ])
    rows = render_report(s, top=0).splitlines()[6:8]
    assert rows == [
        "GET /api/v2/reports/quarterly/ab      1     0      4.0      4.0      4.0       0 B",
        "GET /api/v2/reports/quarterly...      1     0      4.0      4.0      4.0       0 B",
    ]


def test_the_95th_percentile_of_twenty_timings_is_the_second_slowest():
    s = summarize(
        "2024-03-04 11:00:%02d 10.0.0.3 GET /items 200 %dms 0" % (n, n) for n in range(1, 21)
    )
    assert render_report(s, top=0).splitlines()[6] == (
        "GET /items                           20     0     10.5     19.0     20.0       0 B"
    )
    assert render_report(s, fmt="csv").splitlines()[1] == '"GET /items",20,0,10.5,19.0,20.0,0'


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError) as info:
        render_report(summarize([]), fmt="html")
    assert str(info.value) == "unknown report format: 'html'"
