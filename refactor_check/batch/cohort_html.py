"""cohort.html: the cohort table as one self-contained page (no scripts, no fetches).

Rows are in committee order, each candidate's name links to their own report, and every
value is escaped: names and reasons are the candidates' text.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from .cohort import Cell, columns
from .rows import Row

FILENAME = "cohort.html"
# The report a candidate's name links to: the first of these the grading wrote.
_REPORT_FILES = ("report.html", "report.json", "grading.log")

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1f23; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
p.meta { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.35em 0.7em; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.reason { max-width: 40em; color: #57606a; }
.preserved { color: #1a7f37; font-weight: 600; }
.changed { color: #cf222e; font-weight: 600; }
.error { color: #9a6700; font-weight: 600; }
@media print { th { position: static; } }
"""


def write(rows: Sequence[Row], out_dir: Path, title: str) -> Path:
    path = out_dir / FILENAME
    path.write_text(render(rows, out_dir, title), encoding="utf-8")
    return path


def render(rows: Sequence[Row], out_dir: Path, title: str) -> str:
    table = columns(rows)
    verdicts = Counter(r.verdict for r in rows)
    summary = ", ".join(f"{verdicts[v]} {v}" for v in ("preserved", "changed", "error"))
    head = "".join(f"<th>{html.escape(c.name)}</th>" for c in table)
    body = "\n".join(
        "<tr>" + "".join(_cell(c.name, c.cell(row), row, out_dir) for c in table) + "</tr>"
        for row in rows
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="meta">{len(rows)} candidate(s): {html.escape(summary)}. '
        "Preserved first, then by scores; an empty cell was not measured.</p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>\n"
        "</body></html>\n"
    )


def _cell(name: str, value: Cell, row: Row, out_dir: Path) -> str:
    text = html.escape("" if value is None else str(value))
    if name == "candidate":
        link = _report_link(row.candidate, out_dir)
        return f"<td>{text}</td>" if link is None else f'<td><a href="{link}">{text}</a></td>'
    if name == "verdict":
        return f'<td class="{text}">{text}</td>'
    if name == "reason":
        return f'<td class="reason">{text}</td>'
    if isinstance(value, (int, float)):
        return f'<td class="number">{text}</td>'
    return f"<td>{text}</td>"


def _report_link(candidate: str, out_dir: Path) -> str | None:
    """A relative, percent-encoded link: names may hold spaces, '#', '?' or quotes."""
    for name in _REPORT_FILES:
        if (out_dir / candidate / name).is_file():
            return html.escape(f"{quote(candidate)}/{name}", quote=True)
    return None
