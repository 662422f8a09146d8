"""Which code mutmut 3 never mutates, so nobody reads a score as covering it.

mutmut mutates only the bodies of top-level functions and of methods defined directly in
top-level classes, and skips any function with a decorator other than a lone @staticmethod or
@classmethod. Everything else (module-level constants and tables, class attributes, methods
of nested classes, decorated functions such as properties) is listed here, per file, as line
ranges. The source is parsed, never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from ..sources import PackageSource

_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})


@dataclass(frozen=True)
class Unmutated:
    file: str
    line: int
    end_line: int
    what: str


def scan(package: PackageSource) -> tuple[Unmutated, ...]:
    found: list[Unmutated] = []
    for source in package.files:
        if source.problem is not None:
            continue
        try:
            tree = ast.parse(source.text)
        except (SyntaxError, ValueError, RecursionError):
            continue
        found.extend(_scan_module(source.path, tree))
    return tuple(found)


def _scan_module(path: str, tree: ast.Module) -> Iterator[Unmutated]:
    pending: list[ast.stmt] = []  # consecutive module-level statements, reported as a range
    for index, node in enumerate(tree.body):
        if _is_ignorable(node, index):
            yield from _flush(path, pending)
            pending = []
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _flush(path, pending)
            pending = []
            if not _mutmut_mutates(node):
                yield _entry(path, node, f"decorated function {node.name}()")
        elif isinstance(node, ast.ClassDef):
            yield from _flush(path, pending)
            pending = []
            yield from _scan_class(path, node)
        else:
            pending.append(node)
    yield from _flush(path, pending)


def _scan_class(path: str, cls: ast.ClassDef) -> Iterator[Unmutated]:
    attributes: list[ast.stmt] = []
    for index, node in enumerate(cls.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not _mutmut_mutates(node):
                yield _entry(path, node, f"decorated method {cls.name}.{node.name}()")
        elif isinstance(node, ast.ClassDef):
            yield _entry(path, node, f"nested class {cls.name}.{node.name} (its methods)")
        elif not _is_ignorable(node, index):
            attributes.append(node)
    if attributes:
        first, last = attributes[0], attributes[-1]
        yield Unmutated(
            path, first.lineno, last.end_lineno or first.lineno, f"class attributes of {cls.name}"
        )


def _flush(path: str, pending: list[ast.stmt]) -> Iterator[Unmutated]:
    if not pending:
        return
    names = [n for node in pending for n in _assigned_names(node)]
    label = f"module-level code ({', '.join(names[:6])}{', ...' if len(names) > 6 else ''})"
    if not names:
        label = "module-level code"
    yield Unmutated(path, pending[0].lineno, pending[-1].end_lineno or pending[-1].lineno, label)


def _assigned_names(node: ast.stmt) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    return [t.id for t in targets if isinstance(t, ast.Name)]


def _is_ignorable(node: ast.stmt, index: int) -> bool:
    """Imports, docstrings and `pass` hold no behaviour a mutant could change."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.Pass)):
        return True
    return (
        index == 0
        and isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _mutmut_mutates(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if not node.decorator_list:
        return True
    if len(node.decorator_list) > 1:
        return False
    decorator = node.decorator_list[0]
    return isinstance(decorator, ast.Name) and decorator.id in _PLAIN_DECORATORS


def _entry(path: str, node: ast.stmt, what: str) -> Unmutated:
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)])
    return Unmutated(path, first, node.end_lineno or node.lineno, what)
