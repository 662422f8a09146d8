"""Original and candidate code side by side, one mapped function at a time.

A refactor moves code between files, so a file-by-file diff would show one file deleted and
three added. Here each original function sits beside what it became: its counterpart and the
helpers split out of it, aligned line by line (whitespace ignored), with each function's
cyclomatic complexity in the margin at its ``def``.

Within a run of changed lines, each line is paired with its most similar line on the other
side (as difflib's ``Differ`` pairs them), and a pair marks what differs inside it, token by
token: ``<del>`` on the original's side, ``<ins>`` on the candidate's (``<=`` against ``<``
marks the operator alone). Lines with nothing much in common stay paired by position, wholly
changed, as do lines only one side has.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from html import escape

from markupsafe import Markup

from ..report import Report
from ..results.complexity import ComplexitySummary, FunctionComplexity
from . import highlight
from .highlight import Token

SAME, CHANGED, REMOVED, ADDED = "same", "changed", "removed", "added"
MODULE_LEVEL = "module-level code"
# Share of two lines' tokens in common (difflib's ratio, whitespace apart) from which they are
# one line changed, marked within; below it they are two different lines.
SIMILAR_LINES = 0.5
# Pairing looks at every pair of lines in a changed run; past this many (a module rewritten
# wholesale), the run is paired by position, unmarked.
MAX_PAIRINGS = 20_000


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
    anchor: str | None = None  # an id, at a function's first line: where a link lands


@dataclass(frozen=True)
class Pane:
    anchor: str
    title: str
    how: str
    rows: tuple[Row, ...]
    # Function name -> the id of the row of its ``def`` (either side), for links to land on.
    targets: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(r.kind != SAME for r in self.rows)

    @property
    def table(self) -> str:
        """The id of the pane's table: inside its ``<details>``, so a link to it opens them."""
        return f"{self.anchor}-code"


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    tokens: tuple[Token, ...]
    badge: Badge | None
    file: str | None

    @property
    def words(self) -> list[str]:
        """The tokens that are not whitespace: what pairing and marking compare."""
        return [text for _, text in self.tokens if text.strip()]


def panes(report: Report) -> list[Pane]:
    """One pane per original function (with its counterpart and helpers), then new ones.
    Without complexity measures, the module-level pane alone: every line of both packages."""
    complexity = report.complexity
    before = _spans(complexity.original if complexity else None)
    after = _spans(complexity.candidate if complexity else None)
    original_files = dict(report.exercise.texts)
    candidate_files = dict(report.candidate.texts)
    result: list[Pane] = []
    for index, row in enumerate(complexity.mapped if complexity else ()):
        left = _block(before.get(row.original), original_files)
        right: list[_Line] = []
        names = [row.candidate, *(h.name for h in row.helpers)]
        for name in names:
            block = _block(after.get(name) if name else None, candidate_files)
            if block and right:
                right.append(_Line(0, "", (), None, None))  # a gap between functions
            right.extend(block)
        if not left and not right:
            continue
        result.append(_pane(f"code-{index}", row.original, row.how, _align(left, right)))
    for index, function in enumerate(complexity.new_functions if complexity else ()):
        right = _block(after.get(function.name), candidate_files)
        if right:
            result.append(_pane(f"code-new-{index}", function.name, "new", _align([], right)))
    left, right = (
        _outside_functions(original_files, before),
        _outside_functions(candidate_files, after),
    )
    if left or right:
        # Imports, constants, tables, class headers: where an integrity finding often points.
        result.append(_pane("code-module", MODULE_LEVEL, "module", _align(left, right)))
    return result


def link(found: Sequence[Pane], original: str | None, candidate: str | None) -> str | None:
    """Where a link to a pair of functions lands: the candidate function's ``def`` in the pane
    of the original function (its counterpart or a helper split out of it), else wherever
    the candidate function is shown, else the original's ``def``; None when neither is."""
    ordered = sorted(found, key=lambda p: p.title != original)  # the pair's own pane first
    for name in (candidate, original):
        for pane in ordered if name else ():
            if name in pane.targets:
                return pane.targets[name]
    return None


def _pane(anchor: str, title: str, how: str, rows: tuple[Row, ...]) -> Pane:
    """The pane, with an id on each function's first line (the right side's name wins)."""
    targets: dict[str, str] = {}
    marked = []
    for number, row in enumerate(rows):
        names = [c.badge.name for c in (row.right, row.left) if c is not None and c.badge]
        if not names:
            marked.append(row)
            continue
        row_id = f"{anchor}-{number}-{_slug(names[0])}"
        for name in names:
            targets.setdefault(name, row_id)
        marked.append(replace(row, anchor=row_id))
    return Pane(anchor, title, how, tuple(marked), targets)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:120]


def _outside_functions(files: dict[str, str], spans: dict[str, FunctionComplexity]) -> list[_Line]:
    """Every file's lines outside its functions, each file under a marker line."""
    inside: dict[str, set[int]] = {}
    for span in spans.values():
        first, last = span.line, span.end_line or span.line
        inside.setdefault(span.file, set()).update(range(first, last + 1))
    result: list[_Line] = []
    for path, text in files.items():
        lines = text.splitlines()
        tokens = _token_lines(text)
        kept = [
            _Line(n, line, tokens[n - 1] if n - 1 < len(tokens) else (), None, None)
            for n, line in enumerate(lines, 1)
            if n not in inside.get(path, set())
            and line.strip()
            and not _is_decorator_of_function(lines, n, inside.get(path, set()))
        ]
        if kept:
            marker = f"# {path}"
            result.append(_Line(0, marker, _token_lines(marker)[0], None, None))
            result.extend(kept)
    return result


