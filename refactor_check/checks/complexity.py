"""Cyclomatic complexity (radon) of the original and the candidate, function by function.

The contract's ``cc_total`` counts every function and method once. radon's ``cc_visit`` lists
a class's methods both under the class and on their own, leaves nested classes' methods out of
its flat list, and reports a closure apart from its enclosing function; here the tree is
walked once, and each closure's complexity is added to the function that encloses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from radon.complexity import cc_rank, cc_visit
from radon.visitors import Class, Function

from ..results import CheckResult, Status
from ..sources import PackageSource
from . import CheckContext

CHECK = "complexity"


@dataclass(frozen=True)
class FunctionComplexity:
    name: str  # module-qualified: billing.invoice.Ledger.add
    file: str
    line: int
    complexity: int  # including its closures
    rank: str  # radon's A-F


@dataclass(frozen=True)
class ComplexitySummary:
    cc_total: int
    functions: int
    cc_max: int
    cc_mean: float
    per_function: tuple[FunctionComplexity, ...]
    unparsed: tuple[str, ...] = ()  # files radon could not read (already syntax findings)


@dataclass(frozen=True, kw_only=True)
class ComplexityResult(CheckResult):
    original: ComplexitySummary
    candidate: ComplexitySummary

    @property
    def cc_delta(self) -> int:
        return self.candidate.cc_total - self.original.cc_total


def run(ctx: CheckContext) -> ComplexityResult:
    original = measure(ctx.original)
    candidate = measure(ctx.candidate.package)
    delta = candidate.cc_total - original.cc_total
    summary = (
        f"cyclomatic complexity {original.cc_total} -> {candidate.cc_total} ({delta:+d}); "
        f"largest function {original.cc_max} -> {candidate.cc_max}"
    )
    return ComplexityResult(
        check=CHECK,
        status=Status.PASSED,
        summary=summary,
        original=original,
        candidate=candidate,
        warnings=tuple(f"complexity not measured for {path}" for path in candidate.unparsed),
    )


def measure(package: PackageSource) -> ComplexitySummary:
    rows: list[FunctionComplexity] = []
    unparsed: list[str] = []
    for source in package.files:
        if source.problem is not None:
            unparsed.append(source.path)
            continue
        try:
            blocks = cc_visit(source.text)
        except (SyntaxError, RecursionError, ValueError):
            unparsed.append(source.path)
            continue
        module = _module_name(source.path)
        rows.extend(
            FunctionComplexity(
                name=f"{module}.{qualname}",
                file=source.path,
                line=function.lineno,
                complexity=total,
                rank=cc_rank(total),
            )
            for qualname, function, total in _functions(blocks)
        )
    rows.sort(key=lambda r: (r.file, r.line, r.name))
    values = [r.complexity for r in rows]
    return ComplexitySummary(
        cc_total=sum(values),
        functions=len(rows),
        cc_max=max(values, default=0),
        cc_mean=round(sum(values) / len(values), 2) if values else 0.0,
        per_function=tuple(rows),
        unparsed=tuple(unparsed),
    )


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


def _module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)
