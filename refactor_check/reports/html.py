"""report.html: the interviewer's report, one self-contained file.

Everything is inline (CSS, SVG charts, one small script that opens collapsed sections for
printing); a Content-Security-Policy forbids every fetch, so nothing leaves the page, and all
of it reads without JavaScript. Rendered by jinja2 (autoescaped: candidate code, test output
and messages are text, never markup) from report.json's dict alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

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
_KNOWN_FINDING_KEYS = frozenset(
    {"kind", "message", "check", "file", "line", "test_id", "rule", "evidence", "call"}
)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # add, del, ctx, meta
    html: Markup


@dataclass(frozen=True)
class Comparison:
    key: str
    original: str
    candidate: str
    differs: bool


def render(data: dict[str, Any]) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(**context(data))


def write(data: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / FILENAME
    path.write_text(render(data), encoding="utf-8")
    return path


def _environment() -> jinja2.Environment:
    return templating.environment()


def context(data: dict[str, Any]) -> dict[str, Any]:
    package = view.section(data, "exercise").get("package")
    complexity = view.section(data, "complexity")
    findings = [f for f in data.get("findings", []) if isinstance(f, dict)]
    counterexamples = {
        str(c.get("call")): c
        for c in view.section(data, "differential").get("counterexamples") or []
        if isinstance(c, dict) and c.get("call")
    }
    panes = sidebyside.panes(data)
    anchors = _anchors(findings)
    return {
        "data": data,
        "package": package,
        "verdict": data.get("verdict", "error"),
        "verdict_title": view.VERDICT_TITLES.get(data.get("verdict", ""), "Unknown verdict"),
        "headlines": view.headlines(data),
        "total_line": view.total_line(data),
        "scorecard": view.section(data, "scorecard"),
        "behaviour_findings": [
            _finding(f, anchors[i], counterexamples, panes)
            for i, f in enumerate(findings)
            if f.get("check") != "integrity"
        ],
        "integrity_findings": [
            _finding(f, anchors[i], counterexamples, panes)
            for i, f in enumerate(findings)
            if f.get("check") == "integrity"
        ],
        "integrity_check": view.check_status(data, "integrity") or {},
        "golden_tests": _golden_tests(data),
        "differential": view.section(data, "differential"),
        "mutation": view.section(data, "mutation"),
        "scores": _scores(view.section(data, "mutation")),
        "survivors": _survivors(view.section(data, "mutation")),
        "max_survivors": MAX_SURVIVORS,
        "top_findings": TOP_FINDINGS,
        "complexity": complexity,
        "delta_rows": _delta_rows(complexity),
        "function_rows": _function_rows(complexity),
        "panes": panes,
        "history": _history(data),
        "css": Markup(_css()),
        "script": Markup(PRINT_SCRIPT),
        "csp": _csp(),
    }


def _css() -> str:
    return templating.css()


def _csp() -> str:
    """Nothing may be fetched; only this page's styles, SVG and its one known script run."""
    digest = base64.b64encode(hashlib.sha256(PRINT_SCRIPT.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _anchors(findings: list[dict[str, Any]]) -> list[str]:
    """Each finding's element id, ``finding-<kind>-<n>`` (n counts that kind from 0).

    Stable for a report, so cohort.html links to a candidate's first counterexample as
    ``#finding-differential_mismatch-0``.
    """
    seen: Counter[str] = Counter()
    anchors = []
    for finding in findings:
        kind = str(finding.get("kind"))
        anchors.append(f"finding-{kind}-{seen[kind]}")
        seen[kind] += 1
    return anchors


def _finding(
    finding: dict[str, Any],
    anchor: str,
    counterexamples: dict[str, dict[str, Any]],
    panes: list[sidebyside.Pane] | None = None,
) -> dict[str, Any]:
    where = ""
    if finding.get("file"):
        where = str(finding["file"]) + (f":{finding['line']}" if finding.get("line") else "")
    original, candidate = finding.get("original"), finding.get("candidate")
    comparisons = []
    if isinstance(original, dict) or isinstance(candidate, dict):
        comparisons = _compare(original or {}, candidate or {})
    extras = [
        (key, _text(value))
        for key, value in finding.items()
        if key not in _KNOWN_FINDING_KEYS and key not in ("original", "candidate")
    ]
    if not comparisons and (original is not None or candidate is not None):
        comparisons = [Comparison("", _text(original), _text(candidate), original != candidate)]
    # The differential stage's own record of this call: where the two sides differ, and all
    # each side did (return value, output, arguments afterwards), to put side by side.
    counterexample = counterexamples.get(str(finding.get("call")), {})
    if not comparisons:
        comparisons = [
            Comparison(str(place), _text(before), _text(after), True)
            for place, before, after in counterexample.get("differences") or []
        ]
    sides = [
        (
            str(side).capitalize(),
            [str(line) for line in (counterexample.get(side) or {}).get("lines") or []],
        )
        for side in ("original", "candidate")
    ]
    return {
        **finding,
        "anchor": anchor,
        "where": where,
        "comparisons": comparisons,
        "sides": sides if any(lines for _, lines in sides) else [],
        "extras": extras,
        "call_html": highlight.lines(str(finding["call"])) if finding.get("call") else [],
        "differs_in": _differs_in(counterexample, panes or []),
    }


def _differs_in(counterexample: dict[str, Any], panes: list[sidebyside.Pane]) -> dict[str, Any]:
    """Where the counterexample's call likely differs (``differential.callpath``) and the id
    of that pair's side-by-side code; empty when the report does not say."""
    likely = counterexample.get("likely")
    if not isinstance(likely, dict):
        return {}
    original, candidate = likely.get("original"), likely.get("candidate")
    original = original if isinstance(original, str) else None
    candidate = candidate if isinstance(candidate, str) else None
    return {
        "original": original,
        "candidate": candidate,
        "anchor": sidebyside.link(panes, original, candidate),
        "why": str(counterexample.get("likely_why") or ""),
        "paths": [
            (side, [str(n) for n in counterexample.get(f"path_{side}") or []])
            for side in ("original", "candidate")
        ],
    }


def _compare(original: dict[str, Any], candidate: dict[str, Any]) -> list[Comparison]:
    """Observed behaviour key by key (return value, exception, output...), both sides."""
    keys = list(dict.fromkeys([*original, *candidate]))
    return [
        Comparison(
            key,
            _text(original.get(key)) if key in original else "(absent)",
            _text(candidate.get(key)) if key in candidate else "(absent)",
            original.get(key) != candidate.get(key) or (key in original) != (key in candidate),
        )
        for key in keys
    ]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def _golden_tests(data: dict[str, Any]) -> list[dict[str, Any]]:
    golden = data.get("golden")
    if not isinstance(golden, dict):
        return []
    tests = [t for t in golden.get("tests", []) if isinstance(t, dict)]
    # Tests that behave differently first, then collection order.
    return sorted(tests, key=lambda t: t.get("outcome") == t.get("expected"))


def _scores(mutation: dict[str, Any]) -> list[dict[str, Any]]:
    titles = (
        ("candidate_tests", "Their tests on their code", "the contract's score"),
        ("candidate_tests_on_original", "Their tests on the original", "pinned before changing"),
        ("golden_on_original", "Golden suite on the original", "what a green golden run proves"),
    )
    cards = []
    for key, title, subtitle in titles:
        score = mutation.get(key)
        chart = None
        if isinstance(score, dict):
            fates = [(k, int(score.get(k) or 0), label) for k, label in _MUTANT_FATES]
            chart = charts.stacked(fates)
        cards.append(
            {"key": key, "title": title, "subtitle": subtitle, "score": score, "chart": chart}
        )
    return cards


def _survivors(mutation: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The candidate's tests' surviving mutants of their code, by function."""
    score = mutation.get("candidate_tests")
    if not isinstance(score, dict):
        return {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for mutant in score.get("mutants") or []:
        if mutant.get("status") == "survived":
            grouped.setdefault(str(mutant.get("function")), []).append(
                {**mutant, "lines": diff_lines(str(mutant.get("diff") or ""))}
            )
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


def _delta_rows(complexity: dict[str, Any]) -> list[dict[str, Any]]:
    deltas = complexity.get("deltas") or {}
    rows = []
    for key, label, better, digits in DELTA_FIGURES:
        entry = deltas.get(key)
        if not isinstance(entry, dict):
            continue
        change = entry.get("delta")
        tone = view.NEUTRAL
        if change and better:
            tone = view.GOOD if change * better > 0 else view.BAD
        rows.append(
            {
                "label": label,
                "original": _number(entry.get("original"), digits),
                "candidate": _number(entry.get("candidate"), digits),
                "delta": view.signed(change, digits) if change is not None else "n/a",
                "tone": tone,
            }
        )
    return rows


def _number(value: float | None, digits: int) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def _function_rows(complexity: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [r for r in complexity.get("functions") or [] if isinstance(r, dict)]
    scale = max(
        [max(r.get("cc_before") or 0, r.get("cc_after_with_helpers") or 0) for r in rows],
        default=1,
    )
    result = []
    for row in rows:
        helpers = [(h["name"], int(h["complexity"])) for h in row.get("helpers") or []]
        chart = charts.before_after(
            view.short_name(row.get("original")),
            int(row.get("cc_before") or 0),
            row.get("cc_after"),
            [(view.short_name(n), c) for n, c in helpers],
            scale,
        )
        result.append({**row, "chart": chart})
    return result


def _history(data: dict[str, Any]) -> dict[str, Any] | None:
    """The history block made ready to draw: facts in words, one row per commit.

    None when the report has no history block (a report of an older version, or a merge).
    Commit messages stay plain text here: the template escapes them like all else.
    """
    history = data.get("history")
    if not isinstance(history, dict):
        return None
    if not history.get("available"):
        return {"available": False, "why": str(history.get("why") or "not read")}
    commits = [c for c in history.get("commits") or [] if isinstance(c, dict)]
    shorts = {str(c.get("sha")): str(c.get("short") or str(c.get("sha"))[:8]) for c in commits}

    def short(sha: Any) -> str:
        return shorts.get(str(sha), str(sha)[:8])

    scale = max((int(c.get("package_lines") or 0) for c in commits), default=0)
    facts = view.section(history, "facts")
    return {
        "available": True,
        "starter": short(history.get("starter")) if history.get("starter") else None,
        "starter_how": history.get("starter_how"),
        "head": short(history.get("head")),
        "walked": history.get("walked"),
        "walk_cut": bool(history.get("walk_cut")),
        "facts": _history_facts(facts, short) if facts else None,
        "rows": [_history_row(c, scale) for c in commits],
        "notes": [str(n) for n in history.get("notes") or []],
    }


def _history_facts(facts: dict[str, Any], short: Callable[[Any], str]) -> dict[str, Any]:
    pinned = facts.get("pinned_first")
    judged = int(facts.get("judged_commits") or 0)
    green = int(facts.get("green_commits") or 0)
    share = facts.get("green_share")
    if share is None and judged:
        share = green / judged
    largest = facts.get("largest_change")
    return {
        "pinned": (
            {**pinned, "short": short(pinned.get("commit"))} if isinstance(pinned, dict) else None
        ),
        "pinned_note": str(facts.get("pinned_note") or ""),
        "judged": judged,
        "green": green,
        "share": f"{share:.0%}" if share is not None else None,
        "breaks": [
            {
                "short": short(b.get("commit")),
                "what": str(b.get("what") or ""),
                "repaired_by": short(b.get("repaired_by")) if b.get("repaired_by") else None,
            }
            for b in facts.get("breaks") or []
            if isinstance(b, dict)
        ],
        "largest": (
            {"short": short(largest.get("commit")), "lines": largest.get("package_lines")}
            if isinstance(largest, dict)
            else None
        ),
    }


def _history_row(commit: dict[str, Any], scale: int) -> dict[str, Any]:
    message = str(commit.get("message") or "")
    touched = view.section(commit, "touched")
    kinds = []
    for kind, count_key, singular in (
        ("package", "package_files", "package file"),
        ("tests", "test_files", "test file"),
        ("other", "other_files", "other file"),
    ):
        count = int(touched.get(count_key) or 0)
        if count:
            paths = [str(p) for p in touched.get(kind) or []]
            kinds.append(
                {
                    "kind": kind,
                    "count": count,
                    "words": f"{count} {singular}{'s' if count != 1 else ''}",
                    "paths": paths,
                    "unnamed": max(count - len(paths), 0),
                }
            )
    lines = int(commit.get("package_lines") or 0)
    row: dict[str, Any] = {
        "short": str(commit.get("short") or str(commit.get("sha"))[:8]),
        "sha": str(commit.get("sha")),
        "message": message,
        "message_shown": (
            message if len(message) <= MESSAGE_ROOM else message[: MESSAGE_ROOM - 1] + "…"
        ),
        "merge": bool(commit.get("merge")),
        "original": bool(commit.get("holds_original")),
        "touched": kinds,
        "lines": lines,
        "chart": charts.single(
            lines, scale, "lines", f"{lines} package line{'s' if lines != 1 else ''} changed"
        ),
        "when": _when(commit.get("time")),
        "graded": bool(commit.get("graded")),
    }
    red = row["graded"] and not commit.get("green")
    row["classes"] = " ".join(c for c, on in (("original", row["original"]), ("red", red)) if on)
    if not row["graded"]:
        return row
    golden = view.section(commit, "golden")
    own = commit.get("own_tests")
    row.update(
        problem=commit.get("problem"),
        golden=_tests_cell(golden),
        own=_tests_cell(own) if isinstance(own, dict) else None,
        behaviour=str(commit.get("behaviour") or "not compared"),
        evidence=str(commit.get("behaviour_evidence") or ""),
        green=bool(commit.get("green")),
    )
    return row


def _when(seconds: Any) -> str | None:
    """A commit's time as the repository states it (UTC), or None when it states none."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        return None
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _tests_cell(tests: dict[str, Any]) -> dict[str, Any]:
    passed, total = int(tests.get("passed") or 0), int(tests.get("total") or 0)
    failing = [str(t) for t in tests.get("failing") or []]
    return {
        "text": f"{passed}/{total}",
        "ok": total > 0 and passed == total,
        "failing": failing,
        "more": max(total - passed - len(failing), 0),
    }
