"""Stewardship evidence: radon's measures of the original and the candidate, and how they map.

Per function and method: cyclomatic complexity and its rank. Per module: maintainability
index, Halstead volume and effort, raw line counts. Then the structure (``structure/``): each
original function's counterpart in the candidate (same, moved, renamed, split into helpers,
removed) with its complexity before and after, the public API's differences, duplicated
blocks removed and added.

The contract's ``cc_total`` counts every function and method once. radon's ``cc_visit`` lists
a class's methods both under the class and on their own, leaves nested classes' methods out of
its flat list, and reports a closure apart from its enclosing function; here the tree is
walked once, and each closure's complexity is added to the function that encloses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from radon.complexity import cc_rank, cc_visit
from radon.metrics import h_visit, mi_compute, mi_parameters, mi_rank
from radon.raw import analyze
from radon.visitors import Class, ComplexityVisitor, Function

from ..results import CheckResult, Status
from ..sources import PackageSource
from ..structure import api, change_size, duplicates, functions, mapping
from . import CheckContext

CHECK = "complexity"
# The name, after the module's, of the entry for code outside every function.
MODULE_LEVEL = "<module level>"
# radon ranks 11 and above "C" or worse: "moderate" to "very high" risk; the usual line past
# which a function wants splitting.
COMPLEX_CC = 10


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
    duplicates: tuple[duplicates.DuplicateBlock, ...] = ()

    @property
    def largest(self) -> FunctionComplexity | None:
        return max(self.per_function, key=lambda f: (f.complexity, f.name), default=None)

    @property
    def duplicated_lines(self) -> int:
        return duplicates.redundant_lines(self.duplicates)


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
    api: api.ApiDiff | None = None
    duplicates_removed: tuple[duplicates.DuplicateBlock, ...] = ()
    duplicates_added: tuple[duplicates.DuplicateBlock, ...] = ()
    change: change_size.ChangeSize | None = None

    @property
    def cc_delta(self) -> int:
        return self.candidate.cc_total - self.original.cc_total


def run(ctx: CheckContext) -> ComplexityResult:
    return compare(ctx.original, ctx.candidate.package)


def compare(original_package: PackageSource, candidate_package: PackageSource) -> ComplexityResult:
    original = measure(original_package)
    candidate = measure(candidate_package)
    before, after = functions.collect(original_package), functions.collect(candidate_package)
    found = mapping.map_functions(before, after)
    change = change_size.measure(original_package, candidate_package, before, after)
    removed, added = duplicates.compare(original.duplicates, candidate.duplicates)
    delta = candidate.cc_total - original.cc_total
    summary = (
        f"cyclomatic complexity {original.cc_total} -> {candidate.cc_total} ({delta:+d}); "
        f"largest function {original.cc_max} -> {candidate.cc_max}"
    )
    if original.mi_min is not None and candidate.mi_min is not None:
        summary += (
            f"; least maintainable module's index {original.mi_min:.1f} -> {candidate.mi_min:.1f}"
        )
    return ComplexityResult(
        check=CHECK,
        status=Status.PASSED,
        summary=summary,
        original=original,
        candidate=candidate,
        mapped=_deltas(found, original, candidate),
        new_functions=_by_names(candidate, found.new),
        mapping_note=found.note,
        api=api.diff(
            api.public_api(original_package, original_package.module_names),
            api.public_api(candidate_package, original_package.module_names),
        ),
        duplicates_removed=removed,
        duplicates_added=added,
        change=change,
        warnings=tuple(f"complexity not measured for {path}" for path in candidate.unparsed)
        + ((f"size of change: {change.describe()}",) if change.unchanged else ()),
    )


def measure(package: PackageSource) -> ComplexitySummary:
    rows: list[FunctionComplexity] = []
    modules: list[ModuleMetrics] = []
    unparsed: list[str] = []
    for source in package.files:
        if source.problem is not None:
            unparsed.append(source.path)
            continue
        try:
            blocks = cc_visit(source.text)
            metrics = _module_metrics(source.path, source.text)
        except (SyntaxError, RecursionError, ValueError):
            unparsed.append(source.path)
            continue
        modules.append(metrics)
        module = functions.module_name(source.path)
        rows.extend(
            FunctionComplexity(
                name=f"{module}.{qualname}",
                file=source.path,
                line=function.lineno,
                end_line=function.endline,
                complexity=total,
                rank=cc_rank(total),
            )
            for qualname, function, total in _functions(blocks)
        )
        outside = _outside_functions(source.text, blocks)
        if outside:
            rows.append(
                FunctionComplexity(
                    name=f"{module}.{MODULE_LEVEL}",
                    file=source.path,
                    line=1,
                    end_line=metrics.loc,
                    complexity=outside,
                    rank=cc_rank(outside),
                )
            )
    rows.sort(key=lambda r: (r.file, r.line, r.name))
    values = [r.complexity for r in rows]
    sloc = sum(m.sloc for m in modules)
    return ComplexitySummary(
        cc_total=sum(values),
        functions=len(rows),
        cc_max=max(values, default=0),
        cc_mean=round(sum(values) / len(values), 2) if values else 0.0,
        per_function=tuple(rows),
        unparsed=tuple(unparsed),
        modules=tuple(modules),
        complex_functions=sum(v > COMPLEX_CC for v in values),
        sloc=sloc,
        lloc=sum(m.lloc for m in modules),
        comments=sum(m.comments for m in modules),
        halstead_volume=round(sum(m.halstead_volume for m in modules), 1),
        halstead_effort=round(sum(m.halstead_effort for m in modules), 1),
        mi_min=min((m.mi for m in modules), default=None),
        mi_mean=round(sum(m.mi * m.sloc for m in modules) / sloc, 2) if sloc else None,
        duplicates=duplicates.find(package),
    )


def _module_metrics(path: str, text: str) -> ModuleMetrics:
    raw = analyze(text)
    # Without radon's comment term: it adds up to 50 points for the share of comment lines,
    # so banner comments alone would lift a module a rank. Volume, complexity and size are
    # what a refactor changes.
    volume, complexity, lloc, _comments = mi_parameters(text, count_multi=True)
    mi = mi_compute(volume, complexity, lloc, 0)
    halstead = h_visit(text).total
    return ModuleMetrics(
        file=path,
        mi=round(mi, 2),
        mi_rank=mi_rank(mi),
        loc=raw.loc,
        sloc=raw.sloc,
        lloc=raw.lloc,
        comments=raw.comments,
        multi=raw.multi,
        blank=raw.blank,
        halstead_volume=round(halstead.volume, 1),
        halstead_effort=round(halstead.effort, 1),
    )


def _deltas(
    found: mapping.Mapping, original: ComplexitySummary, candidate: ComplexitySummary
) -> tuple[FunctionDelta, ...]:
    before = _index(original)
    after = _index(candidate)
    rows = []
    for match in found.matches:
        counterpart = after.get(match.candidate) if match.candidate else None
        rows.append(
            FunctionDelta(
                original=match.original,
                candidate=match.candidate,
                how=match.how,
                similarity=match.similarity,
                cc_before=before[match.original].complexity if match.original in before else 0,
                cc_after=counterpart.complexity if counterpart else None,
                helpers=tuple(
                    HelperComplexity(
                        name=h.name,
                        complexity=after[h.name].complexity,
                        rank=after[h.name].rank,
                        found_by=h.found_by,
                        containment=h.containment,
                    )
                    for h in match.helpers
                    if h.name in after
                ),
            )
        )
    return tuple(rows)


def _index(summary: ComplexitySummary) -> dict[str, FunctionComplexity]:
    index: dict[str, FunctionComplexity] = {}
    for row in summary.per_function:
        index.setdefault(row.name, row)  # a redefinition (property setter) keeps the first
    return index


def _by_names(summary: ComplexitySummary, names: tuple[str, ...]) -> tuple[FunctionComplexity, ...]:
    index = _index(summary)
    return tuple(index[n] for n in names if n in index)


def _outside_functions(text: str, blocks: list[Function | Class]) -> int:
    """Decisions made outside every function and method: module-level and class-body code,
    the lambdas, conditional expressions and comprehensions there, a dispatch table of
    lambdas. radon counts blocks only, so branches moved into such a table would vanish
    from every function's figure; here they stay, as one more entry per module."""
    outside = ComplexityVisitor.from_code(text).complexity - 1
    for block in blocks:
        if isinstance(block, Class):
            outside += _class_body(block)
    return max(outside, 0)


