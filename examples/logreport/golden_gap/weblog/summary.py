"""The totals of a log, kept in a plain dict that callers store and pass back in."""

from .parsing import parse_line
from .paths import normalize_path

KEPT_ERRORS = 5  # malformed lines whose messages are kept (all are counted)
KEPT_SLOW = 5  # slowest requests kept


def new_summary():
    return {
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


def summarize(lines, group_ids=True, slow_ms=1000, strict=False, into=None):
    """Totals of a log (any iterable of lines); adds to `into` in place when given."""
    totals = new_summary() if into is None else into
    for lineno, raw in enumerate(lines, start=1):
        record = parse_line(raw, lineno, strict)
        if record is None:
            continue
        if "error" in record:
            _count_malformed(totals, record["error"])
        else:
            _count_request(totals, record, group_ids, slow_ms)
    return totals


def _count_malformed(totals, message):
    totals["malformed"] += 1
    if len(totals["errors"]) < KEPT_ERRORS:
        totals["errors"].append(message)


def _count_request(totals, record, group_ids, slow_ms):
    totals["requests"] += 1
    ts = record["ts"]
    if totals["first"] is None or ts < totals["first"]:
        totals["first"] = ts
    if totals["last"] is None or ts > totals["last"]:
        totals["last"] = ts
    code = record["status"]
    bucket = status_class(code)
    if bucket == "other":  # the only class a summary may not have yet
        totals["status"][bucket] = totals["status"].get(bucket, 0) + 1
    else:
        totals["status"][bucket] += 1
    key = record["method"] + " " + normalize_path(record["path"], group_ids)
    endpoint = totals["endpoints"].get(key)
    if endpoint is None:
        endpoint = {"count": 0, "errors": 0, "times": [], "bytes": 0}
        totals["endpoints"][key] = endpoint
    endpoint["count"] += 1
    if code >= 500:
        endpoint["errors"] += 1
    ms = record["ms"]
    if ms is not None:
        endpoint["times"].append(ms)
        if ms >= slow_ms:
            _keep_slow(totals["slow"], (ms, ts, key))
    endpoint["bytes"] += record["bytes"]
    totals["bytes"] += record["bytes"]
    totals["clients"][record["ip"]] = totals["clients"].get(record["ip"], 0) + 1


def status_class(code):
    """"2xx" .. "5xx"; anything below 200 is "other" (600 and up count as 5xx)."""
    for floor, name in ((500, "5xx"), (400, "4xx"), (300, "3xx"), (200, "2xx")):
        if code >= floor:
            return name
    return "other"


def _keep_slow(slow, entry):
    """Slowest first, earlier first among equals; only the KEPT_SLOW slowest stay."""
    slow.append(entry)
    slow.sort(key=lambda e: (-e[0], e[1]))
    del slow[KEPT_SLOW:]
