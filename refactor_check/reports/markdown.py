"""summary.md: GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment.

Small on purpose (GitHub caps a comment at 65,536 characters): the verdict, the scorecard,
counts, the first findings, the complexity deltas; report.html has the rest.

Text from the submission (names, messages, test output) is escaped by the rules of GitHub's
Markdown (CommonMark with GFM tables, strikethrough and autolinks), so that it renders as
written: punctuation that would start emphasis, a link, a code span or a table cell is
backslash-escaped, and ``<`` becomes ``&lt;``, so no tag of the submission is ever HTML
(GitHub passes some inline HTML through). Code spans use more backticks than the text holds.
"""

from __future__ import annotations

import os
import re
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
        f"## {_ICONS.get(verdict, '')} {title}: {_code(str(exercise), in_table=False)} · "
        f"{_code(candidate, in_table=False)}\n\n"
        f"> {_escape_line(str(data.get('reason', '')))}\n"
    )


def _scorecard(data: dict[str, Any]) -> str:
    rows = ["| | result | measured |", "|---|---|---|"]
    for h in view.headlines(data):
        label = f"**{h.title}**" + (" (gate)" if h.key == "behaviour" else "")
        rows.append(f"| {label} | {_cell(h.value)} | {_cell(h.detail)} |")
    text = "\n".join(rows) + f"\n\n**Scorecard** {_escape(view.total_line(data))}\n"
    gates = view.gate_line(data)
    if gates is not None:
        text += f"\n**Gates** {_escape(gates)}\n"
    history = view.history_line(data)
    if history is not None:
        text += f"\n**History** {_escape(history.removeprefix('history: '))}\n"
    recheck = view.recheck_line(data)
    if recheck is not None:
        text += f"\n**Re-check** {_escape(recheck.removeprefix('re-check: '))}\n"
    return text


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
        rows.append(f"| {_code(str(f.get('kind')))} | {_code(str(where))} | {message} |")
    if len(findings) > MAX_FINDINGS:
        rows.append(f"\n… and {len(findings) - MAX_FINDINGS} more in report.html and report.json.")
    first = findings[0]
    evidence = first.get("evidence") or first.get("call")
    if evidence:
        text = str(evidence)[:MAX_EVIDENCE]
        # Verbatim: a fence longer than any run of backticks in the text cannot be closed by it.
        fence = "`" * max(3, _longest_backtick_run(text) + 1)
        rows += [
            "",
            "<details><summary>Evidence of the first finding</summary>",
            "",
            f"{fence}text",
            text,
            fence,
            "</details>",
        ]
    return "\n".join(rows) + "\n"


def _checks(data: dict[str, Any]) -> str:
    rows = ["### Checks", "", "| check | status | summary |", "|---|---|---|"]
    for c in data.get("checks", []):
        summary = _cell(str(c.get("summary", "")))
        rows.append(f"| {_cell(str(c.get('check')))} | {_cell(str(c.get('status')))} | {summary} |")
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
            f"{_code(str(i.get('path')), in_table=False)} ({_escape(str(i.get('why')))})"
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
            became = _escape(str(r.get("how", "")))
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


# Punctuation that starts or ends emphasis, strikethrough, a code span, a link or a table
# cell; and the backslash itself, so that one in the text cannot escape what follows it.
_INLINE = re.compile(r"[\\`*~\[\]|]")
# "_" opens or closes emphasis only at a word's edge: one between two letters or digits
# (snake_case) is text in CommonMark, and is left as written for a readable source.
_EDGE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# "&" followed by what CommonMark decodes as an entity or character reference.
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
# GitHub turns http://, https:// and www. into links by itself (GFM autolinks): an escaped
# character inside keeps them text.
_AUTOLINK = re.compile(r"(?i)\b(?:(https?|ftp)(?=://)|(www)(?=\.))")
# What makes a line a heading, quote, list item or thematic break when it starts it.
_BLOCK_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d{1,9})(?=[.)]))")


def _escape(text: str) -> str:
    """Plain text that GitHub's Markdown shows as written inside a line: no HTML, link,
    emphasis, code span or table cell comes of it. Line breaks become spaces (a paragraph
    shows them so anyway), so nothing in the text can start a block of its own."""
    text = " ".join(text.splitlines())
    text = _INLINE.sub(lambda m: "\\" + m[0], text)
    text = _EDGE_UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    # An entity rather than "\<": the file then holds no "<" of the submission at all, for
    # whatever reads it without rendering it; GitHub shows both as "<".
    text = text.replace("<", "&lt;")
    return _AUTOLINK.sub(lambda m: f"{m[0]}\\", text)


def _escape_line(text: str) -> str:
    """As ``_escape``, for text that starts a line (after "> "), where a leading "#", "-",
    "1." would make a heading, a list or a rule of it."""
    return _BLOCK_START.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\", _escape(text), count=1
    )


def _cell(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > MAX_CELL:
        one_line = one_line[: MAX_CELL - 1] + "…"
    return _escape(one_line)


def _code(text: str, *, in_table: bool = True) -> str:
    """An inline code span showing ``text`` as written: fenced with one backtick more than
    the longest run in it, padded when it starts or ends with one (CommonMark strips one
    space each side). In a table a ``|`` still ends the cell, even in a code span: GFM
    wants it escaped there, and shows it without the backslash."""
    one_line = " ".join(text.split())[:MAX_CELL]
    if not one_line:
        return ""
    fence = "`" * (_longest_backtick_run(one_line) + 1)
    if in_table:
        one_line = one_line.replace("|", "\\|")
    pad = " " if one_line[0] == "`" or one_line[-1] == "`" else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)