def _class_body(cls: Class) -> int:
    own = cls.real_complexity - 1 - sum(m.complexity for m in cls.methods)
    return max(own, 0) + sum(_class_body(inner) for inner in cls.inner_classes)


def _functions(blocks: list[Function | Class]) -> Iterator[tuple[str, Function, int]]:
    """Each function and method once, top-level blocks only (methods come via their class)."""
    for block in blocks:
        if isinstance(block, Class):
            yield from _class_functions(block, block.name)
        elif not block.is_method:
            yield block.name, block, _with_closures(block)


def _class_functions(cls: Class, prefix: str) -> Iterator[tuple[str, Function, int]]:
    for method in cls.methods:
        yield f"{prefix}.{method.name}", method, _with_closures(method)
    for inner in cls.inner_classes:
        yield from _class_functions(inner, f"{prefix}.{inner.name}")


def _with_closures(function: Function) -> int:
    return function.complexity + sum(_with_closures(c) for c in function.closures)


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


def _change_json(change: change_size.ChangeSize | None) -> dict[str, Any] | None:
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
    change = None if before is None or after is None else round(after - before, 2)
    return {"original": before, "candidate": after, "delta": change}


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


def _api_json(diff: api.ApiDiff | None) -> dict[str, Any] | None:
    if diff is None:
        return None
    return {
        "names_before": diff.names_before,
        "names_after": diff.names_after,
        "unchanged": diff.unchanged,
        "changes": [asdict(c) for c in diff.changes],
    }


def _block_json(block: duplicates.DuplicateBlock) -> dict[str, Any]:
    return {
        "lines": block.lines,
        "occurrences": [asdict(o) for o in block.occurrences],
        "text": block.text,
    }
