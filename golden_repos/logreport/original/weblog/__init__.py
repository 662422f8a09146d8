"""Access-log summaries for the ops weekly report (see weblog.report)."""

from .report import (
    METHODS,
    LogFormatError,
    human_bytes,
    normalize_path,
    parse_line,
    percentile,
    render_report,
    summarize,
)

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
