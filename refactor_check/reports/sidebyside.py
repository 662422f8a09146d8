"""Original and candidate code side by side, one mapped function at a time.

A refactor moves code between files, so a file-by-file diff would show one file deleted and
three added. Here each original function sits beside what it became: its counterpart and the
helpers split out of it, aligned line by line (whitespace ignored), with each function's
cyclomatic complexity in the margin at its ``def``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import highlight

SAME, CHANGED, REMOVED, ADDED = "same", "changed", "removed", "added"
MODULE_LEVEL = "module-level code"


@dataclass(frozen=True)
class Badge:
    name: str
    complexity: int
    rank: str


@dataclass(frozen=True)
class Cell:
    number: int | None  # the line in its file
    html: Markup
    badge: Badge | None = None  # at a function's first line
    file: str | None = None  # at a function's first line


@dataclass(frozen=True)
class Row:
    left: Cell | None
    right: Cell | None
    kind: str  # SAME, CHANGED, REMOVED, ADDED


@dataclass(frozen=True)
class Pane:
    anchor: str
    title: str
    how: str
    rows: tuple[Row, ...]

    @property
    def changed(self) -> int:
        return sum(r.kind != SAME for r in self.rows)


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    html: Markup
    badge: Badge | None
    file: str | None


def panes(data: dict[str, Any]) -> list[Pane]:
    """One pane per original function (with its counterpart and helpers), then new ones."""
    complexity = data.get("complexity") or {}
    sources = data.get("sources") or {}
    before = _spans(complexity.get("original"))
    after = _spans(complexity.get("candidate"))
    original_files = sources.get("original") or {}
    candidate_files = sources.get("candidate") or {}
    result: list[Pane] = []
    for index, row in enumerate(complexity.get("functions") or []):
        left = _block(before.get(row.get("original")), original_files)
        right: list[_Line] = []
        names = [row.get("candidate")] + [h.get("name") for h in row.get("helpers") or []]
        for name in names:
            block = _block(after.get(name), candidate_files)
            if block and right:
                right.append(_Line(0, "", Markup(""), None, None))  # a gap between functions
            right.extend(block)
        if not left and not right:
            continue
        title, how = str(row.get("original")), str(row.get("how"))
        result.append(Pane(f"code-{index}", title, how, _align(left, right)))
    for index, row in enumerate(complexity.get("new_functions") or []):
        right = _block(after.get(row.get("name")), candidate_files)
        if right:
            result.append(Pane(f"code-new-{index}", str(row.get("name")), "new", _align([], right)))
    left, right = (
        _outside_functions(original_files, before),
        _outside_functions(candidate_files, after),
    )
    if left or right:
        # Imports, constants, tables, class headers: where an integrity finding often points.
        result.append(Pane("code-module", MODULE_LEVEL, "module", _align(left, right)))
    return result


def _outside_functions(files: dict[str, str], spans: dict[str, dict[str, Any]]) -> list[_Line]:
    """Every file's lines outside its functions, each file under a marker line."""
    inside: dict[str, set[int]] = {}
    for span in spans.values():
        first, last = int(span.get("line", 1)), int(span.get("end_line") or span.get("line", 1))
        inside.setdefault(str(span.get("file")), set()).update(range(first, last + 1))
    result: list[_Line] = []
    for path, text in files.items():
        lines = text.splitlines()
        html = highlight.lines(text)
        kept = [
            _Line(n, line, html[n - 1] if n - 1 < len(html) else Markup(""), None, None)
            for n, line in enumerate(lines, 1)
            if n not in inside.get(path, set())
            and line.strip()
            and not _is_decorator_of_function(lines, n, inside.get(path, set()))
        ]
        if kept:
            marker = f"# {path}"
            result.append(_Line(0, marker, highlight.lines(marker)[0], None, None))
            result.extend(kept)
    return result


def _is_decorator_of_function(lines: list[str], number: int, inside: set[int]) -> bool:
    """A decorator line belongs to the function below it (shown in the function's pane)."""
    if not lines[number - 1].lstrip().startswith("@"):
        return False
    while number <= len(lines) and lines[number - 1].lstrip().startswith("@"):
        number += 1
    return number in inside


def _spans(summary: object) -> dict[str, dict[str, Any]]:
    if not isinstance(summary, dict):
        return {}
    spans: dict[str, dict[str, Any]] = {}
    for row in summary.get("per_function") or []:
        spans.setdefault(row.get("name"), row)
    return spans


def _block(span: dict[str, Any] | None, files: dict[str, str]) -> list[_Line]:
    """The function's lines, decorators included, each highlighted."""
    if span is None or span.get("file") not in files:
        return []
    text_lines = files[span["file"]].splitlines()
    first, last = int(span.get("line", 1)), int(span.get("end_line") or span.get("line", 1))
    while first > 1 and text_lines[first - 2].lstrip().startswith("@"):
        first -= 1
    chunk = text_lines[first - 1 : last]
    html = highlight.lines("\n".join(chunk))
    badge = Badge(span["name"], int(span.get("complexity", 0)), str(span.get("rank", "")))
    def_line = int(span.get("line", first))
    return [
        _Line(
            number=first + i,
            text=line,
            html=html[i] if i < len(html) else Markup(""),
            badge=badge if first + i == def_line else None,
            file=span["file"] if first + i == def_line else None,
        )
        for i, line in enumerate(chunk)
    ]


def _align(left: Sequence[_Line], right: Sequence[_Line]) -> tuple[Row, ...]:
    matcher = difflib.SequenceMatcher(
        None, [line.text.strip() for line in left], [line.text.strip() for line in right], False
    )
    rows: list[Row] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pairs = zip(left[a0:a1], right[b0:b1], strict=True)
            rows.extend(Row(_cell(a), _cell(b), SAME) for a, b in pairs)
            continue
        span = max(a1 - a0, b1 - b0)
        for i in range(span):
            lcell = _cell(left[a0 + i]) if a0 + i < a1 else None
            rcell = _cell(right[b0 + i]) if b0 + i < b1 else None
            kind = CHANGED if lcell and rcell else REMOVED if lcell else ADDED
            rows.append(Row(lcell, rcell, kind))
    return tuple(rows)


def _cell(line: _Line) -> Cell:
    return Cell(line.number or None, line.html, line.badge, line.file)
