"""One writer per output format; each reads the Report's JSON form and nothing else.

report.json                  the machine-readable report (json_report)
report.html                  the interviewer's report (html)
summary.md                   for $GITHUB_STEP_SUMMARY or a PR comment (markdown)
junit.xml                    for CI test panes (junit)
mutation*.json               Stryker's mutation-testing-elements schema (stryker)
"""

from __future__ import annotations

from pathlib import Path

from ..report import Report
from . import html, json_report, junit, markdown, stryker


def write_all(report: Report, out_dir: Path) -> list[Path]:
    """Write every file report into ``out_dir``; returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = report.to_dict()
    return [
        json_report.write_data(data, out_dir),
        html.write(data, out_dir),
        markdown.write(data, out_dir),
        junit.write(data, out_dir),
        *stryker.write_all(data, out_dir),
    ]
