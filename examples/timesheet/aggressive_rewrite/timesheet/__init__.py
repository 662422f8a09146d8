"""Timesheet files: parsing and the reports payroll and billing read.

    lines.py     one line of text into an entry dict (clock.py reads its times)
    quarters.py  the billing rule: quarter hours, 7.5 minutes past rounds up
    tally.py     hours per day, per ISO week (overtime) and per client
    report.py    the fixed-width summary
    cleanup.py   normalise_entries, which fixes the import job's rows in place
    sheet.py     Sheet, a timesheet read line by line
"""

from .cleanup import normalise_entries
from .errors import SheetError
from .lines import parse_line, parse_sheet
from .quarters import round_quarter
from .report import render_summary
from .sheet import Sheet
from .tally import client_totals, daily_totals, weekly_overtime

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
