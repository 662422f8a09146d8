"""What every human report says first, computed once from report.json's dict.

The HTML page, the Markdown summary and the terminal all open with the same verdict line and
the same three headline figures (behaviour, verification, stewardship); they differ only in
how they draw them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import level_gate

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


def signed(value: float | int | None, digits: int = 0) -> str:
    """+3, -19, -634; 0 stays 0 (no sign: nothing changed)."""
    if value is None:
        return "n/a"
    if round(value, digits) == 0:
        return "0"
    return f"{value:+,.{digits}f}"


def section(data: dict[str, Any], name: str) -> dict[str, Any]:
    """A section that may be missing or null, as a dict (empty when absent)."""
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def check_status(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((c for c in data.get("checks", []) if c.get("check") == name), None)


def verification_bar(data: dict[str, Any]) -> float | None:
    """The scorecard's own bar: the mutation score Verification level 3 asks for."""
    for dimension in section(data, "scorecard").get("dimensions", []):
        if dimension.get("name") != "verification":
            continue
        for level in dimension.get("levels", []):
            if level.get("level") == 3:
                for t in level.get("thresholds", []):
                    if t.get("figure") == "candidate_tests" and t.get("op") == "min":
                        return float(t["bound"])
    return None


def mutation_outcome(data: dict[str, Any]) -> tuple[str, str | None]:
    """The mutation stage's word where a pass or fail is shown (junit.xml, the terminal's
    table), with why when it is not a plain pass: the candidate's score against the
    scorecard's bar, not merely whether mutmut ran."""
    check = check_status(data, "mutation") or {}
    status = str(check.get("status", "skipped"))
    if status != "passed":
        return status, check.get("summary")
    own = section(data, "mutation").get("candidate_tests")
    if not isinstance(own, dict):
        return "skipped", "the candidate's tests were not scored"
    bar = verification_bar(data)
    if bar is not None and float(own.get("score") or 0.0) < bar:
        return "failed", f"mutation score {percent(own.get('score'))} is below {bar:.0%}"
    return "passed", None


def headlines(data: dict[str, Any]) -> list[Headline]:
    return [_behaviour(data), _dimension(data, "verification"), _dimension(data, "stewardship")]


def _behaviour(data: dict[str, Any]) -> Headline:
    verdict = data.get("verdict", "error")
    golden = data.get("golden")
    parts = []
    if isinstance(golden, dict):
        passed, total = golden.get("passed", 0), golden.get("total", 0)
        parts.append(f"{passed} of {total} golden tests as before")
    differential = section(data, "differential")
    if differential.get("summary") and differential.get("status") != "skipped":
        parts.append(str(differential["summary"]))
    findings = data.get("findings", [])
    if findings:
        parts.append(f"{len(findings)} finding(s)")
    tone = {"preserved": GOOD, "changed": BAD}.get(verdict, UNKNOWN)
    detail = "; ".join(parts) or str(data.get("reason", ""))
    return Headline("behaviour", "Behaviour", verdict, detail, tone)


def _dimension(data: dict[str, Any], name: str) -> Headline:
    card = section(data, "scorecard")
    dimension = next((d for d in card.get("dimensions", []) if d.get("name") == name), None)
    title = name.capitalize()
    if dimension is None:
        return Headline(name, title, "not measured", "no scorecard in this report", UNKNOWN)
    level = dimension.get("level")
    if level is None:
        notes = [f.get("note") for f in dimension.get("figures", []) if f.get("value") is None]
        why = next((n for n in notes if n), dimension.get("why", ""))
        return Headline(name, title, "not measured", why, UNKNOWN)
    out_of = dimension.get("out_of", 4)
    tone = GOOD if level >= 3 else BAD if level == 1 else NEUTRAL
    detail = _key_figures(data, name) or dimension.get("meaning", "")
    return Headline(name, title, f"level {level} of {out_of}", detail, tone)


