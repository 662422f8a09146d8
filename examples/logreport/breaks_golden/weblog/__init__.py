"""Access-log summaries for the ops weekly report.

parsing: one log line at a time; paths: endpoint names; numbers: percentiles and sizes;
summary: totals of a log; render: the text and CSV reports.
"""

from .numbers import human_bytes, percentile
from .parsing import METHODS, LogFormatError, parse_line
from .paths import normalize_path
from .render import render_report
from .summary import summarize

__all__ = [
    "METHODS",
    "LogFormatError",
    "human_bytes",
    "normalize_path",
    "parse_line",
    "percentile",
    "render_report",
    "summarize",
]
