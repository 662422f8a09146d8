"""Constants mined from the original's source: where its boundaries and special cases are.

``if qty >= 50``, ``Decimal("0.01")``, ``"SAVE10"``, ``"2025-12-31"``: a refactor that moves a
boundary by one or mishandles a special value shows on or right next to these, and golden
tests often test only around them. They are read statically with ``ast`` from the trusted
original (nothing is imported); docstrings are prose and left out.
"""

from __future__ import annotations

import ast
import datetime
import decimal
from collections import Counter
from dataclasses import dataclass

from ..sources import PackageSource

_MAX_EACH = 48  # per kind, the most frequent first
_MAX_STRING = 40
_MAX_INT = 10**9


@dataclass(frozen=True)
class Literals:
    ints: tuple[int, ...] = ()
    floats: tuple[float, ...] = ()
    decimals: tuple[str, ...] = ()  # texts of Decimal constants, as written
    strings: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # ISO dates written as strings


def mine(package: PackageSource) -> Literals:
    counts: dict[str, Counter[object]] = {
        k: Counter() for k in ("int", "float", "dec", "str", "date")
    }
    for source in package.files:
        try:
            tree = ast.parse(source.text)
        except (SyntaxError, ValueError):
            continue
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                _count(node.value, counts)
    return Literals(
        ints=_top(counts["int"]),
        floats=_top(counts["float"]),
        decimals=_top(counts["dec"]),
        strings=_top(counts["str"]),
        dates=_top(counts["date"]),
    )


def _count(value: object, counts: dict[str, Counter[object]]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int) and abs(value) <= _MAX_INT:
        counts["int"][value] += 1
    elif isinstance(value, float) and value == value and abs(value) < 1e12:
        counts["float"][value] += 1
    elif isinstance(value, str) and 0 < len(value) <= _MAX_STRING and value.isprintable():
        counts["str"][value] += 1
        if _is_decimal(value):
            counts["dec"][value] += 1
        if _is_date(value):
            counts["date"][value] += 1


def _top(counter: Counter[object]) -> tuple:  # type: ignore[type-arg]
    """The most frequent values, in their natural order (numbers by size)."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], repr(item[0])))
    kept = [v for v, _ in ranked[:_MAX_EACH]]
    numeric = all(isinstance(v, (int, float)) for v in kept)
    return tuple(sorted(kept, key=lambda v: (v, "") if numeric else (0, repr(v))))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _is_decimal(text: str) -> bool:
    try:
        number = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        return False
    return number.is_finite() and any(c.isdigit() for c in text)


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
