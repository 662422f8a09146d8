"""report.html: the interviewer's report, one self-contained file.

Everything is inline (CSS, SVG charts, one small script that opens collapsed sections for
printing); a Content-Security-Policy forbids every fetch, so nothing leaves the page, and all
of it reads without JavaScript. Rendered by jinja2 (autoescaped: candidate code, test output
and messages are text, never markup) from the Report alone: the template reads its
dataclasses, and the few things made ready to draw here (charts, diff lines, history rows).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..history.model import NOT_COMPARED, Facts, History, PinnedFirst, Step
from ..report import SCHEMA_VERSION, Report
from ..results import Finding
from ..results.complexity import COMPLEX_CC, ComplexityResult, FunctionDelta, figure_change
from ..results.differential import Counterexample, DifferentialResult
from ..results.golden import GoldenTest
from ..results.mutation import Mutant, MutationResult, MutationScore
from ..scorecard import TOP_LEVEL, threshold_text
from . import charts, highlight, sidebyside, templating, view

FILENAME = "report.html"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Closed <details> print as their summary only: open them all before printing.
PRINT_SCRIPT = (
    'addEventListener("beforeprint",function(){'
    'document.querySelectorAll("details").forEach(function(d){d.open=true;});});'
)
MAX_SURVIVORS = 60  # surviving mutants shown in full; the rest are counted
TOP_FINDINGS = 3  # findings named in the banner, so the verdict's reason is on screen at once
MESSAGE_ROOM = 120  # characters of a commit message shown in the history; the title holds all
# (figure, label, which way is better: -1 lower, +1 higher, 0 neither, digits)
DELTA_FIGURES = (
    ("functions", "functions and methods", 0, 0),
    ("cc_total", "cyclomatic complexity, all functions", 0, 0),
    ("cc_mean", "cyclomatic complexity, mean per function", -1, 2),
    ("cc_max", "cyclomatic complexity, largest function", -1, 0),
    ("complex_functions", "functions above complexity 10", -1, 0),
    ("mi_min", "maintainability index, least maintainable module", 1, 1),
    ("mi_mean", "maintainability index, mean (by source lines)", 1, 1),
    ("sloc", "source lines", 0, 0),
    ("lloc", "logical lines", 0, 0),
    ("comments", "comment lines", 0, 0),
    ("halstead_volume", "Halstead volume", -1, 0),
    ("halstead_effort", "Halstead effort", -1, 0),
    ("duplicated_lines", "duplicated lines", -1, 0),
)
_MUTANT_FATES = (
    ("killed", "killed"),
    ("timeout", "timed out (detected)"),
    ("survived", "survived"),
    ("no_tests", "no test ran it"),
    ("suspicious", "suspicious"),
    ("not_checked", "not checked"),
)
_SCORES = (
    ("candidate_tests", "Their tests on their code", "the contract's score"),
    ("candidate_tests_on_original", "Their tests on the original", "pinned before changing"),
    ("golden_on_original", "Golden suite on the original", "what a green golden run proves"),
)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # add, del, ctx, meta
    html: Markup


@dataclass(frozen=True)
class DiffersIn:
    """Where a counterexample's call likely differs (``differential.callpath``), and the id of
    that pair's side-by-side code."""

    original: str | None
    candidate: str | None
    anchor: str | None
    why: str
    paths: tuple[tuple[str, tuple[str, ...]], ...]  # (side, the functions its call ran)


@dataclass(frozen=True)
class FindingCard:
    finding: Finding
    anchor: str  # the element's id (``_anchors``)
    where: str  # file:line, or empty
    call_html: list[Markup]
    differences: tuple[tuple[str, str, str], ...]  # (where, original, candidate)
    sides: tuple[tuple[str, tuple[str, ...]], ...]  # (title, what that side did, line by line)
    differs_in: DiffersIn | None


@dataclass(frozen=True)
class ScoreCard:
    key: str
    title: str
    subtitle: str
    score: MutationScore | None
    chart: charts.Chart | None


@dataclass(frozen=True)
class Survivor:
    mutant: Mutant
    lines: list[DiffLine]


@dataclass(frozen=True)
class DeltaRow:
    label: str
    original: str
    candidate: str
    delta: str
    tone: str


@dataclass(frozen=True)
class TestsCell:
    text: str  # passed/total
    ok: bool
    failing: tuple[str, ...]
    more: int  # failing but not named


@dataclass(frozen=True)
class TouchedKind:
    kind: str  # package, tests, other
    words: str
    paths: tuple[str, ...]
    unnamed: int


