"""Access-log summaries for the ops weekly report.

Reads the gateway's access log (one request per line), works out traffic per endpoint,
latency percentiles, error rates and the busiest clients, and renders the fixed-width text
report that goes into the weekly email (or CSV for the capacity-planning spreadsheet).

Notes for whoever touches this next:
  * A line looks like
        2024-03-01 12:00:03 10.0.0.7 GET /api/users/42?x=1 200 123ms 5321
    Duration is "123ms", "1.5s" or "-" (not measured); size is bytes or "-".
  * Archived logs from the old gateway have the method in lower case and the status
    written as "HTTP/200". Both must still parse.
  * summarize() adds to the totals of an earlier run when they are passed as `into`:
    the weekly job feeds it one day at a time and keeps the same dict.
"""

import datetime
import math

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


class LogFormatError(ValueError):
    """A line of the access log cannot be read."""


def parse_line(line, lineno=0, strict=False):
    """One log line as a dict; None for blank lines and comments.

    A line that cannot be read raises LogFormatError when strict, else comes back as
    {"error": message}.
    """
    line = line.strip()
    if line == "" or line.startswith("#"):
        return None
    parts = line.split()
    if len(parts) != 8:
        msg = "line %d: expected 8 fields, found %d" % (lineno, len(parts))
        if strict:
            raise LogFormatError(msg)
        return {"error": msg}
    day, clock, ip, method, path, status, took, size = parts
    if len(day) != 10 or day[4] != "-" or day[7] != "-" or not day.replace("-", "").isdigit():
        msg = "line %d: bad date %r" % (lineno, day)
        if strict:
            raise LogFormatError(msg)
        return {"error": msg}
    if len(clock) != 8 or clock[2] != ":" or clock[5] != ":" or not clock.replace(":", "").isdigit():
        msg = "line %d: bad time %r" % (lineno, clock)
        if strict:
            raise LogFormatError(msg)
        return {"error": msg}
    method = method.upper()
    if method not in METHODS:
        msg = "line %d: unknown method %r" % (lineno, method)
        if strict:
            raise LogFormatError(msg)
        return {"error": msg}
    if status.startswith("HTTP/"):
        status = status[5:]
    if len(status) != 3 or not status.isdigit():
        msg = "line %d: bad status %r" % (lineno, status)
        if strict:
            raise LogFormatError(msg)
        return {"error": msg}
    ms = None
    if took != "-":
        try:
            if took.endswith("ms"):
                ms = float(took[:-2])
            elif took.endswith("s"):
                ms = float(took[:-1]) * 1000
            else:
                raise ValueError(took)
        except ValueError:
            msg = "line %d: bad duration %r" % (lineno, took)
            if strict:
                raise LogFormatError(msg)
            return {"error": msg}
    if size == "-":
        nbytes = 0
    elif size.isdigit():
        nbytes = int(size)
    else:
        msg = "line %d: bad size %r" % (lineno, size)
        if strict:
            raise LogFormatError(msg)
        return {"error": msg}
    return {
        "ts": day + " " + clock,
        "ip": ip,
        "method": method,
        "path": path,
        "status": int(status),
        "ms": ms,
        "bytes": nbytes,
    }


def normalize_path(path, group_ids=True):
    """Drop the query string; with group_ids, numbers become :id and long hex ids :hash."""
    q = path.find("?")
    if q >= 0:
        path = path[:q]
    if not group_ids:
        return path
    out = []
    for seg in path.split("/"):
        if seg.isdigit():
            out.append(":id")
        elif len(seg) >= 8 and all(c in "0123456789abcdef" for c in seg.lower()):
            out.append(":hash")
        else:
            out.append(seg)
    path = "/".join(out)
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path


