"""The summary printed at the end of a run: readable at a glance, plain text when piped."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ..report import Report

_MAX_FINDINGS_SHOWN = 10
_VERDICT_COLOURS = {"preserved": "green", "changed": "red", "error": "yellow"}


def render(report: Report, written: Sequence[Path]) -> list[str]:
    """Lines of the summary; styling is applied by ``echo`` only on a terminal."""
    ex = report.exercise
    lines = [
        f"refactor-check · exercise {ex.name} (package {ex.package}) · "
        f"candidate {report.candidate.root}",
    ]
    width = max((len(c.check) for c in report.checks), default=0)
    for check in report.checks:
        lines.append(f"  {check.check:<{width}}  {check.status.value:<7}  {check.summary}")
    findings = report.findings
    if findings:
        lines.append(f"findings ({len(findings)}):")
        for finding in findings[:_MAX_FINDINGS_SHOWN]:
            lines.append(f"  - [{finding.kind}] {finding.message}")
        if len(findings) > _MAX_FINDINGS_SHOWN:
            lines.append(f"  ... and {len(findings) - _MAX_FINDINGS_SHOWN} more in report.json")
    lines.append(f"isolation: {report.isolation.description}")
    lines.append(f"verdict: {report.verdict.verdict.upper()}: {report.verdict.reason}")
    for path in written:
        lines.append(f"report: {path}")
    return lines


def echo(report: Report, written: Sequence[Path]) -> None:
    colour = _VERDICT_COLOURS.get(report.verdict.verdict)
    for line in render(report, written):
        if line.startswith("verdict:"):
            click.secho(line, fg=colour, bold=True)
        else:
            click.echo(line)