@dataclass(frozen=True)
class HistoryRow:
    short: str
    sha: str
    message: str
    message_shown: str
    merge: bool
    original: bool  # holds the original package
    touched: tuple[TouchedKind, ...]
    chart: charts.Chart
    when: str | None
    graded: bool
    classes: str
    # Set only for a graded commit.
    problem: str | None = None
    golden: TestsCell | None = None
    own: TestsCell | None = None
    behaviour: str = NOT_COMPARED
    evidence: str = ""


@dataclass(frozen=True)
class HistoryBreak:
    short: str
    what: str
    repaired_by: str | None  # short


@dataclass(frozen=True)
class LargestChange:
    short: str
    lines: int


@dataclass(frozen=True)
class HistoryFacts:
    pinned: PinnedFirst | None
    pinned_note: str
    judged: int
    green: int
    share: str | None  # green of judged, as a percentage
    breaks: tuple[HistoryBreak, ...]
    largest: LargestChange | None


@dataclass(frozen=True)
class HistoryView:
    """The History section made ready to draw: facts in words, one row per commit."""

    available: bool
    why: str = ""  # when not available
    starter: str | None = None  # short
    starter_how: str | None = None
    head: str = ""  # short
    walked: int = 0
    walk_cut: bool = False
    facts: HistoryFacts | None = None
    rows: tuple[HistoryRow, ...] = ()
    notes: tuple[str, ...] = ()


def render(report: Report) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(**context(report))


def write(report: Report, out_dir: Path) -> Path:
    path = out_dir / FILENAME
    path.write_text(render(report), encoding="utf-8")
    return path


def _environment() -> jinja2.Environment:
    return templating.environment()


def context(report: Report) -> dict[str, Any]:
    findings = report.findings
    differential = _differential(report)
    counterexamples = {
        c.call: c for c in (differential.counterexamples if differential else ()) if c.call
    }
    panes = sidebyside.panes(report)
    anchors = _anchors(findings)
    cards = [_finding(f, anchors[i], counterexamples, panes) for i, f in enumerate(findings)]
    mutation = view.mutation(report)
    complexity = report.complexity
    verdict = report.verdict.verdict
    return {
        "report": report,
        "schema_version": SCHEMA_VERSION,
        "package": report.exercise.package,
        "verdict": verdict,
        "verdict_title": view.VERDICT_TITLES.get(verdict, "Unknown verdict"),
        "headlines": view.headlines(report),
        "total_line": view.total_line(report),
        "scorecard": report.scorecard,
        "top_level": TOP_LEVEL,
        "threshold_text": threshold_text,
        "behaviour_findings": [c for c in cards if c.finding.check != "integrity"],
        "integrity_findings": [c for c in cards if c.finding.check == "integrity"],
        "integrity_check": report.check("integrity"),
        "golden": report.golden,
        "golden_tests": _golden_tests(report),
        "differential": differential,
        "differential_status": view.status(report, "differential"),
        "mutation": mutation,
        "mutation_status": view.status(report, "mutation"),
        "blind_spots": mutation.golden_blind_spots() if mutation else (),
        "scores": _scores(mutation),
        "survivors": _survivors(mutation),
        "max_survivors": MAX_SURVIVORS,
        "top_findings": TOP_FINDINGS,
        "complexity": complexity,
        "complex_cc": COMPLEX_CC,
        "delta_rows": _delta_rows(complexity),
        "function_rows": _function_rows(complexity),
        "panes": panes,
        "history": _history(report.history),
        # As report.json states them: rounded there, then shown to a tenth here.
        "timing": {check: round(seconds, 3) for check, seconds in report.timing.items()},
        "css": Markup(_css()),
        "script": Markup(PRINT_SCRIPT),
        "csp": _csp(),
    }


def _differential(report: Report) -> DifferentialResult | None:
    result = report.check("differential")
    return result if isinstance(result, DifferentialResult) else None


def _css() -> str:
    return templating.css()


