"""Hours per day, per ISO week and per client, from entry dicts."""

import datetime
from operator import itemgetter

WEEKLY_LIMIT = 40


def _minutes_by(entries, key):
    """{key(entry): minutes}, in first-seen order; a first value is kept as it came."""
    sums = {}
    for entry in entries:
        k = key(entry)
        sums[k] = sums[k] + entry["minutes"] if k in sums else entry["minutes"]
    return sums


def _hours(minutes):
    return round(minutes / 60, 2)


def _week_of(entry):
    year, week, _ = datetime.date.fromisoformat(entry["date"]).isocalendar()
    return "%04d-W%02d" % (year, week)


def daily_totals(entries):
    """Hours per day, by date."""
    sums = _minutes_by(entries, itemgetter("date"))
    return {day: _hours(sums[day]) for day in sorted(sums)}


def _week_row(week, minutes, limit):
    hours = minutes / 60
    if hours > limit:
        return {"week": week, "hours": _hours(minutes), "overtime": round(hours - limit, 2), "over": True}
    return {"week": week, "hours": _hours(minutes), "overtime": 0.0, "over": False}


def weekly_overtime(entries, limit=WEEKLY_LIMIT):
    """Hours per ISO week, and how many of them are overtime (above, not at, the limit)."""
    sums = _minutes_by(entries, _week_of)
    return [_week_row(week, sums[week], limit) for week in sorted(sums)]


def client_totals(entries):
    """(client, hours) pairs, most hours first, then by name."""
    rows = [(client, _hours(minutes)) for client, minutes in _minutes_by(entries, itemgetter("client")).items()]
    by_name = sorted(rows, key=itemgetter(0))
    return sorted(by_name, key=itemgetter(1), reverse=True)


def task_minutes(entries, client):
    """{task: minutes} of the entries whose client equals `client`."""
    return _minutes_by((e for e in entries if e["client"] == client), itemgetter("task"))
