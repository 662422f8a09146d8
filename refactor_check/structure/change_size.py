"""How much of the package a candidate changed: lines and functions, against the original.

An interviewer asks "how much did they actually refactor?" before "how well?": a light tidy
and a rewrite can both end preserved with similar complexity figures. And a submission that
changed nothing must never earn credit for code it left as it was.

Lines are compared as the package reads, file after file in path order, with blank lines and
trailing whitespace left out (editors change those on their own); ``difflib`` finds the
longest runs the two share. A function is unchanged when the candidate has a function of the
same name within its module (``Counter.bump``, wherever it moved) whose source reads the same,
layout apart.
"""

from __future__ import annotations

import difflib

from ..results.complexity import ChangeSize
from ..sources import PackageSource
from .functions import FunctionInfo


def measure(
    original: PackageSource,
    candidate: PackageSource,
    original_functions: tuple[FunctionInfo, ...],
    candidate_functions: tuple[FunctionInfo, ...],
) -> ChangeSize:
    before, after = _lines(original), _lines(candidate)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    # A function moved to another module as it was is kept: its name within its module
    # (``Counter.bump``) and its text are what the reader recognises.
    kept_texts = {(f.qualname, _reads(f)) for f in candidate_functions}
    functions_kept = sum(1 for f in original_functions if (f.qualname, _reads(f)) in kept_texts)
    return ChangeSize(
        original_lines=len(before),
        candidate_lines=len(after),
        lines_kept=kept,
        original_functions=len(original_functions),
        functions_kept=functions_kept,
    )


def _lines(package: PackageSource) -> list[str]:
    lines: list[str] = []
    for source in sorted(package.files, key=lambda f: f.path):
        lines.extend(line.rstrip() for line in source.text.splitlines() if line.strip())
    return lines


def _reads(function: FunctionInfo) -> tuple[str, ...]:
    """A function's source as it reads: its lines with layout (blank lines, trailing spaces)
    left out, so that re-indenting or re-flowing blank lines is no change."""
    return tuple(line.rstrip() for line in function.text.splitlines() if line.strip())
