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

from radon.complexity import cc_rank, cc_visit
from radon.metrics import h_visit, mi_compute, mi_parameters, mi_rank
from radon.raw import analyze
from radon.visitors import Class, ComplexityVisitor, Function

from ..results import Status
from ..results.complexity import (
    CHECK,
    COMPLEX_CC,
    ComplexityResult,
    ComplexitySummary,
    FunctionComplexity,
    FunctionDelta,
    HelperComplexity,
    ModuleMetrics,
)
from ..sources import PackageSource
from ..structure import api, change_size, duplicates, functions, mapping
from . import CheckContext

# The name, after the module's, of the entry for code outside every function.
MODULE_LEVEL = "<module level>"


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


# radon's line counts that a module's metrics keep, under radon's own names.
_RAW_COUNTS = ("loc", "sloc", "lloc", "comments", "multi", "blank")


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
        **{count: getattr(raw, count) for count in _RAW_COUNTS},
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
    outside: int = ComplexityVisitor.from_code(text).complexity - 1
    for block in blocks:
        if isinstance(block, Class):
            outside += _class_body(block)
    return max(outside, 0)


def _class_body(cls: Class) -> int:
    own: int = cls.real_complexity - 1 - sum(m.complexity for m in cls.methods)
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
    own: int = function.complexity
    return own + sum(_with_closures(c) for c in function.closures)
