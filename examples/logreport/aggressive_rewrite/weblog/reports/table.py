"""The CSV report for the capacity-planning spreadsheet: one row per endpoint, by name."""

from .timings import formatted_timings

_HEADER = "endpoint,count,errors,avg_ms,p95_ms,max_ms,bytes"
_ROW = '"%s",%d,%d,%s,%s,%s,%d'
_NO_TIMINGS = ["", "", ""]


def _quoted(name):
    return name.replace('"', '""')


def _row(key, endpoint):
    times = endpoint["times"]
    avg, p95, slowest = formatted_timings(times, "%.1f") if times else _NO_TIMINGS
    return _ROW % (_quoted(key), endpoint["count"], endpoint["errors"], avg, p95, slowest, endpoint["bytes"])


def render_csv(summary):
    endpoints = summary["endpoints"]
    rows = [_HEADER]
    rows.extend(_row(key, endpoints[key]) for key in sorted(endpoints))
    return "\n".join(rows) + "\n"