def _key_figures(data: dict[str, Any], name: str) -> str:
    if name == "verification":
        mutation = section(data, "mutation")
        own = mutation.get("candidate_tests")
        on_original = mutation.get("candidate_tests_on_original")
        parts = []
        if isinstance(own, dict):
            parts.append(f"their tests detect {percent(own.get('score'))} of their code's mutants")
        if isinstance(on_original, dict):
            parts.append(f"{percent(on_original.get('score'))} of the original's")
        return ", ".join(parts)
    complexity = section(data, "complexity")
    before, after = complexity.get("original"), complexity.get("candidate")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ""
    change = complexity.get("change")
    if isinstance(change, dict) and change.get("unchanged"):
        return "nothing was refactored: the package reads exactly as the original"
    text = f"largest function {before.get('cc_max')} → {after.get('cc_max')}"
    if before.get("mi_min") is not None and after.get("mi_min") is not None:
        text += f", weakest module's MI {before['mi_min']:.0f} → {after['mi_min']:.0f}"
    if isinstance(change, dict) and change.get("original_functions"):
        text += (
            f", {change.get('functions_changed')} of {change.get('original_functions')} "
            "functions changed"
        )
    return text


def total_line(data: dict[str, Any]) -> str:
    card = section(data, "scorecard")
    if not card:
        return "no scorecard"
    total = card.get("weighted_total")
    if total is None:
        return f"weighted total: {card.get('total_note', 'not scored')}"
    return f"weighted total: {total:g} of {card.get('out_of', 4)} ({card.get('total_note', '')})"


def gate_line(data: dict[str, Any]) -> str | None:
    """'gates (--fail-under-level): verification=3: below: verification level 2, needs 3'.

    None when the run had no gates; 'not decided' in a partial report (no scorecard yet).
    """
    gates = section(data, "gates")
    named = gates.get("fail_under_level")
    if not isinstance(named, dict) or not named:
        return None
    head = f"gates ({gates.get('from')}): " + " ".join(f"{k}={v}" for k, v in named.items())
    below = gates.get("below")
    if not isinstance(below, list):
        return f"{head}: not decided yet"
    if not below:
        return f"{head}: every gate reached"
    return f"{head}: below: " + "; ".join(level_gate.below_in(data))


def short_name(qualified: str | None, package: str | None = None) -> str:
    """billing.invoice.InvoiceBook.add -> invoice.InvoiceBook.add (the package is implied)."""
    if not qualified:
        return ""
    if package and qualified.startswith(package + "."):
        return qualified[len(package) + 1 :]
    return qualified


def history_line(data: dict[str, Any]) -> str | None:
    """One line on the candidate's git history: its facts, or why there is none.

    None when the report has no history block (a report of an older version, or a merge).
    """
    history = data.get("history")
    if not isinstance(history, dict):
        return None
    if not history.get("available"):
        return f"history: none ({history.get('why')})"
    return f"history: {history_facts(history)}"


def recheck_line(data: dict[str, Any]) -> str | None:
    """One line when the report was read back from the cache, or will not be: None when the
    next grading of the same submission reads this one back (nothing worth saying)."""
    block = data.get("recheck")
    if not isinstance(block, dict):
        return None
    if block.get("from_cache"):
        return (
            "re-check: read from the cache (the same submission, exercise, settings and tool "
            "were graded before; --no-cache grades afresh)"
        )
    if block.get("key") and not block.get("kept"):
        return f"re-check: not kept, the next run grades afresh ({block.get('why_not_kept')})"
    return None


def history_facts(history: dict[str, Any]) -> str:
    """'4 commits; pinned first: 16 tests at bd43eab0; 3 of 3 green; ...' from the block."""
    commits = history.get("commits") or []
    facts = history.get("facts") or {}
    parts = [f"{len(commits)} commit(s) after the starter"]
    pinned = facts.get("pinned_first")
    if isinstance(pinned, dict):
        killed = pinned.get("mutants_killed")
        mutants = (
            f", {killed} of {pinned.get('mutants_total')} of the original's mutants killed"
            if killed is not None
            else ""
        )
        parts.append(
            f"pinned first: {pinned.get('count')} test(s) at {str(pinned.get('commit'))[:8]}"
            f"{mutants}"
        )
    else:
        parts.append(f"not pinned first ({facts.get('pinned_note')})")
    if facts.get("judged_commits"):
        parts.append(
            f"{facts.get('green_commits')} of {facts.get('judged_commits')} commits after the "
            "first package change green"
        )
    for broke in facts.get("breaks") or []:
        repaired = broke.get("repaired_by")
        fixed = f"repaired by {str(repaired)[:8]}" if repaired else "never repaired"
        parts.append(f"broke at {str(broke.get('commit'))[:8]}, {fixed}")
    largest = facts.get("largest_change")
    if isinstance(largest, dict):
        parts.append(
            f"largest change {largest.get('package_lines')} package lines "
            f"({str(largest.get('commit'))[:8]})"
        )
    return "; ".join(parts)
