"""One writer per output format; each reads a Report and nothing else."""

from __future__ import annotations

from pathlib import Path

from ..report import Report
from . import json_report


def write_all(report: Report, out_dir: Path) -> list[Path]:
    """Write every file report into ``out_dir``; returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [json_report.write(report, out_dir)]
