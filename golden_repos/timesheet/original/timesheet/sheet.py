"""Timesheet files and the reports built from them.

Consultants keep one plain-text file per month, one line per stretch of work:

    2024-03-04 09:00-12:30 acme:design   # workshop with their ops team
    2024-03-04 13:15-17:40:30 Acme : Code Review

date, start-end (HH:MM or HH:MM:SS; an end before the start means the work went on past
midnight, and "24:00" is allowed as an end), then client:task and an optional # comment.
Blank lines and lines that are only a comment are skipped.

Operational notes (read before touching anything):
  * Billing rounds every entry to the nearest quarter hour; 7.5 minutes past a quarter is
    billed as the next quarter (agreed with finance, do not "fix").
  * An entry past midnight counts entirely on the day it started, also for the week.
  * Payroll pays overtime for hours above the weekly limit (40 unless the contract says
    otherwise); exactly the limit is not overtime.
  * The import job calls normalise_entries() on rows it already holds and reuses them, so
    it must fix the rows in place.
"""

import datetime


class SheetError(Exception):
    """A timesheet line that cannot be read."""


def round_quarter(minutes):
    """Round minutes to the nearest quarter hour (7.5 past a quarter rounds up)."""
    whole = int(minutes // 15)
    rest = minutes - whole * 15
    if rest >= 7.5:
        whole = whole + 1
    return whole * 15


def _seconds_of(text):
    # helper for the overlap check; the parser has its own copy (see parse_line)
    bits = text.split(":")
    s = 0
    if len(bits) == 3:
        s = int(bits[2])
    return int(bits[0]) * 3600 + int(bits[1]) * 60 + s


def parse_line(line, lineno=1):
    """Parse one line of a timesheet.

    Returns the entry as a dict, or None for a blank or comment-only line.
    """
    comment = ""
    if "#" in line:
        i = line.index("#")
        comment = line[i + 1 :].strip()
        line = line[:i]
    line = line.strip()
    if line == "":
        return None
    parts = line.split()
    if len(parts) < 3:
        raise SheetError("line %d: expected a date, a time range and a client" % lineno)
    d = parts[0]
    if len(d) != 10 or d[4] != "-" or d[7] != "-" or not (d[:4] + d[5:7] + d[8:]).isdigit():
        raise SheetError("line %d: bad date %r" % (lineno, d))
    try:
        day = datetime.date(int(d[:4]), int(d[5:7]), int(d[8:]))
    except ValueError:
        raise SheetError("line %d: no such day %s" % (lineno, d))
    rng = parts[1].split("-")
    if len(rng) != 2:
        raise SheetError("line %d: bad time range %r" % (lineno, parts[1]))
    # start time
    bits = rng[0].split(":")
    if len(bits) == 2 or len(bits) == 3:
        ok = len(bits[0]) <= 2
        for j, b in enumerate(bits):
            if not b.isascii() or not b.isdigit() or (j > 0 and len(b) != 2):
                ok = False
        if not ok:
            raise SheetError("line %d: bad time %r" % (lineno, rng[0]))
        h = int(bits[0])
        m = int(bits[1])
        s = 0
        if len(bits) == 3:
            s = int(bits[2])
        if h > 23 or m > 59 or s > 59:
            raise SheetError("line %d: bad time %r" % (lineno, rng[0]))
        start = h * 3600 + m * 60 + s
    else:
        raise SheetError("line %d: bad time %r" % (lineno, rng[0]))
    # end time (same as the start, but 24:00 is fine here)
    bits = rng[1].split(":")
    if len(bits) == 2 or len(bits) == 3:
        ok = len(bits[0]) <= 2
        for j, b in enumerate(bits):
            if not b.isascii() or not b.isdigit() or (j > 0 and len(b) != 2):
                ok = False
        if not ok:
            raise SheetError("line %d: bad time %r" % (lineno, rng[1]))
        h = int(bits[0])
        m = int(bits[1])
        s = 0
        if len(bits) == 3:
            s = int(bits[2])
        if h == 24 and m == 0 and s == 0:
            end = 86400
        elif h > 23 or m > 59 or s > 59:
            raise SheetError("line %d: bad time %r" % (lineno, rng[1]))
        else:
            end = h * 3600 + m * 60 + s
    else:
        raise SheetError("line %d: bad time %r" % (lineno, rng[1]))
    overnight = False
    if end == start:
        raise SheetError("line %d: empty time range %s" % (lineno, parts[1]))
    elif end < start:
        end = end + 86400
        overnight = True
    if end - start > 57600:
        raise SheetError("line %d: entry longer than 16 hours" % lineno)
    what = " ".join(parts[2:])
    if ":" in what:
        client, task = what.split(":", 1)
    else:
        client, task = what, ""
    client = client.strip().lower()
    task = task.strip().lower()
    if client == "":
        raise SheetError("line %d: missing client" % lineno)
    if task == "":
        task = "general"
    return {
        "line": lineno,
        "date": day.isoformat(),
        "start": rng[0],
        "end": rng[1],
        "overnight": overnight,
        "client": client,
        "task": task,
        "minutes": round_quarter((end - start) / 60),
        "comment": comment,
    }


def parse_sheet(text):
    """Parse a whole timesheet; the entries in file order."""
    entries = []
    n = 0
    for raw in text.splitlines():
        n += 1
        e = parse_line(raw, n)
        if e is not None:
            entries.append(e)
    return entries


def daily_totals(entries):
    """Hours per day, by date."""
    days = {}
    for e in entries:
        if e["date"] in days:
            days[e["date"]] = days[e["date"]] + e["minutes"]
        else:
            days[e["date"]] = e["minutes"]
    out = {}
    for d in sorted(days):
        out[d] = round(days[d] / 60, 2)
    return out


def weekly_overtime(entries, limit=40):
    """Hours per ISO week, and how many of them are overtime."""
    weeks = {}
    for e in entries:
        y, w, _ = datetime.date.fromisoformat(e["date"]).isocalendar()
        key = "%04d-W%02d" % (y, w)
        if key in weeks:
            weeks[key] = weeks[key] + e["minutes"]
        else:
            weeks[key] = e["minutes"]
    result = []
    for key in sorted(weeks):
        hours = weeks[key] / 60
        if hours > limit:
            over = round(hours - limit, 2)
            result.append({"week": key, "hours": round(hours, 2), "overtime": over, "over": True})
        else:
            result.append({"week": key, "hours": round(hours, 2), "overtime": 0.0, "over": False})
    return result


def client_totals(entries):
    """(client, hours) pairs, most hours first, then by name."""
    totals = {}
    for e in entries:
        if e["client"] in totals:
            totals[e["client"]] = totals[e["client"]] + e["minutes"]
        else:
            totals[e["client"]] = e["minutes"]
    rows = []
    for c in totals:
        rows.append((c, round(totals[c] / 60, 2)))
    rows.sort(key=lambda r: r[0])
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows


def render_summary(entries, show_tasks=False, limit=40):
    """The plain-text summary sent with the monthly invoice."""
    out = ["TIMESHEET SUMMARY", "=" * 32]
    if len(entries) == 0:
        out.append("(no entries)")
        return "\n".join(out) + "\n"
    first = min(e["date"] for e in entries)
    last = max(e["date"] for e in entries)
    days = len(daily_totals(entries))
    out.append("Period: %s to %s (%d days worked)" % (first, last, days))
    out.append("")
    out.append("%-20s %11s" % ("Client", "Hours"))
    out.append("-" * 32)
    for client, hours in client_totals(entries):
        out.append("%-20s %11.2f" % (client[:20], hours))
        if show_tasks:
            tasks = {}
            for e in entries:
                if e["client"] == client:
                    if e["task"] in tasks:
                        tasks[e["task"]] = tasks[e["task"]] + e["minutes"]
                    else:
                        tasks[e["task"]] = e["minutes"]
            for t in sorted(tasks):
                out.append("  %-18s %11.2f" % (t[:18], tasks[t] / 60))
    out.append("-" * 32)
    total = 0
    for e in entries:
        total = total + e["minutes"]
    out.append("%-20s %11.2f" % ("TOTAL", total / 60))
    over = []
    for w in weekly_overtime(entries, limit):
        if w["over"]:
            over.append(w)
    if over:
        out.append("")
        out.append("Overtime (limit %s h):" % limit)
        for w in over:
            out.append("  %s %8.2f h" % (w["week"], w["overtime"]))
    return "\n".join(out) + "\n"


def normalise_entries(entries, default_task="general"):
    """Tidy entry dicts from the import job IN PLACE; returns how many changed."""
    changed = 0
    for e in entries:
        before = dict(e)
        if isinstance(e.get("client"), str):
            e["client"] = e["client"].strip().lower()
        if isinstance(e.get("task"), str) and e["task"].strip() != "":
            e["task"] = e["task"].strip().lower()
        else:
            e["task"] = default_task
        if e.get("minutes") is not None:
            e["minutes"] = round_quarter(e["minutes"])
        if e.get("comment") is None:
            e["comment"] = ""
        elif isinstance(e["comment"], str):
            e["comment"] = e["comment"].strip()
        if e != before:
            changed = changed + 1
    return changed


class Sheet:
    """A timesheet being read line by line (the editor plugin feeds it as you type)."""

    def __init__(self, limit=40, strict=True):
        if limit <= 0:
            raise SheetError("limit must be positive")
        self.limit = limit
        self.strict = strict
        self.entries = []
        self.errors = []
        self.lineno = 0

    def add_line(self, line):
        self.lineno = self.lineno + 1
        try:
            entry = parse_line(line, self.lineno)
        except SheetError as exc:
            if self.strict:
                raise
            self.errors.append(str(exc))
            return None
        if entry is None:
            return None
        # overlaps are only looked for among entries that start on the same day
        for other in self.entries:
            if other["date"] == entry["date"]:
                a1 = _seconds_of(other["start"])
                a2 = _seconds_of(other["end"])
                if other["overnight"]:
                    a2 = a2 + 86400
                b1 = _seconds_of(entry["start"])
                b2 = _seconds_of(entry["end"])
                if entry["overnight"]:
                    b2 = b2 + 86400
                if b1 < a2 and a1 < b2:
                    msg = "line %d: overlaps line %d" % (self.lineno, other["line"])
                    if self.strict:
                        raise SheetError(msg)
                    self.errors.append(msg)
                    return None
        self.entries.append(entry)
        return entry

    def add_text(self, text):
        added = 0
        for raw in text.splitlines():
            if self.add_line(raw) is not None:
                added = added + 1
        return added

    def totals(self):
        return daily_totals(self.entries)

    def clients(self):
        return client_totals(self.entries)

    def overtime(self):
        return weekly_overtime(self.entries, self.limit)

    def summary(self, show_tasks=False):
        return render_summary(self.entries, show_tasks, self.limit)
