"""What every human report says first, computed once from the Report.

The HTML page, the Markdown summary and the terminal all open with the same verdict line and
the same three headline figures (behaviour, verification, stewardship); they differ only in
how they draw them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..history.model import History
from ..report import PENDING, Report
from ..results import Status
from ..results.complexity import ComplexityResult
from ..results.mutation import CHECK as MUTATION
from ..results.mutation import MutationResult
from ..results.run import Recheck
from ..scorecard import TOP_LEVEL, VERIFICATION, Dimension

VERDICT_TITLES = {
    "preserved": "Behaviour preserved",
    "changed": "Behaviour changed",
    "error": "Not graded: refactor-check could not finish",
}
# Tone of a figure: good, bad, unknown (not measured), neutral.
GOOD, BAD, UNKNOWN, NEUTRAL = "good", "bad", "unknown", "neutral"


@dataclass(frozen=True)
class Headline:
    key: str  # behaviour, verification, stewardship
    title: str
    value: str  # the figure: "preserved", "level 3 of 4", "not measured"
    detail: str  # the measurement behind it, one line
    tone: str


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def signed(value: float | None, digits: int = 0) -> str:
    """+3, -19, -634; 0 stays 0 (no sign: nothing changed)."""
    if value is None:
        return "n/a"
    if round(value, digits) == 0:
        return "0"
    return f"{value:+,.{digits}f}"


def status(report: Report, name: str) -> tuple[str, str]:
    """A check's status and summary as its report section states them: ``pending`` while it
    still runs (a partial report), ``skipped`` when it is not in the report at all."""
    if name in report.pending:
        return PENDING, "still running"
    result = report.check(name)
    if result is None:
        return Status.SKIPPED.value, "not run"
    return result.status.value, result.summary


def mutation(report: Report) -> MutationResult | None:
    result = report.check(MUTATION)
    return result if isinstance(result, MutationResult) else None


def verification_bar(report: Report) -> float | None:
    """The scorecard's own bar: the mutation score Verification level 3 asks for."""
    dimension = _scored(report, VERIFICATION)
    for level in dimension.levels if dimension else ():
        if level.level == 3:
            for t in level.thresholds:
                if t.figure == "candidate_tests" and t.op == "min":
                    return float(t.bound)
    return None


def mutation_outcome(report: Report) -> tuple[str, str | None]:
    """The mutation stage's word where a pass or fail is shown (junit.xml, the terminal's
    table), with why when it is not a plain pass: the candidate's score against the
    scorecard's bar, not merely whether mutmut ran."""
    check = report.check(MUTATION)
    if check is None or check.status is not Status.PASSED:
        return (check.status.value, check.summary) if check else (Status.SKIPPED.value, None)
    result = mutation(report)
    own = result.candidate_tests if result else None
    if own is None:
        return "skipped", "the candidate's tests were not scored"
    bar = verification_bar(report)
    if bar is not None and own.score < bar:
        return "failed", f"mutation score {percent(own.score)} is below {bar:.0%}"
    return "passed", None


def headlines(report: Report) -> list[Headline]:
    return [
        _behaviour(report),
        _dimension(report, VERIFICATION),
        _dimension(report, "stewardship"),
    ]


def _behaviour(report: Report) -> Headline:
    verdict = report.verdict.verdict
    parts = []
    golden = report.golden
    if golden is not None:
        parts.append(f"{golden.passed} of {len(golden.tests)} golden tests as before")
    state, summary = status(report, "differential")
    if summary and state != Status.SKIPPED.value:
        parts.append(summary)
    if report.findings:
        parts.append(f"{len(report.findings)} finding(s)")
    tone = {"preserved": GOOD, "changed": BAD}.get(verdict, UNKNOWN)
    detail = "; ".join(parts) or report.verdict.reason
    return Headline("behaviour", "Behaviour", verdict, detail, tone)


def _scored(report: Report, name: str) -> Dimension | None:
    card = report.scorecard
    return next((d for d in card.dimensions if d.name == name), None) if card else None


def _dimension(report: Report, name: str) -> Headline:
    dimension = _scored(report, name)
    title = name.capitalize()
    if dimension is None:
        return Headline(name, title, "not measured", "no scorecard in this report", UNKNOWN)
    level = dimension.level
    if level is None:
        notes = [f.note for f in dimension.figures if f.value is None]
        why = next((n for n in notes if n), dimension.why)
        return Headline(name, title, "not measured", why, UNKNOWN)
    tone = GOOD if level >= 3 else BAD if level == 1 else NEUTRAL
    detail = _key_figures(report, name) or dimension.meaning
    return Headline(name, title, f"level {level} of {TOP_LEVEL}", detail, tone)


