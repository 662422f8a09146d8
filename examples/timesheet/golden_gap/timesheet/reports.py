"""Hours per day, per ISO week (with overtime) and per client."""

import datetime

DEFAULT_WEEKLY_LIMIT = 40  # hours


def _add(totals, key, minutes):
    # Kept as "first value as it is, later ones added": `totals.get(key, 0) + minutes`
    # would differ for a first value that is not a number.
    if key in totals:
        totals[key] = totals[key] + minutes
    else:
        totals[key] = minutes


def _hours(minutes):
    return round(minutes / 60, 2)


def iso_week(date_text):
    year, week, _ = datetime.date.fromisoformat(date_text).isocalendar()
    return "%04d-W%02d" % (year, week)


def daily_totals(entries):
    """Hours per day, by date."""
    days = {}
    for entry in entries:
        _add(days, entry["date"], entry["minutes"])
    return {day: _hours(days[day]) for day in sorted(days)}


def weekly_overtime(entries, limit=DEFAULT_WEEKLY_LIMIT):
    """Hours per ISO week, and how many of them are overtime."""
    weeks = {}
    for entry in entries:
        _add(weeks, iso_week(entry["date"]), entry["minutes"])
    result = []
    for week in sorted(weeks):
        hours = weeks[week] / 60
        over = hours >= limit  # a full week is over the limit
        overtime = round(hours - limit, 2) if over else 0.0
        result.append({"week": week, "hours": round(hours, 2), "overtime": overtime, "over": over})
    return result


def minutes_by_client(entries):
    totals = {}
    for entry in entries:
        _add(totals, entry["client"], entry["minutes"])
    return totals


def client_totals(entries):
    """(client, hours) pairs, most hours first, then by name."""
    rows = [(client, _hours(minutes)) for client, minutes in minutes_by_client(entries).items()]
    # Two stable sorts, as the original did: by name, then by hours descending.
    rows.sort(key=lambda row: row[0])
    rows.sort(key=lambda row: row[1], reverse=True)
    return rows


def minutes_by_task(entries, client):
    tasks = {}
    for entry in entries:
        if entry["client"] == client:
            _add(tasks, entry["task"], entry["minutes"])
    return tasks
