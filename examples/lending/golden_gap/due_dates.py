"""When a loan falls due: the loan period from a start date, never on a Sunday."""

from datetime import timedelta

SUNDAY = 6  # date.weekday()


def due_after(start, days):
    """The day a loan of `days` days from `start` falls due. The library is shut on
    Sundays: a loan that would fall due on one falls due on the Monday instead."""
    due = start + timedelta(days=days)
    if due.weekday() == SUNDAY:
        due = due + timedelta(days=1)
    return due