def _key_figures(report: Report, name: str) -> str:
    if name == VERIFICATION:
        result = mutation(report)
        parts = []
        if result and result.candidate_tests:
            score = percent(result.candidate_tests.score)
            parts.append(f"their tests detect {score} of their code's mutants")
        if result and result.candidate_tests_on_original:
            parts.append(f"{percent(result.candidate_tests_on_original.score)} of the original's")
        return ", ".join(parts)
    complexity = report.complexity
    if not isinstance(complexity, ComplexityResult):
        return ""
    before, after, change = complexity.original, complexity.candidate, complexity.change
    if change is not None and change.unchanged:
        return "nothing was refactored: the package reads exactly as the original"
    text = f"largest function {before.cc_max} → {after.cc_max}"
    if before.mi_min is not None and after.mi_min is not None:
        text += f", weakest module's MI {before.mi_min:.0f} → {after.mi_min:.0f}"
    if change is not None and change.original_functions:
        text += f", {change.functions_changed} of {change.original_functions} functions changed"
    return text


def total_line(report: Report) -> str:
    card = report.scorecard
    if card is None:
        return "no scorecard"
    if card.weighted_total is None:
        return f"weighted total: {card.total_note}"
    return f"weighted total: {card.weighted_total:g} of {TOP_LEVEL} ({card.total_note})"


def gate_line(report: Report) -> str | None:
    """'gates (--fail-under-level): verification=3: below: verification level 2, needs 3'.

    None when the run had no gates; 'not decided' in a partial report (no scorecard yet).
    """
    if not report.gates:
        return None
    head = f"gates ({report.gate_source}): " + " ".join(str(g) for g in report.gates)
    below = report.gates_below()
    if below is None:
        return f"{head}: not decided yet"
    if not below:
        return f"{head}: every gate reached"
    return f"{head}: below: " + "; ".join(str(f) for f in below)


def short_name(qualified: str | None, package: str | None = None) -> str:
    """billing.invoice.InvoiceBook.add -> invoice.InvoiceBook.add (the package is implied)."""
    if not qualified:
        return ""
    if package and qualified.startswith(package + "."):
        return qualified[len(package) + 1 :]
    return qualified


def history_line(history: History | None) -> str:
    """One line on the candidate's git history: its facts, or why there is none."""
    if history is None:
        return "history: none (not read)"
    if not history.available:
        return f"history: none ({history.why})"
    return f"history: {history_facts(history)}"


def recheck_line(recheck: Recheck | None) -> str | None:
    """One line when the report was read back from the cache, or will not be: None when the
    next grading of the same submission reads this one back (nothing worth saying)."""
    if recheck is None:
        return None
    if recheck.from_cache:
        return (
            "re-check: read from the cache (the same submission, exercise, settings and tool "
            "were graded before; --no-cache grades afresh)"
        )
    if recheck.key and not recheck.kept:
        return f"re-check: not kept, the next run grades afresh ({recheck.why_not_kept})"
    return None


def history_facts(history: History) -> str:
    """'4 commits; pinned first: 16 tests at bd43eab0; 3 of 3 green; ...'."""
    facts = history.facts
    parts = [f"{len(history.steps)} commit(s) after the starter"]
    pinned = facts.pinned_first if facts else None
    if pinned is not None:
        killed = pinned.mutants_killed
        mutants = (
            f", {killed} of {pinned.mutants_total} of the original's mutants killed"
            if killed is not None
            else ""
        )
        parts.append(f"pinned first: {len(pinned.tests)} test(s) at {pinned.commit[:8]}{mutants}")
    else:
        parts.append(f"not pinned first ({facts.pinned_note if facts else None})")
    if facts is None:
        return "; ".join(parts)
    if facts.judged_commits:
        parts.append(
            f"{facts.green_commits} of {facts.judged_commits} commits after the "
            "first package change green"
        )
    for broke in facts.breaks:
        fixed = f"repaired by {broke.repaired_by[:8]}" if broke.repaired_by else "never repaired"
        parts.append(f"broke at {broke.commit[:8]}, {fixed}")
    if facts.largest_change is not None:
        commit, lines = facts.largest_change
        parts.append(f"largest change {lines} package lines ({commit[:8]})")
    return "; ".join(parts)
