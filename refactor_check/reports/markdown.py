"""summary.md: GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment.

Small on purpose (GitHub caps a comment at 65,536 characters): the verdict, the scorecard,
counts, the first findings, the complexity deltas; report.html has the rest. Text from the
submission (messages, test output) is escaped, since Markdown would render HTML in it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import view

FILENAME = "summary.md"
STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
MAX_CHARS = 60_000  # under GitHub's 65,536 for a comment, with room for a heading of its own
MAX_FINDINGS = 10
MAX_FUNCTIONS = 12
MAX_CELL = 300
MAX_EVIDENCE = 2_000
_ICONS = {"preserved": "✅", "changed": "❌", "error": "⚠️"}


def render(data: dict[str, Any]) -> str:
    parts = [
        _heading(data),
        _scorecard(data),
        _findings(data),
        _checks(data),
        _complexity(data),
        "_Full report: `report.html` beside this summary (open it in a browser)._\n",
    ]
    text = "\n".join(p for p in parts if p)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + "\n\n_(cut to fit; see report.html)_\n"
    return text


def write(data: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / FILENAME
    text = render(data)
    path.write_text(text, encoding="utf-8")
    summary = os.environ.get(STEP_SUMMARY_ENV)
    if summary:
        # GitHub gives each step its own file; appending keeps what earlier commands wrote.
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return path


def _heading(data: dict[str, Any]) -> str:
    verdict = data.get("verdict", "error")
    title = view.VERDICT_TITLES.get(verdict, verdict)
    exercise = view.section(data, "exercise").get("name", "")
    candidate = Path(str(view.section(data, "candidate").get("path", ""))).name
    return (
        f"## {_ICONS.get(verdict, '')} {title}: `{exercise}` · `{candidate}`\n\n"
        f"> {_escape(str(data.get('reason', '')))}\n"
    )


def _scorecard(data: dict[str, Any]) -> str:
    rows = ["| | result | measured |", "|---|---|---|"]
    for h in view.headlines(data):
        label = f"**{h.title}**" + (" (gate)" if h.key == "behaviour" else "")
        rows.append(f"| {label} | {_cell(h.value)} | {_cell(h.detail)} |")
    return "\n".join(rows) + f"\n\n**Scorecard** {_escape(view.total_line(data))}\n"


def _findings(data: dict[str, Any]) -> str:
    findings = [f for f in data.get("findings", []) if isinstance(f, dict)]
    if not findings:
        return ""
    rows = [f"### Findings ({len(findings)})", "", "| kind | where | message |", "|---|---|---|"]
    for f in findings[:MAX_FINDINGS]:
        where = f.get("test_id") or (
            f"{f.get('file')}:{f.get('line')}" if f.get("file") else f.get("check", "")
        )
        message = _cell(str(f.get("message", "")))
        rows.append(f"| `{f.get('kind')}` | {_code(str(where))} | {message} |")
    if len(findings) > MAX_FINDINGS:
        rows.append(f"\n… and {len(findings) - MAX_FINDINGS} more in report.html and report.json.")
    first = findings[0]
    evidence = first.get("evidence") or first.get("call")
    if evidence:
        text = str(evidence)[:MAX_EVIDENCE].replace("```", "'''")
        rows += [
            "",
            "<details><summary>Evidence of the first finding</summary>",
            "",
            "```text",
            text,
            "```",
            "</details>",
        ]
    return "\n".join(rows) + "\n"


def _checks(data: dict[str, Any]) -> str:
    rows = ["### Checks", "", "| check | status | summary |", "|---|---|---|"]
    for c in data.get("checks", []):
        summary = _cell(str(c.get("summary", "")))
        rows.append(f"| {c.get('check')} | {c.get('status')} | {summary} |")
    return "\n".join(rows) + "\n"


def _complexity(data: dict[str, Any]) -> str:
    complexity = view.section(data, "complexity")
    deltas = complexity.get("deltas") or {}
    if not deltas:
        return ""
    rows = [
        "### Complexity (radon)",
        "",
        "| measure | original | candidate | change |",
        "|---|--:|--:|--:|",
    ]
    for key, label, digits in (
        ("cc_max", "largest function's complexity", 0),
        ("complex_functions", "functions above complexity 10", 0),
        ("cc_total", "complexity, all functions", 0),
        ("functions", "functions and methods", 0),
        ("mi_min", "least maintainable module's index", 1),
        ("duplicated_lines", "duplicated lines", 0),
    ):
        d = deltas.get(key) or {}
        rows.append(
            f"| {label} | {_num(d.get('original'), digits)} | {_num(d.get('candidate'), digits)} "
            f"| {view.signed(d.get('delta'), digits)} |"
        )
    change = complexity.get("change") or {}
    if change.get("summary"):
        rows += ["", f"**Size of change:** {_escape(str(change['summary']))}."]
    ignored = view.section(data, "candidate").get("ignored") or []
    if ignored:
        listed = ", ".join(
            f"{_code(str(i.get('path')))} ({_escape(str(i.get('why')))})"
            for i in ignored[:MAX_FUNCTIONS]
        )
        rows += ["", f"Not part of the submission, never read or run: {listed}."]
    package = view.section(data, "exercise").get("package")
    changed = sorted(
        (r for r in complexity.get("functions") or [] if r.get("delta") != 0),
        key=lambda r: -abs(r.get("delta") if r.get("delta") is not None else r.get("cc_before", 0)),
    )
    if changed:
        rows += [
            "",
            "<details><summary>Function by function</summary>",
            "",
            "| original function | became | before | after | helpers |",
            "|---|---|--:|--:|--:|",
        ]
        for r in changed[:MAX_FUNCTIONS]:
            became = r.get("how", "")
            if r.get("candidate"):
                became += " → " + _code(view.short_name(r["candidate"], package))
            after = "none" if r.get("cc_after") is None else r["cc_after"]
            rows.append(
                f"| {_code(view.short_name(r.get('original'), package))} | {became} "
                f"| {r.get('cc_before')} | {after} | {len(r.get('helpers') or [])} |"
            )
        rows += ["", "</details>"]
    return "\n".join(rows) + "\n"


def _num(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _escape(text: str) -> str:
    """Plain text that Markdown shows as written: no HTML, no accidental emphasis or links."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*[]|":  # GFM leaves intraword underscores alone
        text = text.replace(char, "\\" + char)
    return text


def _cell(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > MAX_CELL:
        one_line = one_line[: MAX_CELL - 1] + "…"
    return _escape(one_line)


def _code(text: str) -> str:
    """An inline code span that survives a table: backticks doubled when the text has one."""
    one_line = " ".join(text.split())[:MAX_CELL].replace("|", "\\|")
    fence = "``" if "`" in one_line else "`"
    return f"{fence} {one_line} {fence}" if fence == "``" else f"`{one_line}`"