def _is_decorator_of_function(lines: list[str], number: int, inside: set[int]) -> bool:
    """A decorator line belongs to the function below it (shown in the function's pane)."""
    if not lines[number - 1].lstrip().startswith("@"):
        return False
    while number <= len(lines) and lines[number - 1].lstrip().startswith("@"):
        number += 1
    return number in inside


def _spans(summary: ComplexitySummary | None) -> dict[str, FunctionComplexity]:
    spans: dict[str, FunctionComplexity] = {}
    for function in summary.per_function if summary else ():
        spans.setdefault(function.name, function)
    return spans


def _block(span: FunctionComplexity | None, files: dict[str, str]) -> list[_Line]:
    """The function's lines, decorators included, each highlighted."""
    if span is None or span.file not in files:
        return []
    text_lines = files[span.file].splitlines()
    first, last = span.line, span.end_line or span.line
    while first > 1 and text_lines[first - 2].lstrip().startswith("@"):
        first -= 1
    chunk = text_lines[first - 1 : last]
    tokens = _token_lines("\n".join(chunk))
    badge = Badge(span.name, span.complexity, span.rank)
    def_line = span.line
    return [
        _Line(
            number=first + i,
            text=line,
            tokens=tokens[i] if i < len(tokens) else (),
            badge=badge if first + i == def_line else None,
            file=span.file if first + i == def_line else None,
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
        elif len(left[a0:a1]) * len(right[b0:b1]) > MAX_PAIRINGS:
            rows.extend(_by_position(left[a0:a1], right[b0:b1]))
        else:
            rows.extend(_paired(left[a0:a1], right[b0:b1]))
    return tuple(rows)


def _paired(left: Sequence[_Line], right: Sequence[_Line]) -> list[Row]:
    """A run of changed lines: the most similar pair (at least ``SIMILAR_LINES``) is one line
    changed, marked within, and splits the run in two, each paired the same way (difflib's
    ``Differ._fancy_replace``); a run with no such pair is paired by position."""
    best, where = SIMILAR_LINES, None
    words = [line.words for line in right]
    for i, a in enumerate(left):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(a.words)
        for j, b in enumerate(words):
            matcher.set_seq1(b)
            if (
                matcher.real_quick_ratio() > best
                and matcher.quick_ratio() > best
                and matcher.ratio() > best
            ):
                best, where = matcher.ratio(), (i, j)
    if where is None:
        return _by_position(left, right)
    i, j = where
    marks = _marks(left[i], right[j])
    pair = Row(_cell(left[i], marks[0], "del"), _cell(right[j], marks[1], "ins"), CHANGED)
    return [*_paired(left[:i], right[:j]), pair, *_paired(left[i + 1 :], right[j + 1 :])]


def _by_position(left: Sequence[_Line], right: Sequence[_Line]) -> list[Row]:
    rows = []
    for i in range(max(len(left), len(right))):
        lcell = _cell(left[i]) if i < len(left) else None
        rcell = _cell(right[i]) if i < len(right) else None
        kind = CHANGED if lcell and rcell else REMOVED if lcell else ADDED
        rows.append(Row(lcell, rcell, kind))
    return rows


def _marks(a: _Line, b: _Line) -> tuple[frozenset[int], frozenset[int]]:
    """Which tokens of each line differ from the other's (whitespace never counts)."""
    left = [i for i, (_, text) in enumerate(a.tokens) if text.strip()]
    right = [i for i, (_, text) in enumerate(b.tokens) if text.strip()]
    matcher = difflib.SequenceMatcher(None, a.words, b.words, autojunk=False)
    removed: set[int] = set()
    added: set[int] = set()
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            removed.update(left[a0:a1])
            added.update(right[b0:b1])
    return frozenset(removed), frozenset(added)


def _cell(line: _Line, marks: frozenset[int] = frozenset(), tag: str = "") -> Cell:
    return Cell(line.number or None, _html(line.tokens, marks, tag), line.badge, line.file)


def _html(tokens: Sequence[Token], marks: frozenset[int], tag: str) -> Markup:
    """The line as highlighted HTML, each run of marked tokens inside one ``<tag>`` (the
    whitespace between two marked tokens joins their run)."""
    significant = [i for i, (_, text) in enumerate(tokens) if text.strip()]
    inside = [i in marks for i in range(len(tokens))]
    for before, after in itertools.pairwise(significant):
        if before in marks and after in marks:
            for k in range(before + 1, after):
                inside[k] = True
    parts: list[str] = []
    open_run = False
    for index, (css_class, text) in enumerate(tokens):
        if inside[index] != open_run:
            parts.append(f"<{tag}>" if inside[index] else f"</{tag}>")
            open_run = inside[index]
        piece = escape(text, quote=False)
        parts.append(f'<span class="{css_class}">{piece}</span>' if css_class else piece)
    if open_run:
        parts.append(f"</{tag}>")
    return Markup("".join(parts))


def _token_lines(source: str) -> list[tuple[Token, ...]]:
    """``highlight.token_lines``, with a literal and an operator one token each: pygments
    gives a string's quotes and text apart, and ``<=`` as ``<`` and ``=``."""
    merged: list[tuple[Token, ...]] = []
    for line in highlight.token_lines(source):
        row: list[Token] = []
        for css_class, piece in line:
            if row and row[-1][0] == css_class and (css_class == "o" or css_class[:1] == "s"):
                row[-1] = (css_class, row[-1][1] + piece)
            else:
                row.append((css_class, piece))
        merged.append(tuple(row))
    return merged
