"""The fixed-width summary sent with the monthly invoice."""

from .tally import WEEKLY_LIMIT, client_totals, daily_totals, task_minutes, weekly_overtime

RULE = "-" * 32
EMPTY = "TIMESHEET SUMMARY\n" + "=" * 32 + "\n(no entries)\n"


def _line(label, hours, indent=0):
    width = 20 - indent
    return " " * indent + "%-*s %11.2f" % (width, label[:width], hours)


def _body(entries, show_tasks, limit):
    yield "TIMESHEET SUMMARY"
    yield "=" * 32
    first = min(e["date"] for e in entries)
    last = max(e["date"] for e in entries)
    yield "Period: %s to %s (%d days worked)" % (first, last, len(daily_totals(entries)))
    yield ""
    yield "%-20s %11s" % ("Client", "Hours")
    yield RULE
    for client, hours in client_totals(entries):
        yield _line(client, hours)
        if show_tasks:
            tasks = task_minutes(entries, client)
            for task in sorted(tasks):
                yield _line(task, tasks[task] / 60, indent=2)
    yield RULE
    total = 0
    for e in entries:
        total = total + e["minutes"]
    yield _line("TOTAL", total / 60)
    over = [w for w in weekly_overtime(entries, limit) if w["over"]]
    if over:
        yield ""
        yield "Overtime (limit %s h):" % (limit,)
        for w in over:
            yield "  %s %8.2f h" % (w["week"], w["overtime"])


def render_summary(entries, show_tasks=False, limit=WEEKLY_LIMIT):
    """The plain-text summary sent with the monthly invoice."""
    if len(entries) == 0:
        return EMPTY
    return "".join(row + "\n" for row in _body(entries, show_tasks, limit))
