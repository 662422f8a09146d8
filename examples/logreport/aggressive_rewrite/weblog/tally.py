"""summarize(): folding parsed records into the totals dict.

The totals stay a plain dict: the weekly job stores it and passes it back in as ``into``,
and callers read its keys.  ``_Tally`` only wraps it with the update rules.
"""

from .lines import parse_line
from .paths import normalize_path
from .vocabulary import (
    KEPT_ERROR_MESSAGES,
    KEPT_SLOW_REQUESTS,
    OTHER_STATUS,
    SERVER_ERROR,
    STATUS_CLASSES,
)


def _blank_totals():
    return {
        "requests": 0,
        "malformed": 0,
        "errors": [],
        "first": None,
        "last": None,
        "status": {label: 0 for _, label in reversed(STATUS_CLASSES)},
        "endpoints": {},
        "clients": {},
        "slow": [],
        "bytes": 0,
    }


def _blank_endpoint():
    return {"count": 0, "errors": 0, "times": [], "bytes": 0}


def _status_class(code):
    return next((label for floor, label in STATUS_CLASSES if code >= floor), OTHER_STATUS)


def _slow_order(entry):
    # slowest first, then earliest first
    return (-entry[0], entry[1])


class _Tally:
    def __init__(self, totals, group_ids, slow_ms):
        self.totals = totals
        self.group_ids = group_ids
        self.slow_ms = slow_ms

    def malformed(self, message):
        totals = self.totals
        totals["malformed"] += 1
        if len(totals["errors"]) < KEPT_ERROR_MESSAGES:
            totals["errors"].append(message)

    def request(self, record):
        totals = self.totals
        totals["requests"] += 1
        self._widen_period(record["ts"])
        label = _status_class(record["status"])
        self._count_status(label)
        key = record["method"] + " " + normalize_path(record["path"], self.group_ids)
        self._count_endpoint(key, label, record)
        totals["bytes"] += record["bytes"]
        clients = totals["clients"]
        clients[record["ip"]] = clients.get(record["ip"], 0) + 1

    def _widen_period(self, ts):
        totals = self.totals
        if totals["first"] is None or ts < totals["first"]:
            totals["first"] = ts
        if totals["last"] is None or ts > totals["last"]:
            totals["last"] = ts

    def _count_status(self, label):
        counts = self.totals["status"]
        if label == OTHER_STATUS:
            counts[label] = counts.get(label, 0) + 1
        else:
            counts[label] += 1

    def _count_endpoint(self, key, label, record):
        endpoints = self.totals["endpoints"]
        endpoint = endpoints.get(key)
        if endpoint is None:
            endpoint = endpoints[key] = _blank_endpoint()
        endpoint["count"] += 1
        if label == SERVER_ERROR:
            endpoint["errors"] += 1
        ms = record["ms"]
        if ms is not None:
            endpoint["times"].append(ms)
            if ms >= self.slow_ms:
                self._keep_if_slowest((ms, record["ts"], key))
        endpoint["bytes"] += record["bytes"]

    def _keep_if_slowest(self, entry):
        slow = self.totals["slow"]
        slow.append(entry)
        slow.sort(key=_slow_order)  # stable: earlier requests first among equals
        del slow[KEPT_SLOW_REQUESTS:]


def summarize(lines, group_ids=True, slow_ms=1000, strict=False, into=None):
    """Totals of a log (any iterable of lines); adds to `into` in place when given."""
    totals = _blank_totals() if into is None else into
    tally = _Tally(totals, group_ids, slow_ms)
    for lineno, raw in enumerate(lines, start=1):
        record = parse_line(raw, lineno, strict)
        if record is None:
            continue
        if "error" in record:
            tally.malformed(record["error"])
        else:
            tally.request(record)
    return totals
