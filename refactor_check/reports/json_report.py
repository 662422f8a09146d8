"""report.json: the machine-readable report (schema in report.Report.to_dict)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..report import Report

FILENAME = "report.json"


def render(report: Report) -> str:
    return dumps(report.to_dict())


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write(report: Report, out_dir: Path) -> Path:
    return write_data(report.to_dict(), out_dir)


def write_data(data: dict[str, Any], out_dir: Path) -> Path:
    """Write report.json whole or not at all: a pipeline that polls it (a partial report is
    replaced by the complete one) never reads half a file."""
    path = out_dir / FILENAME
    scratch = path.with_name(f".{FILENAME}.{os.getpid()}.tmp")
    try:
        scratch.write_text(dumps(data), encoding="utf-8")
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return path
