"""Timesheet files: parsing and the reports payroll and billing read."""

from .errors import SheetError
from .normalise import normalise_entries
from .parsing import parse_line, parse_sheet
from .reports import client_totals, daily_totals, weekly_overtime
from .rounding import round_quarter
from .sheet import Sheet
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