def percentile(values, pct):
    """Nearest-rank percentile (the one the SLO document uses); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = int(math.ceil(pct / 100.0 * len(ordered))) - 1
    if k < 0:
        k = 0
    return ordered[k]


def human_bytes(n):
    if n < 1024:
        return "%d B" % n
    elif n < 1024 * 1024:
        return "%.1f kB" % (n / 1024.0)
    else:
        return "%.1f MB" % (n / 1024.0 / 1024.0)


def summarize(lines, group_ids=True, slow_ms=1000, strict=False, into=None):
    """Totals of a log (any iterable of lines); adds to `into` in place when given."""
    if into is None:
        into = {
            "requests": 0,
            "malformed": 0,
            "errors": [],
            "first": None,
            "last": None,
            "status": {"2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0},
            "endpoints": {},
            "clients": {},
            "slow": [],
            "bytes": 0,
        }
    s = into
    n = 0
    for raw in lines:
        n += 1
        rec = parse_line(raw, n, strict)
        if rec is None:
            continue
        if "error" in rec:
            s["malformed"] += 1
            if len(s["errors"]) < 5:
                s["errors"].append(rec["error"])
            continue
        s["requests"] += 1
        if s["first"] is None or rec["ts"] < s["first"]:
            s["first"] = rec["ts"]
        if s["last"] is None or rec["ts"] > s["last"]:
            s["last"] = rec["ts"]
        code = rec["status"]
        if code >= 500:
            s["status"]["5xx"] += 1
        elif code >= 400:
            s["status"]["4xx"] += 1
        elif code >= 300:
            s["status"]["3xx"] += 1
        elif code >= 200:
            s["status"]["2xx"] += 1
        else:
            s["status"]["other"] = s["status"].get("other", 0) + 1
        key = rec["method"] + " " + normalize_path(rec["path"], group_ids)
        ep = s["endpoints"].get(key)
        if ep is None:
            ep = {"count": 0, "errors": 0, "times": [], "bytes": 0}
            s["endpoints"][key] = ep
        ep["count"] += 1
        if code >= 500:
            ep["errors"] += 1
        if rec["ms"] is not None:
            ep["times"].append(rec["ms"])
            if rec["ms"] >= slow_ms:
                s["slow"].append((rec["ms"], rec["ts"], key))
                s["slow"].sort(key=lambda x: (-x[0], x[1]))
                del s["slow"][5:]
        ep["bytes"] += rec["bytes"]
        s["bytes"] += rec["bytes"]
        s["clients"][rec["ip"]] = s["clients"].get(rec["ip"], 0) + 1
    return s


def render_report(s, title="Access log", fmt="text", top=3):
    """The weekly report as text (fixed width) or CSV (one row per endpoint)."""
    if fmt == "csv":
        out = ["endpoint,count,errors,avg_ms,p95_ms,max_ms,bytes"]
        for key in sorted(s["endpoints"]):
            ep = s["endpoints"][key]
            t = ep["times"]
            if t:
                avg = "%.1f" % (sum(t) / len(t))
                p95 = "%.1f" % percentile(t, 95)
                mx = "%.1f" % max(t)
            else:
                avg = ""
                p95 = ""
                mx = ""
            name = key.replace('"', '""')
            out.append('"%s",%d,%d,%s,%s,%s,%d' % (name, ep["count"], ep["errors"], avg, p95, mx, ep["bytes"]))
        return "\n".join(out) + "\n"
    elif fmt != "text":
        raise ValueError("unknown report format: %r" % (fmt,))

    lines = ["== %s ==" % title]
    if s["requests"] == 0:
        lines.append("no requests")
        if s["malformed"] > 0:
            lines.append("malformed lines: %d" % s["malformed"])
        return "\n".join(lines) + "\n"
    first = datetime.datetime.strptime(s["first"], "%Y-%m-%d %H:%M:%S")
    last = datetime.datetime.strptime(s["last"], "%Y-%m-%d %H:%M:%S")
    minutes = (last - first).total_seconds() / 60
    rate = s["requests"] / max(minutes, 1)
    lines.append("period: %s .. %s (%.1f min, %.1f req/min)" % (s["first"], s["last"], minutes, rate))
    errors = s["status"]["5xx"] * 100.0 / s["requests"]
    lines.append("requests: %d  malformed: %d  errors: %.1f%%  bytes: %s" % (s["requests"], s["malformed"], errors, human_bytes(s["bytes"])))
    parts = []
    for k in sorted(s["status"]):
        parts.append("%s=%d" % (k, s["status"][k]))
    lines.append("status: " + " ".join(parts))
    lines.append("")
    lines.append("%-32s %6s %5s %8s %8s %8s %9s" % ("endpoint", "count", "err", "avg ms", "p95 ms", "max ms", "bytes"))
    rows = sorted(s["endpoints"].items(), key=lambda kv: (-kv[1]["count"], kv[0]))
    for key, ep in rows:
        name = key
        if len(name) > 32:
            name = name[:29] + "..."
        t = ep["times"]
        if len(t) > 0:
            avg = "%8.1f" % (sum(t) / len(t))
            p95 = "%8.1f" % percentile(t, 95)
            mx = "%8.1f" % max(t)
        else:
            avg = "%8s" % "-"
            p95 = "%8s" % "-"
            mx = "%8s" % "-"
        lines.append("%-32s %6d %5d %s %s %s %9s" % (name, ep["count"], ep["errors"], avg, p95, mx, human_bytes(ep["bytes"])))
    if s["slow"]:
        lines.append("")
        lines.append("slowest:")
        for ms, ts, key in s["slow"]:
            lines.append("  %7.0f ms  %s  %s" % (ms, ts, key))
    if top > 0 and s["clients"]:
        lines.append("")
        lines.append("top clients:")
        ranked = sorted(s["clients"].items(), key=lambda kv: (-kv[1], kv[0]))
        for ip, count in ranked[:top]:
            lines.append("  %-15s %5d" % (ip, count))
    if s["errors"]:
        lines.append("")
        lines.append("first malformed lines:")
        for e in s["errors"]:
            lines.append("  " + e)
    return "\n".join(lines) + "\n"
