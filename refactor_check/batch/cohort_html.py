"""cohort.html: the cohort table as one self-contained page, for the hiring committee.

Rendered from reports/templates/cohort.html.j2 with report.html's Jinja environment and
styles (autoescaped: names, reasons and calls are the candidates' text, never markup). The
rows come in committee order, with the ranking note above them, so the page reads fully
without JavaScript; one small inline script (allowed by its hash, as report.html's is) lets
a reader re-sort by any column. Nothing is fetched: a Content-Security-Policy forbids it.

Each candidate's name links to their own report; a row with a differential counterexample
shows the call itself, linked to the finding in that candidate's report.html.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from .. import __version__
from ..reports import highlight, templating, view
from .ranking import VERDICTS, Ranking
from .rows import BAD_INPUT, FAILED, REJECTED, Row

FILENAME = "cohort.html"
TEMPLATE = "cohort.html.j2"
# The report a candidate's name links to: the first of these the grading wrote.
_REPORT_FILES = ("report.html", "report.json", "grading.log")
# report.html's card of the first differential finding (macros.html.j2, finding_card), and
# the section that holds every behaviour finding, when a report has no such card.
_FINDING_ANCHORS = ("finding-differential_mismatch-0", "behaviour")
# A counterexample is shrunk, so short; a long one is cut here and is whole in the report.
_CALL_CHARS = 400
_CALL_LINES = 6
_STATUS_WORDS = {
    FAILED: "refactor-check failed on it",
    BAD_INPUT: "stopped on bad input",
    REJECTED: "not gradable",
}
_TONES = {"preserved": view.GOOD, "changed": view.BAD}

# Re-sorts the table by the clicked header; blanks (not measured) stay last either way, and
# ties keep the committee's order. Rows carry their committee rank in data-rank.
SORT_SCRIPT = (
    "(function(){"
    'var t=document.getElementById("cohort");if(!t)return;'
    "var body=t.tBodies[0],heads=t.tHead.rows[0].cells;"
    'function rank(r){return parseInt(r.getAttribute("data-rank"),10);}'
    "Array.prototype.forEach.call(heads,function(th,i){"
    'var type=th.getAttribute("data-type");if(!type)return;'
    'var b=document.createElement("button");b.type="button";b.className="sort";'
    "while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);"
    'b.addEventListener("click",function(){'
    'var now=th.getAttribute("aria-sort"),'
    'dir=now?(now==="ascending"?-1:1):(th.getAttribute("data-first")==="descending"?-1:1);'
    'Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort");});'
    'th.setAttribute("aria-sort",dir===1?"ascending":"descending");'
    "var rows=Array.prototype.slice.call(body.rows);"
    "rows.sort(function(a,c){"
    'var x=a.cells[i].getAttribute("data-sort"),y=c.cells[i].getAttribute("data-sort");'
    'if(x===""||y===""){if(x===y)return rank(a)-rank(c);return x===""?1:-1;}'
    'var d=type==="number"?parseFloat(x)-parseFloat(y):x.localeCompare(y);'
    "return d*dir||rank(a)-rank(c);});"
    "rows.forEach(function(r){body.appendChild(r);});});});"
    "})();"
)


@dataclass(frozen=True)
class Header:
    title: str  # in words
    hint: str  # what it shows, and the cohort.csv column(s) it comes from
    sort: str = "number"  # "number", "text", or "" (not sortable)
    first: str = "ascending"  # the order of a first click: the better end first
    numeric: bool = True


@dataclass(frozen=True)
class Cell:
    text: str
    sort: str  # "" is a blank: not measured
    kind: str = "figure"  # figure, candidate, verdict, why


@dataclass(frozen=True)
class _Figure:
    header: Header
    cell: Callable[[Row], Cell]


def write(ranked: Ranking, out_dir: Path, title: str) -> Path:
    path = out_dir / FILENAME
    path.write_text(render(ranked, out_dir, title), encoding="utf-8")
    return path


def render(ranked: Ranking, out_dir: Path, title: str) -> str:
    template = templating.environment().get_template(TEMPLATE)
    return template.render(**context(ranked, out_dir, title))


def context(ranked: Ranking, out_dir: Path, title: str) -> dict[str, Any]:
    figures = _figures(ranked.rows)
    verdicts = Counter(r.verdict for r in ranked.rows)
    headers = [
        Header("#", "the committee's order (click to restore it)"),
        Header("Candidate", "the submission's folder name (candidate)", "text", numeric=False),
        Header("Verdict", "preserved, changed or error (verdict)", numeric=False),
        *(f.header for f in figures),
        Header("Why", "the verdict's reason, and a call that tells them apart", "", numeric=False),
    ]
    rows = [
        {
            "rank": position,
            "verdict": row.verdict,
            "tone": _TONES.get(row.verdict, view.UNKNOWN),
            "status": _STATUS_WORDS.get(row.status, ""),
            "rank_cell": Cell(str(position), str(position)),
            "candidate": Cell(row.candidate, row.candidate, "candidate"),
            "link": _report_link(row.candidate, out_dir),
            "verdict_cell": Cell(row.verdict, str(_verdict_order(row.verdict)), "verdict"),
            "figures": [f.cell(row) for f in figures],
            "reason": row.reason,
            "call": _call(row, out_dir),
        }
        for position, row in enumerate(ranked.rows, start=1)
    ]
    return {
        "title": title,
        "version": __version__,
        "summary": ", ".join(f"{verdicts[v]} {v}" for v in ("preserved", "changed", "error")),
        "count": len(ranked.rows),
        "note": ranked.note,
        "headers": headers,
        "rows": rows,
        "css": Markup(templating.css()),
        "script": Markup(SORT_SCRIPT),
        "csp": csp(),
    }


def csp() -> str:
    """Nothing may be fetched; only inline styles and the one known script run."""
    digest = base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _figures(rows: tuple[Row, ...]) -> list[_Figure]:
    dimensions: list[str] = []
    for row in rows:
        dimensions += [name for name, _ in row.levels if name not in dimensions]
    figures = [
        _Figure(
            Header(
                "Golden tests passed", "golden tests passed, of all (golden_passed of golden_total)"
            ),
            _golden,
        ),
        _Figure(
            Header(
                "Differential mismatches",
                "calls where the candidate behaves unlike the original (differential_mismatches)",
            ),
            lambda r: _number(r.differential_mismatches, str),
        ),
        _Figure(
            Header(
                "Mutation score",
                "mutants of their code their own tests detect (mutation_score)",
                first="descending",
            ),
            lambda r: _number(r.mutation_score, view.percent),
        ),
        _Figure(
            Header(
                "Complexity change",
                "cyclomatic complexity, candidate minus original: lower is simpler "
                "(complexity_delta)",
            ),
            lambda r: _number(r.complexity_delta, view.signed),
        ),
    ]
    for name in dimensions:
        figures.append(
            _Figure(
                Header(
                    f"{name.capitalize()} level",
                    f"scorecard level of {name}, 1 to 4 ({name}_level)",
                    first="descending",
                ),
                _level(name),
            )
        )
    if dimensions or any(r.scorecard_total is not None for r in rows):
        figures.append(
            _Figure(
                Header(
                    "Scorecard total",
                    "weighted mean of the levels, only when behaviour is preserved "
                    "(scorecard_total)",
                    first="descending",
                ),
                lambda r: _number(r.scorecard_total, lambda v: f"{v:g}"),
            )
        )
    figures.append(
        _Figure(
            Header("Seconds", "time the grading took (seconds)"),
            lambda r: _number(r.seconds, lambda v: f"{v:.1f}"),
        )
    )
    return figures


def _verdict_order(verdict: str) -> int:
    return VERDICTS.index(verdict) if verdict in VERDICTS else len(VERDICTS)


def _golden(row: Row) -> Cell:
    if row.golden_passed is None or row.golden_total is None:
        return Cell("", "")
    # Sorted by failures: the fewest first, as the committee's order has it.
    failures = row.golden_total - row.golden_passed
    return Cell(f"{row.golden_passed} of {row.golden_total}", str(failures))


def _level(name: str) -> Callable[[Row], Cell]:
    return lambda row: _number(dict(row.levels).get(name), str)


def _number(value: float | None, show: Callable[[Any], str]) -> Cell:
    if value is None:
        return Cell("", "")
    return Cell(show(value), repr(float(value)))


def _report_link(candidate: str, out_dir: Path) -> str | None:
    """A relative, percent-encoded link: names may hold spaces, '#', '?' or quotes."""
    for name in _REPORT_FILES:
        if (out_dir / candidate / name).is_file():
            return f"{quote(candidate)}/{name}"
    return None


def _call(row: Row, out_dir: Path) -> dict[str, Any] | None:
    """The first counterexample's call, highlighted, and where the report shows it."""
    if not row.counterexample:
        return None
    call = row.counterexample
    lines = call.splitlines()
    cut = len(call) > _CALL_CHARS or len(lines) > _CALL_LINES
    if cut:
        call = "\n".join(lines[:_CALL_LINES])[:_CALL_CHARS]
    report = out_dir / row.candidate / "report.html"
    link = None
    if report.is_file():
        page = report.read_text(encoding="utf-8", errors="replace")
        anchor = next((a for a in _FINDING_ANCHORS if f'id="{a}"' in page), None)
        link = f"{quote(row.candidate)}/report.html" + (f"#{anchor}" if anchor else "")
    return {"lines": highlight.lines(call), "cut": cut, "link": link}
