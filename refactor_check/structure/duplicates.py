"""Duplicated blocks of code within a package: copy-paste, with or without edited constants.

Lines are compared by shape: every string literal counts as the same string and every number
as the same number, so a branch pasted with a new rate or message still matches; names are
kept, so two loops over different things do not. Blank lines and comments are skipped.
A block is ``MIN_LINES`` or more such lines that occur twice or more.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import tokenize
from collections import defaultdict
from dataclasses import dataclass

from ..results.complexity import DuplicateBlock, Occurrence
from ..sources import PackageSource, SourceFile

# Fewer lines than this repeat by accident in any codebase (a guard clause, a return).
MIN_LINES = 5
# A window of lines this short in normalised text is boilerplate ("else:", "return x"...).
MIN_CHARS = 100
_SKIPPED = frozenset(
    {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
)


@dataclass(frozen=True)
class _Line:
    number: int
    shape: str


def find(package: PackageSource) -> tuple[DuplicateBlock, ...]:
    files = {s.path: s for s in package.files if s.problem is None}
    lines = {path: _shape_lines(source) for path, source in files.items()}
    windows: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path, rows in lines.items():
        for start in range(len(rows) - MIN_LINES + 1):
            chunk = rows[start : start + MIN_LINES]
            text = "\n".join(r.shape for r in chunk)
            if len(text) >= MIN_CHARS:
                windows[_digest(text)].append((path, start))
    key_at = {spot: key for key, spots in windows.items() if len(spots) > 1 for spot in spots}
    blocks: list[DuplicateBlock] = []
    covered: set[tuple[str, int]] = set()  # lines of the blocks already reported
    for spot in sorted(key_at):
        spots = _separate(windows[key_at[spot]])
        if len(spots) < 2 or all(
            (path, start + i) in covered for path, start in spots for i in range(MIN_LINES)
        ):
            continue  # a shifted view of blocks already reported (repeats next to each other)
        extra = _extent(spots, key_at)
        count = MIN_LINES + extra
        keys: set[str] = set()
        for path, start in spots:
            covered.update((path, start + i) for i in range(count))
            keys.update(key_at[(path, start + offset)] for offset in range(extra + 1))
        occurrences = tuple(
            Occurrence(path, lines[path][start].number, lines[path][start + count - 1].number)
            for path, start in spots
        )
        first = occurrences[0]
        text_lines = files[first.file].text.splitlines()[first.line - 1 : first.end_line]
        blocks.append(DuplicateBlock(count, occurrences, "\n".join(text_lines), frozenset(keys)))
    return tuple(blocks)


def compare(
    before: tuple[DuplicateBlock, ...], after: tuple[DuplicateBlock, ...]
) -> tuple[tuple[DuplicateBlock, ...], tuple[DuplicateBlock, ...]]:
    """(blocks of ``before`` no longer duplicated in ``after``, blocks new in ``after``)."""
    keys_before = frozenset().union(*(b.keys for b in before))
    keys_after = frozenset().union(*(b.keys for b in after))
    removed = tuple(b for b in before if not b.keys & keys_after)
    added = tuple(b for b in after if not b.keys & keys_before)
    return removed, added


def _shape_lines(source: SourceFile) -> list[_Line]:
    """Each code line as its tokens, literals replaced: the unit of comparison."""
    by_line: dict[int, list[str]] = defaultdict(list)
    try:
        for token in tokenize.generate_tokens(io.StringIO(source.text).readline):
            if token.type in _SKIPPED:
                continue
            if token.type == tokenize.STRING:
                text = '"s"'
            elif token.type == tokenize.NUMBER:
                text = "0"
            else:
                text = token.string
            by_line[token.start[0]].append(text)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return [_Line(n, " ".join(parts)) for n, parts in sorted(by_line.items()) if parts]


def _separate(spots: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Copies that do not overlap one another (a run of identical lines is one copy)."""
    kept: list[tuple[str, int]] = []
    for path, start in sorted(spots):
        if kept and kept[-1][0] == path and start < kept[-1][1] + MIN_LINES:
            continue
        kept.append((path, start))
    return kept


def _extent(spots: list[tuple[str, int]], key_at: dict[tuple[str, int], str]) -> int:
    """How many windows past the first every copy keeps matching the others."""
    extra = 0
    while True:
        following = {key_at.get((path, start + extra + 1)) for path, start in spots}
        if len(following) != 1 or None in following:
            return extra
        # Copies must not grow into one another.
        if any(
            a[0] == b[0] and b[1] <= a[1] + MIN_LINES + extra for a, b in itertools.pairwise(spots)
        ):
            return extra
        extra += 1


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
