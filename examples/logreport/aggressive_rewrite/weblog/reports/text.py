"""The fixed-width text report that goes into the weekly email.

Built from sections, each a generator of lines; the optional ones start with a blank
line.  Every figure is read and formatted in the order the report shows it.
"""

import datetime

from ..stats import human_bytes
from ..vocabulary import SERVER_ERROR, TIMESTAMP_FORMAT
from .timings import formatted_timings

NAME_WIDTH = 32
_ELLIPSIS = "..."
_COLUMNS = "%-32s %6s %5s %8s %8s %8s %9s" % ("endpoint", "count", "err", "avg ms", "p95 ms", "max ms", "bytes")
_ROW = "%-32s %6d %5d %s %s %s %9s"
_NO_TIMING = "%8s" % "-"
_MINIMUM_MINUTES = 1  # the request rate is per minute, over at least one minute


def _fit(name):
    if len(name) > NAME_WIDTH:
        return name[: NAME_WIDTH - len(_ELLIPSIS)] + _ELLIPSIS
    return name


def _empty(summary):
    yield "no requests"
    if summary["malformed"] > 0:
        yield "malformed lines: %d" % summary["malformed"]


def _overview(summary):
    first = datetime.datetime.strptime(summary["first"], TIMESTAMP_FORMAT)
    last = datetime.datetime.strptime(summary["last"], TIMESTAMP_FORMAT)
    minutes = (last - first).total_seconds() / 60
    rate = summary["requests"] / max(minutes, _MINIMUM_MINUTES)
    yield "period: %s .. %s (%.1f min, %.1f req/min)" % (summary["first"], summary["last"], minutes, rate)
    error_pct = summary["status"][SERVER_ERROR] * 100.0 / summary["requests"]
    yield "requests: %d  malformed: %d  errors: %.1f%%  bytes: %s" % (
        summary["requests"],
        summary["malformed"],
        error_pct,
        human_bytes(summary["bytes"]),
    )
    status = summary["status"]
    yield "status: " + " ".join("%s=%d" % (label, status[label]) for label in sorted(status))


def _endpoint_row(key, endpoint):
    name = _fit(key)
    times = endpoint["times"]
    cells = formatted_timings(times, "%8.1f") if len(times) > 0 else [_NO_TIMING] * 3
    return _ROW % (name, endpoint["count"], endpoint["errors"], *cells, human_bytes(endpoint["bytes"]))


def _busiest_first(item):
    key, endpoint = item
    return (-endpoint["count"], key)


def _endpoint_table(summary):
    yield ""
    yield _COLUMNS
    for key, endpoint in sorted(summary["endpoints"].items(), key=_busiest_first):
        yield _endpoint_row(key, endpoint)


def _slowest(summary):
    if summary["slow"]:
        yield ""
        yield "slowest:"
        for ms, ts, key in summary["slow"]:
            yield "  %7.0f ms  %s  %s" % (ms, ts, key)


def _top_clients(summary, top):
    if top > 0 and summary["clients"]:
        yield ""
        yield "top clients:"
        ranked = sorted(summary["clients"].items(), key=lambda item: (-item[1], item[0]))
        for ip, count in ranked[:top]:
            yield "  %-15s %5d" % (ip, count)


def _malformed(summary):
    if summary["errors"]:
        yield ""
        yield "first malformed lines:"
        for message in summary["errors"]:
            yield "  " + message


def render_text(summary, title, top):
    out = ["== %s ==" % title]
    if summary["requests"] == 0:
        out.extend(_empty(summary))
    else:
        for section in (_overview, _endpoint_table, _slowest):
            out.extend(section(summary))
        out.extend(_top_clients(summary, top))
        out.extend(_malformed(summary))
    return "\n".join(out) + "\n"
