"""The complexity check's outcome: radon's measures of both packages and how they map.

Also the structural readings the check makes (``structure/``): duplicated blocks, how much of
the original was left as it was, and the public API's differences, as the report shows them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from . import BASE_FIELDS, CheckResult, base_fields
from .codec import fields_from

CHECK = "complexity"
# radon ranks 11 and above "C" or worse: "moderate" to "very high" risk; the usual line past
# which a function wants splitting.
COMPLEX_CC = 10
# How a public name changed between the original and the candidate (a static reading).
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Occurrence:
    file: str
    line: int
    end_line: int


@dataclass(frozen=True)
class DuplicateBlock:
    lines: int  # code lines in one copy
    occurrences: tuple[Occurrence, ...]
    text: str  # the first copy, as written
    keys: frozenset[str]  # digests of its windows: how the other package's blocks match it

    @property
    def redundant_lines(self) -> int:
        """Lines that another copy already holds."""
        return self.lines * (len(self.occurrences) - 1)


@dataclass(frozen=True)
class ChangeSize:
    original_lines: int  # non-blank lines of the original package
    candidate_lines: int  # non-blank lines of the candidate's package
    lines_kept: int  # original lines still there as they were, in the same order
    original_functions: int
    functions_kept: int  # original functions still there, by name, reading the same

    @property
    def lines_removed(self) -> int:
        return self.original_lines - self.lines_kept

    @property
    def lines_added(self) -> int:
        return self.candidate_lines - self.lines_kept

    @property
    def lines_changed(self) -> int:
        """Lines removed plus lines added: zero exactly when the package reads the same."""
        return self.lines_removed + self.lines_added

    @property
    def functions_changed(self) -> int:
        return self.original_functions - self.functions_kept

    @property
    def kept_share(self) -> float:
        """The share of the original's lines left as they were (1.0: nothing refactored)."""
        return round(self.lines_kept / self.original_lines, 3) if self.original_lines else 1.0

    @property
    def unchanged(self) -> bool:
        return self.lines_changed == 0

    def describe(self) -> str:
        if self.unchanged:
            return "the package reads exactly as the original: nothing was refactored"
        return (
            f"{self.functions_changed} of {self.original_functions} functions changed; "
            f"{self.lines_removed} lines removed and {self.lines_added} added; "
            f"{self.kept_share:.0%} of the original's lines left as they were"
        )


@dataclass(frozen=True)
class ApiChange:
    name: str
    change: str  # ADDED, REMOVED or CHANGED
    before: str | None  # kind and signature, in words
    after: str | None
    words: str  # one line for people


@dataclass(frozen=True)
class ApiDiff:
    names_before: int
    names_after: int
    changes: tuple[ApiChange, ...]

    @property
    def unchanged(self) -> int:
        return self.names_before - sum(c.change != ADDED for c in self.changes)


@dataclass(frozen=True)
class FunctionComplexity:
    name: str  # module-qualified: billing.invoice.Ledger.add
    file: str
    line: int
    end_line: int
    complexity: int  # including its closures
    rank: str  # radon's A-F


@dataclass(frozen=True)
class ModuleMetrics:
    file: str
    mi: float  # radon's maintainability index, 0-100, without its comment term
    mi_rank: str  # radon's A (20 and above), B (10-19), C (below 10)
    loc: int
    sloc: int
    lloc: int
    comments: int  # comment lines, docstrings (multi-line strings) apart
    multi: int
    blank: int
    halstead_volume: float
    halstead_effort: float


@dataclass(frozen=True)
class ComplexitySummary:
    cc_total: int
    functions: int
    cc_max: int
    cc_mean: float
    per_function: tuple[FunctionComplexity, ...]
    unparsed: tuple[str, ...] = ()  # files radon could not read (already syntax findings)
    modules: tuple[ModuleMetrics, ...] = ()
    complex_functions: int = 0  # complexity above COMPLEX_CC
    sloc: int = 0
    lloc: int = 0
    comments: int = 0
    halstead_volume: float = 0.0
    halstead_effort: float = 0.0
    mi_min: float | None = None  # the least maintainable module's index
    mi_mean: float | None = None  # weighted by each module's source lines
    duplicates: tuple[DuplicateBlock, ...] = ()

    @property
    def largest(self) -> FunctionComplexity | None:
        return max(self.per_function, key=lambda f: (f.complexity, f.name), default=None)

    @property
    def duplicated_lines(self) -> int:
        return sum(b.redundant_lines for b in self.duplicates)


@dataclass(frozen=True)
class HelperComplexity:
    name: str
    complexity: int
    rank: str
    found_by: str  # mapping.EXTRACTED or mapping.CALLED
    containment: float


@dataclass(frozen=True)
class FunctionDelta:
    """One original function and what it became."""

    original: str
    candidate: str | None
    how: str  # mapping.SAME, MOVED, RENAMED or REMOVED
    similarity: float | None
    cc_before: int
    cc_after: int | None  # the counterpart alone
    helpers: tuple[HelperComplexity, ...]

    @property
    def cc_after_total(self) -> int:
        """The counterpart and its helpers: what the original's logic costs now."""
        return (self.cc_after or 0) + sum(h.complexity for h in self.helpers)

    @property
    def largest_after(self) -> int:
        return max([self.cc_after or 0, *(h.complexity for h in self.helpers)])

    @property
    def delta(self) -> int | None:
        return None if self.cc_after is None else self.cc_after - self.cc_before


