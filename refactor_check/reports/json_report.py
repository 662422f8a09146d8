"""report.json: the machine-readable report (schema in report.Report.to_dict)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..report import Report

FILENAME = "report.json"


def render(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, out_dir: Path) -> Path:
    """Write report.json whole or not at all: a pipeline that polls it (a partial report is
    replaced by the complete one) never reads half a file."""
    path = out_dir / FILENAME
    scratch = path.with_name(f".{FILENAME}.{os.getpid()}.tmp")
    try:
        scratch.write_text(render(report), encoding="utf-8")
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return path
