"""The plain-text summary sent with the monthly invoice (fixed-width columns)."""

from .reports import DEFAULT_WEEKLY_LIMIT, client_totals, daily_totals, minutes_by_task
from .reports import weekly_overtime

WIDTH = 32
NAME_WIDTH = 20
TASK_WIDTH = 18
HOURS_WIDTH = 11


def _row(name, hours):
    return "%-*s %*.2f" % (NAME_WIDTH, name[:NAME_WIDTH], HOURS_WIDTH, hours)


def _task_row(task, hours):
    return "  %-*s %*.2f" % (TASK_WIDTH, task[:TASK_WIDTH], HOURS_WIDTH, hours)


def _client_rows(entries, show_tasks):
    for client, hours in client_totals(entries):
        yield _row(client, hours)
        if show_tasks:
            tasks = minutes_by_task(entries, client)
            for task in sorted(tasks):
                yield _task_row(task, tasks[task] / 60)


def _overtime_rows(entries, limit):
    over = [week for week in weekly_overtime(entries, limit) if week["over"]]
    if not over:
        return []
    rows = ["", "Overtime (limit %s h):" % limit]
    rows += ["  %s %8.2f h" % (week["week"], week["overtime"]) for week in over]
    return rows


def render_summary(entries, show_tasks=False, limit=DEFAULT_WEEKLY_LIMIT):
    """The plain-text summary sent with the monthly invoice."""
    out = ["TIMESHEET SUMMARY", "=" * WIDTH]
    if len(entries) == 0:
        out.append("(no entries)")
        return "\n".join(out) + "\n"
    first = min(entry["date"] for entry in entries)
    last = max(entry["date"] for entry in entries)
    days = len(daily_totals(entries))
    out += ["Period: %s to %s (%d days worked)" % (first, last, days), ""]
    out += ["%-*s %*s" % (NAME_WIDTH, "Client", HOURS_WIDTH, "Hours"), "-" * WIDTH]
    out += _client_rows(entries, show_tasks)
    out.append("-" * WIDTH)
    total = 0
    for entry in entries:
        total = total + entry["minutes"]
    out.append(_row("TOTAL", total / 60))
    out += _overtime_rows(entries, limit)
    return "\n".join(out) + "\n"
