"""The weekly report: fixed-width text for the email, or CSV for the spreadsheet."""

import datetime
from collections import Counter

from .numbers import human_bytes, percentile

TIMESTAMP = "%Y-%m-%d %H:%M:%S"
NAME_WIDTH = 32
CSV_HEADER = "endpoint,count,errors,avg_ms,p95_ms,max_ms,bytes"


def render_report(s, title="Access log", fmt="text", top=3):
    """The weekly report as text (fixed width) or CSV (one row per endpoint)."""
    if fmt == "csv":
        return _csv(s)
    if fmt != "text":
        raise ValueError("unknown report format: %r" % (fmt,))
    return _text(s, title, top)


def _timings(times, fmt):
    """Average, 95th percentile and maximum of an endpoint's (non-empty) times."""
    return fmt % (sum(times) / len(times)), fmt % percentile(times, 95), fmt % max(times)


def _csv(s):
    out = [CSV_HEADER]
    for key in sorted(s["endpoints"]):
        ep = s["endpoints"][key]
        # CSV tests the times for truth, the text report their length: the two differ on
        # a summary whose "times" is None, and callers may depend on either.
        avg, p95, mx = _timings(ep["times"], "%.1f") if ep["times"] else ("", "", "")
        name = key.replace('"', '""')
        out.append(
            '"%s",%d,%d,%s,%s,%s,%d' % (name, ep["count"], ep["errors"], avg, p95, mx, ep["bytes"])
        )
    return "\n".join(out) + "\n"


def _text(s, title, top):
    lines = ["== %s ==" % title]
    if s["requests"] == 0:
        lines.append("no requests")
        if s["malformed"] > 0:
            lines.append("malformed lines: %d" % s["malformed"])
        return "\n".join(lines) + "\n"
    lines += _overview(s)
    lines += ["", _endpoint_header(), *_endpoint_rows(s["endpoints"])]
    if s["slow"]:
        lines += ["", "slowest:"]
        lines += ["  %7.0f ms  %s  %s" % (ms, ts, key) for ms, ts, key in s["slow"]]
    if top > 0 and s["clients"]:
        lines += ["", "top clients:"]
        lines += ["  %-15s %5d" % (ip, n) for ip, n in Counter(s["clients"]).most_common(top)]
    if s["errors"]:
        lines += ["", "first malformed lines:"]
        lines += ["  " + error for error in s["errors"]]
    return "\n".join(lines) + "\n"


def _overview(s):
    first = datetime.datetime.strptime(s["first"], TIMESTAMP)
    last = datetime.datetime.strptime(s["last"], TIMESTAMP)
    minutes = (last - first).total_seconds() / 60
    rate = s["requests"] / max(minutes, 1)  # a short log counts as one minute
    errors = s["status"]["5xx"] * 100.0 / s["requests"]
    statuses = " ".join("%s=%d" % (k, s["status"][k]) for k in sorted(s["status"]))
    return [
        "period: %s .. %s (%.1f min, %.1f req/min)" % (s["first"], s["last"], minutes, rate),
        "requests: %d  malformed: %d  errors: %.1f%%  bytes: %s"
        % (s["requests"], s["malformed"], errors, human_bytes(s["bytes"])),
        "status: " + statuses,
    ]


def _endpoint_header():
    return "%-32s %6s %5s %8s %8s %8s %9s" % (
        "endpoint", "count", "err", "avg ms", "p95 ms", "max ms", "bytes"
    )


def _endpoint_rows(endpoints):
    rows = sorted(endpoints.items(), key=lambda kv: (-kv[1]["count"], kv[0]))
    for key, ep in rows:
        name = key if len(key) <= NAME_WIDTH else key[: NAME_WIDTH - 3] + "..."
        missing = "%8s" % "-"
        times = ep["times"]
        avg, p95, mx = _timings(times, "%8.1f") if len(times) > 0 else (missing,) * 3
        yield "%-32s %6d %5d %s %s %s %9s" % (
            name, ep["count"], ep["errors"], avg, p95, mx, human_bytes(ep["bytes"])
        )
