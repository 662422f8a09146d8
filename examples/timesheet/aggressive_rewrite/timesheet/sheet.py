"""Sheet: a timesheet read line by line, as the editor plugin feeds it."""

from .clock import DAY, seconds_since_midnight
from .errors import SheetError
from .lines import parse_line
from .report import render_summary
from .tally import WEEKLY_LIMIT, client_totals, daily_totals, weekly_overtime


def _interval(entry):
    start = seconds_since_midnight(entry["start"])
    end = seconds_since_midnight(entry["end"])
    return start, end + DAY if entry["overnight"] else end


class Sheet:
    """Entries in the order read; overlapping entries that start on the same day are refused.

    strict: a bad line raises SheetError; otherwise its message goes to `errors`.
    """

    def __init__(self, limit=WEEKLY_LIMIT, strict=True):
        if limit <= 0:
            raise SheetError("limit must be positive")
        self.limit = limit
        self.strict = strict
        self.entries = []
        self.errors = []
        self.lineno = 0

    def add_line(self, line):
        self.lineno += 1
        try:
            entry = parse_line(line, self.lineno)
            if entry is not None:
                self._check_overlap(entry)
        except SheetError as error:
            if self.strict:
                raise
            self.errors.append(str(error))
            return None
        if entry is not None:
            self.entries.append(entry)
        return entry

    def _check_overlap(self, entry):
        for other in self.entries:
            if other["date"] != entry["date"]:
                continue
            other_start, other_end = _interval(other)
            start, end = _interval(entry)
            if start < other_end and other_start < end:
                raise SheetError("line %d: overlaps line %d" % (self.lineno, other["line"]))

    def add_text(self, text):
        added = [self.add_line(line) for line in text.splitlines()]
        return len([entry for entry in added if entry is not None])

    def totals(self):
        return daily_totals(self.entries)

    def clients(self):
        return client_totals(self.entries)

    def overtime(self):
        return weekly_overtime(self.entries, self.limit)

    def summary(self, show_tasks=False):
        return render_summary(self.entries, show_tasks, self.limit)
