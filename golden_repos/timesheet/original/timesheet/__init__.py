"""Timesheet files: parsing and the reports payroll and billing read (see timesheet.sheet)."""

from .sheet import (
    Sheet,
    SheetError,
    client_totals,
    daily_totals,
    normalise_entries,
    parse_line,
    parse_sheet,
    render_summary,
    round_quarter,
    weekly_overtime,
)

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