def _csp() -> str:
    """Nothing may be fetched; only this page's styles, SVG and its one known script run."""
    digest = base64.b64encode(hashlib.sha256(PRINT_SCRIPT.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _anchors(findings: Sequence[Finding]) -> list[str]:
    """Each finding's element id, ``finding-<kind>-<n>`` (n counts that kind from 0).

    Stable for a report, so cohort.html links to a candidate's first counterexample as
    ``#finding-differential_mismatch-0``.
    """
    seen: Counter[str] = Counter()
    anchors = []
    for finding in findings:
        anchors.append(f"finding-{finding.kind}-{seen[finding.kind]}")
        seen[finding.kind] += 1
    return anchors


def _finding(
    finding: Finding,
    anchor: str,
    counterexamples: dict[str, Counterexample],
    panes: Sequence[sidebyside.Pane],
) -> FindingCard:
    where = ""
    if finding.file:
        where = finding.file + (f":{finding.line}" if finding.line else "")
    # The differential stage's own record of this call: where the two sides differ, and all
    # each side did (return value, output, arguments afterwards), to put side by side.
    counterexample = counterexamples.get(finding.call) if finding.call else None
    sides: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if counterexample is not None:
        sides = (
            ("Original", _observed(counterexample.original)),
            ("Candidate", _observed(counterexample.candidate)),
        )
    return FindingCard(
        finding=finding,
        anchor=anchor,
        where=where,
        call_html=highlight.lines(finding.call) if finding.call else [],
        differences=counterexample.differences if counterexample else (),
        sides=sides if any(lines for _, lines in sides) else (),
        differs_in=_differs_in(counterexample, panes) if counterexample else None,
    )


def _observed(observation: dict[str, Any]) -> tuple[str, ...]:
    """A side's observation of the differing call (``Counterexample.original``), line by
    line as the differential stage wrote it."""
    return tuple(str(line) for line in observation.get("lines") or ())


def _differs_in(counterexample: Counterexample, panes: Sequence[sidebyside.Pane]) -> DiffersIn:
    likely = counterexample.likely
    original, candidate = likely.get("original"), likely.get("candidate")
    return DiffersIn(
        original=original,
        candidate=candidate,
        anchor=sidebyside.link(panes, original, candidate),
        why=counterexample.likely_why,
        paths=(
            ("original", counterexample.path_original),
            ("candidate", counterexample.path_candidate),
        ),
    )


def _golden_tests(report: Report) -> list[GoldenTest]:
    golden = report.golden
    # Tests that behave differently first, then collection order.
    return sorted(golden.tests, key=lambda t: t.outcome == t.expected) if golden else []


def _scores(mutation: MutationResult | None) -> list[ScoreCard]:
    cards = []
    for key, title, subtitle in _SCORES:
        score: MutationScore | None = getattr(mutation, key) if mutation else None
        chart = None
        if score is not None:
            fates = [(k, int(getattr(score, k)), label) for k, label in _MUTANT_FATES]
            chart = charts.stacked(fates)
        cards.append(ScoreCard(key, title, subtitle, score, chart))
    return cards


def _survivors(mutation: MutationResult | None) -> dict[str, list[Survivor]]:
    """The candidate's tests' surviving mutants of their code, by function."""
    score = mutation.candidate_tests if mutation else None
    grouped: dict[str, list[Survivor]] = {}
    for mutant in score.survivors if score else ():
        grouped.setdefault(mutant.function, []).append(Survivor(mutant, diff_lines(mutant.diff)))
    return grouped


def diff_lines(diff: str) -> list[DiffLine]:
    rows = []
    for line in diff.splitlines():
        if line.startswith(("---", "+++", "@@")):
            rows.append(DiffLine("meta", Markup.escape(line)))
        elif line[:1] in ("+", "-", " "):
            kind = {"+": "add", "-": "del", " ": "ctx"}[line[0]]
            code = highlight.lines(line[1:])
            rows.append(DiffLine(kind, Markup(line[0]) + (code[0] if code else Markup(""))))
        else:
            rows.append(DiffLine("ctx", Markup.escape(line)))
    return rows


def _delta_rows(complexity: ComplexityResult | None) -> list[DeltaRow]:
    if complexity is None:
        return []
    rows = []
    for key, label, better, digits in DELTA_FIGURES:
        before, after = getattr(complexity.original, key), getattr(complexity.candidate, key)
        change = figure_change(before, after)
        tone = view.NEUTRAL
        if change and better:
            tone = view.GOOD if change * better > 0 else view.BAD
        rows.append(
            DeltaRow(
                label=label,
                original=_number(before, digits),
                candidate=_number(after, digits),
                delta=view.signed(change, digits) if change is not None else "n/a",
                tone=tone,
            )
        )
    return rows


def _number(value: float | None, digits: int) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def _function_rows(
    complexity: ComplexityResult | None,
) -> list[tuple[FunctionDelta, charts.Chart]]:
    """Each original function and what it became, with its before-and-after chart (every
    chart on one scale: the largest function's complexity before or after)."""
    rows = complexity.mapped if complexity else ()
    scale = max([max(r.cc_before, r.cc_after_total) for r in rows], default=1)
    return [
        (
            row,
            charts.before_after(
                view.short_name(row.original),
                row.cc_before,
                row.cc_after,
                [(view.short_name(h.name), h.complexity) for h in row.helpers],
                scale,
            ),
        )
        for row in rows
    ]


def _history(history: History | None) -> HistoryView:
    """The history made ready to draw (a report without one says why, as report.json does).
    Commit messages stay plain text here: the template escapes them like all else."""
    if history is None or not history.available or history.read is None:
        return HistoryView(available=False, why=(history.why if history else None) or "not read")
    git = history.read
    # Each commit as its row names it (Commit.short); the starter, outside the rows, alike.
    shorts = {s.commit.sha: s.commit.short for s in history.steps}

    def short(sha: str) -> str:
        return shorts.get(sha, sha[:8])

    scale = max((s.commit.package_lines for s in history.steps), default=0)
    return HistoryView(
        available=True,
        starter=short(git.starter) if git.starter else None,
        starter_how=git.starter_how,
        head=short(git.head),
        walked=git.walked,
        walk_cut=git.walk_cut,
        facts=_history_facts(history.facts, short) if history.facts is not None else None,
        rows=tuple(_history_row(s, scale) for s in history.steps),
        # As report.json lists them: the stage's own, else those of reading the repository.
        notes=history.notes or git.notes,
    )


def _history_facts(facts: Facts, short: Callable[[str], str]) -> HistoryFacts:
    share = facts.green_share
    largest = facts.largest_change
    return HistoryFacts(
        pinned=facts.pinned_first,
        pinned_note=facts.pinned_note,
        judged=facts.judged_commits,
        green=facts.green_commits,
        share=f"{share:.0%}" if share is not None else None,
        breaks=tuple(
            HistoryBreak(short(b.commit), b.what, short(b.repaired_by) if b.repaired_by else None)
            for b in facts.breaks
        ),
        largest=LargestChange(short(largest[0]), largest[1]) if largest is not None else None,
    )


def _history_row(step: Step, scale: int) -> HistoryRow:
    commit, outcome = step.commit, step.outcome
    touched = commit.touched
    kinds = []
    for kind, count, paths, singular in (
        ("package", touched.package_files, touched.package, "package file"),
        ("tests", touched.test_files, touched.tests, "test file"),
        ("other", touched.other_files, touched.other, "other file"),
    ):
        if count:
            kinds.append(
                TouchedKind(
                    kind=kind,
                    words=f"{count} {singular}{'s' if count != 1 else ''}",
                    paths=paths,
                    unnamed=max(count - len(paths), 0),
                )
            )
    message, lines = commit.message, commit.package_lines
    red = outcome is not None and not outcome.green
    row = HistoryRow(
        short=commit.short,
        sha=commit.sha,
        message=message,
        message_shown=(
            message if len(message) <= MESSAGE_ROOM else message[: MESSAGE_ROOM - 1] + "…"
        ),
        merge=commit.merge,
        original=commit.holds_original,
        touched=tuple(kinds),
        chart=charts.single(
            lines, scale, "lines", f"{lines} package line{'s' if lines != 1 else ''} changed"
        ),
        when=_when(commit.time),
        graded=outcome is not None,
        classes=" ".join(c for c, on in (("original", commit.holds_original), ("red", red)) if on),
    )
    if outcome is None:
        return row
    return replace(
        row,
        problem=outcome.problem,
        golden=_tests_cell(outcome.golden_passed, outcome.golden_total, outcome.golden_failing),
        own=(
            _tests_cell(outcome.own_passed, outcome.own_total, outcome.own_failing)
            if outcome.own_total  # none: no tests of theirs at this commit
            else None
        ),
        behaviour=outcome.behaviour or NOT_COMPARED,
        evidence=outcome.behaviour_evidence or "",
    )


def _when(seconds: float) -> str | None:
    """A commit's time as the repository states it (UTC), or None when it is out of range."""
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _tests_cell(passed: int, total: int, failing: Sequence[str]) -> TestsCell:
    return TestsCell(
        text=f"{passed}/{total}",
        ok=total > 0 and passed == total,
        failing=tuple(failing),
        more=max(total - passed - len(failing), 0),
    )