@dataclass(frozen=True, kw_only=True)
class ComplexityResult(CheckResult):
    original: ComplexitySummary
    candidate: ComplexitySummary
    mapped: tuple[FunctionDelta, ...] = ()
    new_functions: tuple[FunctionComplexity, ...] = ()
    mapping_note: str | None = None
    api: ApiDiff | None = None
    duplicates_removed: tuple[DuplicateBlock, ...] = ()
    duplicates_added: tuple[DuplicateBlock, ...] = ()
    change: ChangeSize | None = None

    @property
    def cc_delta(self) -> int:
        return self.candidate.cc_total - self.original.cc_total


# The JSON form (report.json "complexity"); None stays null so every key is always there.

_DELTA_FIGURES = (
    "cc_total",
    "cc_max",
    "cc_mean",
    "functions",
    "complex_functions",
    "sloc",
    "lloc",
    "comments",
    "halstead_volume",
    "halstead_effort",
    "mi_min",
    "mi_mean",
    "duplicated_lines",
)


def as_json(result: ComplexityResult) -> dict[str, Any]:
    return {
        "original": summary_json(result.original),
        "candidate": summary_json(result.candidate),
        "cc_delta": result.cc_delta,
        "complex_cc": COMPLEX_CC,
        "deltas": {
            name: _delta(getattr(result.original, name), getattr(result.candidate, name))
            for name in _DELTA_FIGURES
        },
        "functions": [_function_delta_json(d) for d in result.mapped],
        "new_functions": [asdict(f) for f in result.new_functions],
        "mapping_note": result.mapping_note,
        "api": _api_json(result.api),
        "duplicates": {
            "removed": [_block_json(b) for b in result.duplicates_removed],
            "added": [_block_json(b) for b in result.duplicates_added],
        },
        "change": _change_json(result.change),
    }


def _change_json(change: ChangeSize | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "unchanged": change.unchanged,
        "summary": change.describe(),
        "original_lines": change.original_lines,
        "candidate_lines": change.candidate_lines,
        "lines_kept": change.lines_kept,
        "lines_removed": change.lines_removed,
        "lines_added": change.lines_added,
        "lines_changed": change.lines_changed,
        "kept_share": change.kept_share,
        "original_functions": change.original_functions,
        "functions_kept": change.functions_kept,
        "functions_changed": change.functions_changed,
    }


def summary_json(summary: ComplexitySummary) -> dict[str, Any]:
    largest = summary.largest
    return {
        "cc_total": summary.cc_total,
        "functions": summary.functions,
        "cc_max": summary.cc_max,
        "cc_mean": summary.cc_mean,
        "complex_functions": summary.complex_functions,
        "largest_function": asdict(largest) if largest else None,
        "sloc": summary.sloc,
        "lloc": summary.lloc,
        "comments": summary.comments,
        "halstead_volume": summary.halstead_volume,
        "halstead_effort": summary.halstead_effort,
        "mi_min": summary.mi_min,
        "mi_mean": summary.mi_mean,
        "duplicated_lines": summary.duplicated_lines,
        "duplicates": [_block_json(b) for b in summary.duplicates],
        "modules": [asdict(m) for m in summary.modules],
        "per_function": [asdict(f) for f in summary.per_function],
        "unparsed": list(summary.unparsed),
    }


def _delta(before: float | None, after: float | None) -> dict[str, float | None]:
    return {"original": before, "candidate": after, "delta": figure_change(before, after)}


def figure_change(before: float | None, after: float | None) -> float | None:
    """How a figure moved from the original to the candidate, rounded as report.json's
    ``deltas`` state it; None when either side was not measured."""
    return None if before is None or after is None else round(after - before, 2)


def _function_delta_json(row: FunctionDelta) -> dict[str, Any]:
    return {
        "original": row.original,
        "candidate": row.candidate,
        "how": row.how,
        "similarity": row.similarity,
        "cc_before": row.cc_before,
        "cc_after": row.cc_after,
        "delta": row.delta,
        "helpers": [asdict(h) for h in row.helpers],
        "cc_after_with_helpers": row.cc_after_total,
        "largest_after": row.largest_after,
    }


def _api_json(diff: ApiDiff | None) -> dict[str, Any] | None:
    if diff is None:
        return None
    return {
        "names_before": diff.names_before,
        "names_after": diff.names_after,
        "unchanged": diff.unchanged,
        "changes": [asdict(c) for c in diff.changes],
    }


def _block_json(block: DuplicateBlock) -> dict[str, Any]:
    return {
        "lines": block.lines,
        "occurrences": [asdict(o) for o in block.occurrences],
        "text": block.text,
    }


# Read back from report.json ----------------------------------------------------------------
# What ``as_json`` wrote, as the result it was written from: merge scores joined shards from
# a report without measuring the sources again. Figures ``as_json`` derives (deltas, totals,
# the largest function) are not read; the properties compute them again. A duplicated block's
# window digests are not written: a block read back matches no other (only ``find`` needs
# them, on packages it reads itself).


def from_json(base: CheckResult, data: dict[str, Any]) -> CheckResult:
    """``base`` (the check's entry) with its section: a ComplexityResult when it measured."""
    if data["original"] is None:  # not measured: the check's summary says why
        return base
    section = {
        **data,
        "original": _summary_section(data["original"]),
        "candidate": _summary_section(data["candidate"]),
        "mapped": data["functions"],
        "duplicates_removed": _blocks(data["duplicates"]["removed"]),
        "duplicates_added": _blocks(data["duplicates"]["added"]),
    }
    # Each API change also says what the running code showed of it (``running_code``): the
    # report's addition, not part of the static reading, so not a field and not read.
    return ComplexityResult(
        **base_fields(base), **fields_from(section, ComplexityResult, skip=BASE_FIELDS)
    )


def _summary_section(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "duplicates": _blocks(data["duplicates"])}


def _blocks(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "keys": []} for row in rows]  # not written: matches no other block
