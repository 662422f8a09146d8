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

from ..report import Report
from ..results import complexity as complexity_result
from . import view

FILENAME = "summary.md"
STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
MAX_CHARS = 60_000  # under GitHub's 65,536 for a comment, with room for a heading of its own
MAX_FINDINGS = 10
MAX_FUNCTIONS = 12
MAX_CELL = 300
MAX_EVIDENCE = 2_000
_ICONS = {"preserved": "✅", "changed": "❌", "error": "⚠️"}


def render(report: Report) -> str:
    parts = [
        _heading(report),
        _scorecard(report),
        _findings(report),
        _checks(report),
        _complexity(report),
        "_Full report: `report.html` beside this summary (open it in a browser)._\n",
    ]
    text = "\n".join(p for p in parts if p)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + "\n\n_(cut to fit; see report.html)_\n"
    return text


def write(report: Report, out_dir: Path) -> Path:
    path = out_dir / FILENAME
    text = render(report)
    path.write_text(text, encoding="utf-8")
    summary = os.environ.get(STEP_SUMMARY_ENV)
    if summary:
        # GitHub gives each step its own file; appending keeps what earlier commands wrote.
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return path


def _heading(report: Report) -> str:
    verdict = report.verdict.verdict
    title = view.VERDICT_TITLES.get(verdict, verdict)
    candidate = Path(report.candidate.path).name
    return (
        f"## {_ICONS.get(verdict, '')} {title}: {_code(report.exercise.name, in_table=False)} · "
        f"{_code(candidate, in_table=False)}\n\n"
        f"> {_escape_line(report.verdict.reason)}\n"
    )


def _scorecard(report: Report) -> str:
    rows = ["| | result | measured |", "|---|---|---|"]
    for h in view.headlines(report):
        label = f"**{h.title}**" + (" (gate)" if h.key == "behaviour" else "")
        rows.append(f"| {label} | {_cell(h.value)} | {_cell(h.detail)} |")
    text = "\n".join(rows) + f"\n\n**Scorecard** {_escape(view.total_line(report))}\n"
    gates = view.gate_line(report)
    if gates is not None:
        text += f"\n**Gates** {_escape(gates)}\n"
    history = view.history_line(report.history)
    text += f"\n**History** {_escape(history.removeprefix('history: '))}\n"
    recheck = view.recheck_line(report.recheck)
    if recheck is not None:
        text += f"\n**Re-check** {_escape(recheck.removeprefix('re-check: '))}\n"
    return text


def _findings(report: Report) -> str:
    findings = report.findings
    if not findings:
        return ""
    rows = [f"### Findings ({len(findings)})", "", "| kind | where | message |", "|---|---|---|"]
    for f in findings[:MAX_FINDINGS]:
        where = f.test_id or (f"{f.file}:{f.line}" if f.file else f.check)
        rows.append(f"| {_code(f.kind)} | {_code(where)} | {_cell(f.message)} |")
    if len(findings) > MAX_FINDINGS:
        rows.append(f"\n… and {len(findings) - MAX_FINDINGS} more in report.html and report.json.")
    first = findings[0]
    evidence = first.evidence or first.call
    if evidence:
        text = evidence[:MAX_EVIDENCE]
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


def _checks(report: Report) -> str:
    rows = ["### Checks", "", "| check | status | summary |", "|---|---|---|"]
    for c in report.checks:
        rows.append(f"| {_cell(c.check)} | {_cell(c.status.value)} | {_cell(c.summary)} |")
    return "\n".join(rows) + "\n"


# The radon figures the summary compares, as each summary of a package names them.
_FIGURES = (
    ("cc_max", "largest function's complexity", 0),
    ("complex_functions", "functions above complexity 10", 0),
    ("cc_total", "complexity, all functions", 0),
    ("functions", "functions and methods", 0),
    ("mi_min", "least maintainable module's index", 1),
    ("duplicated_lines", "duplicated lines", 0),
)


def _complexity(report: Report) -> str:
    complexity = report.complexity
    if complexity is None:
        return ""
    rows = [
        "### Complexity (radon)",
        "",
        "| measure | original | candidate | change |",
        "|---|--:|--:|--:|",
    ]
    for key, label, digits in _FIGURES:
        before = getattr(complexity.original, key)
        after = getattr(complexity.candidate, key)
        change = complexity_result.figure_change(before, after)
        rows.append(
            f"| {label} | {_num(before, digits)} | {_num(after, digits)} "
            f"| {view.signed(change, digits)} |"
        )
    if complexity.change is not None:
        rows += ["", f"**Size of change:** {_escape(complexity.change.describe())}."]
    ignored = report.candidate.ignored
    if ignored:
        listed = ", ".join(
            f"{_code(i.path, in_table=False)} ({_escape(i.why)})" for i in ignored[:MAX_FUNCTIONS]
        )
        rows += ["", f"Not part of the submission, never read or run: {listed}."]
    package = report.exercise.package
    changed = sorted(
        (r for r in complexity.mapped if r.delta != 0),
        key=lambda r: -abs(r.delta if r.delta is not None else r.cc_before),
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
            became = _escape(r.how)
            if r.candidate:
                became += " → " + _code(view.short_name(r.candidate, package))
            after_cc = "none" if r.cc_after is None else r.cc_after
            rows.append(
                f"| {_code(view.short_name(r.original, package))} | {became} "
                f"| {r.cc_before} | {after_cc} | {len(r.helpers)} |"
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
