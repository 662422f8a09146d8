"""A timesheet read line by line (the editor plugin feeds it as you type).

The module keeps the public names it has always offered (`from timesheet.sheet import ...`).
"""

from .clocktime import SECONDS_PER_DAY, seconds_of
from .errors import SheetError
from .normalise import normalise_entries
from .parsing import parse_line, parse_sheet
from .reports import DEFAULT_WEEKLY_LIMIT, client_totals, daily_totals, weekly_overtime
from .rounding import round_quarter
from .summary import render_summary

__all__ = [
    "Sheet",
    "SheetError",
    "client_totals",
    "daily_totals",
    "normalise_entries",
    "parse_line",
    "parse_sheet",
    "render_summary",
    "round_quarter",
    "weekly_overtime",
]


def _span(entry):
    """(start, end) in seconds from the midnight the entry started after."""
    start = seconds_of(entry["start"])
    end = seconds_of(entry["end"])
    if entry["overnight"]:
        end += SECONDS_PER_DAY
    return start, end


class Sheet:
    """A timesheet being read line by line."""

    def __init__(self, limit=DEFAULT_WEEKLY_LIMIT, strict=True):
        if limit <= 0:
            raise SheetError("limit must be positive")
        self.limit = limit
        self.strict = strict
        self.entries = []
        self.errors = []
        self.lineno = 0

    def _refuse(self, error):
        """Raise in strict mode; otherwise note the error and skip the line."""
        if self.strict:
            raise error
        self.errors.append(str(error))

    def _overlapped(self, entry):
        """The first earlier entry starting on the same day whose hours overlap, or None."""
        for other in self.entries:
            if other["date"] == entry["date"]:
                other_start, other_end = _span(other)
                start, end = _span(entry)
                if start < other_end and other_start < end:
                    return other
        return None

    def add_line(self, line):
        self.lineno += 1
        try:
            entry = parse_line(line, self.lineno)
        except SheetError as error:
            if self.strict:
                raise
            self.errors.append(str(error))
            return None
        if entry is None:
            return None
        other = self._overlapped(entry)
        if other is not None:
            self._refuse(SheetError("line %d: overlaps line %d" % (self.lineno, other["line"])))
            return None
        self.entries.append(entry)
        return entry

    def add_text(self, text):
        return sum(1 for line in text.splitlines() if self.add_line(line) is not None)

    def totals(self):
        return daily_totals(self.entries)

    def clients(self):
        return client_totals(self.entries)

    def overtime(self):
        return weekly_overtime(self.entries, self.limit)

    def summary(self, show_tasks=False):
        return render_summary(self.entries, show_tasks, self.limit)
