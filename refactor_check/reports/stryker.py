"""mutation.json: mutation results in Stryker's mutation-testing-elements report schema (v1).

The standard viewer (mutation-testing-elements, the Stryker dashboard) opens it. Each score
gets its own report, since each mutates a different package:

    mutation.json                   the candidate's tests on their own code (the contract's)
    mutation-on-original.json       the candidate's tests on the original
    mutation-golden.json            the golden suite on the original (the exercise's strength)

Statuses map so that Stryker's score equals ours, (killed + timeout) / (all - not checked):
survived and suspicious count as undetected ("Survived"), no_tests as "NoCoverage",
not_checked as "Pending", which Stryker leaves out of the score.
"""

from __future__ import annotations

import io
import json
import tokenize
from pathlib import Path
from typing import Any

from ..report import Report
from ..results.mutation import Mutant, MutationScore
from . import view

SCHEMA_VERSION = "1"
FILES = {
    "candidate_tests": "mutation.json",
    "candidate_tests_on_original": "mutation-on-original.json",
    "golden_on_original": "mutation-golden.json",
}
STATUS = {
    "killed": "Killed",
    "timeout": "Timeout",
    "survived": "Survived",
    "suspicious": "Survived",
    "no_tests": "NoCoverage",
    "not_checked": "Pending",
}
# Stryker's own defaults for the colour bands of its viewer.
THRESHOLDS = {"high": 80, "low": 60}
_COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!=", "is", "in", "not"})
_ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^", "~"})
_LOGICAL = frozenset({"and", "or"})
_ASSIGNMENT = frozenset({"=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "|=", "&=", "^="})


def render(score: MutationScore, tool_version: str) -> str:
    return json.dumps(report(score, tool_version), indent=2, ensure_ascii=False) + "\n"


def report(score: MutationScore, tool_version: str) -> dict[str, Any]:
    sources = dict(score.source_files)
    files: dict[str, dict[str, Any]] = {}
    for mutant in score.mutants:
        path = mutant.file
        source = sources.get(path, "")
        entry = files.setdefault(path, {"language": "python", "source": source, "mutants": []})
        entry["mutants"].append(_mutant(mutant, source))
    for path, source in sources.items():  # files without mutants still show in the viewer
        files.setdefault(path, {"language": "python", "source": source, "mutants": []})
    return {
        "$schema": "https://git.io/mutation-testing-schema",
        "schemaVersion": SCHEMA_VERSION,
        "thresholds": dict(THRESHOLDS),
        "files": files,
        "framework": {
            "name": "mutmut",
            "dependencies": {"refactor-check": tool_version},
        },
        "config": {"note": score.note} if score.note else {},
    }


def scores(graded: Report) -> dict[str, MutationScore]:
    """The scores that were measured, by their key in report.json's ``mutation``, in
    ``FILES``' order (the contract's first); empty when mutation testing did not run."""
    result = view.mutation(graded)
    if result is None:
        return {}
    by_key = {
        "candidate_tests": result.candidate_tests,
        "candidate_tests_on_original": result.candidate_tests_on_original,
        "golden_on_original": result.golden_on_original,
    }
    return {key: score for key in FILES if (score := by_key[key]) is not None}


def write_all(graded: Report, out_dir: Path) -> list[Path]:
    """One file per score that was measured; none when mutation testing did not run."""
    written = []
    for key, score in scores(graded).items():
        path = out_dir / FILES[key]
        path.write_text(render(score, graded.tool_version), encoding="utf-8")
        written.append(path)
    return written


def _mutant(mutant: Mutant, source: str) -> dict[str, Any]:
    removed, added = _changed_lines(mutant.diff)
    location = _location(source, mutant.line, removed, added)
    status = mutant.status
    result: dict[str, Any] = {
        "id": mutant.key,
        "mutatorName": _mutator(removed, added),
        "location": location["location"],
        "status": STATUS.get(status, "Survived"),
        "description": f"mutmut mutant {mutant.key} of {mutant.function}",
    }
    if location["replacement"] is not None:
        result["replacement"] = location["replacement"]
    if status == "suspicious":
        result["statusReason"] = "mutmut marked it suspicious (slow, neither killed nor timed out)"
    return result


def _changed_lines(diff: str) -> tuple[list[str], list[str]]:
    """The diff's removed and added lines, headers left out."""
    body = [line for line in diff.splitlines() if not line.startswith(("---", "+++"))]
    removed = [line[1:] for line in body if line.startswith("-")]
    added = [line[1:] for line in body if line.startswith("+")]
    return removed, added


def _location(source: str, line: int, removed: list[str], added: list[str]) -> dict[str, Any]:
    """Where in the file the mutant changed code (1-based, end exclusive), and what it wrote.

    The diff holds the function dedented; the mutant's line is the first one it changes, and
    the changed span is narrowed to the characters that differ.
    """
    lines = source.splitlines() or [""]
    line = min(max(line, 1), len(lines))
    text = lines[line - 1]
    if not removed:
        end = len(text) + 1
        return {"location": _span(line, 1, line, end), "replacement": "\n".join(added) or None}
    old, new = "\n".join(removed), "\n".join(added)
    prefix = _common_prefix(old, new)
    suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
    if prefix + suffix >= len(old):  # a pure insertion: take in one character it replaces
        if suffix:
            suffix -= 1
        elif prefix:
            prefix -= 1
    # The diff's lines are dedented with their function: add back what was taken off.
    indent = max(len(text) - len(removed[0]), 0) if text.endswith(removed[0]) else 0
    start_column = indent + prefix + 1
    old_changed = old[prefix : len(old) - suffix]
    last_line = line + old[: len(old) - suffix].count("\n")
    if "\n" in old[: len(old) - suffix]:
        end_column = len(old[: len(old) - suffix].rsplit("\n", 1)[1]) + 1 + indent
    else:
        end_column = start_column + len(old_changed)
    replacement = new[prefix : len(new) - suffix]
    location = _span(line, start_column, last_line, end_column)
    return {"location": location, "replacement": replacement}


def _span(line: int, column: int, end_line: int, end_column: int) -> dict[str, Any]:
    return {
        "start": {"line": line, "column": max(column, 1)},
        "end": {"line": end_line, "column": max(end_column, 1)},
    }


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _mutator(removed: list[str], added: list[str]) -> str:
    """Stryker's name for the kind of change, from the first token that differs."""
    old, new = _tokens("\n".join(removed)), _tokens("\n".join(added))
    for (old_type, old_text), (new_type, new_text) in zip(old, new, strict=False):
        if (old_type, old_text) == (new_type, new_text):
            continue
        if old_type == tokenize.STRING or new_type == tokenize.STRING:
            return "StringLiteral"
        if old_type == tokenize.NUMBER or new_type == tokenize.NUMBER:
            return "NumberLiteral"
        if {old_text, new_text} <= {"True", "False"}:
            return "BooleanLiteral"
        if old_text in _LOGICAL or new_text in _LOGICAL:
            return "LogicalOperator"
        if old_text in _COMPARISONS or new_text in _COMPARISONS:
            return "EqualityOperator"
        if old_text in _ASSIGNMENT or new_text in _ASSIGNMENT:
            return "AssignmentOperator"
        if old_text in _ARITHMETIC or new_text in _ARITHMETIC:
            return "ArithmeticOperator"
        if "None" in (old_text, new_text):
            return "NoneLiteral"
        return "Mutation"
    if len(new) < len(old):
        return "ArgumentRemoval"
    return "Mutation"


def _tokens(code: str) -> list[tuple[int, str]]:
    try:
        return [
            (t.type, t.string)
            for t in tokenize.generate_tokens(io.StringIO(code.strip() + "\n").readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [(tokenize.OP, part) for part in code.split()]
