"""Constants mined from the source: where boundaries and special cases are.

``if qty >= 50``, ``Decimal("0.01")``, ``"SAVE10"``, ``"2025-12-31"``: a refactor that moves a
boundary by one or mishandles a special value shows on or right next to these, and golden
tests often test only around them. They are read statically with ``ast`` (nothing is
imported); docstrings are prose and left out.

The original's constants steer the whole search (``mutations``). ``for_constants_sweep``
adds what only the candidate's code suggests: a value it newly handles lives in its code
(``if code == "VIP"``, ``if qty == 49``), and no input drawn from the original's constants or
the recording holds it; and each code string of either version with its case or spacing
changed (a comparison that newly ignores case or strips). The candidate's source is hostile,
so it gets a capped share of a sweep of its own: it never displaces the original's values.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..sources import PackageSource

_MAX_EACH = 48  # per kind, the most frequent first
_MAX_ADDED = 8  # the candidate's own constants per kind, the most frequent first
# Code strings, not messages: identifiers, codes, keywords (offered as inputs, re-cased).
CODE = re.compile(r"^[\w.\-]{1,24}$")
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


def for_constants_sweep(ours: Literals, candidate: PackageSource) -> Literals:
    """The values of the constants sweep, from the original's constants (``mine``) and the
    candidate's code: the candidate's constants that the original lacks (at most
    ``_MAX_ADDED`` per kind), then case and spacing variants of both versions' code strings,
    the candidate's and the original's taken in turn. Empty when there are none."""
    theirs = mine(candidate)

    def added(kind: str) -> tuple[Any, ...]:
        known = set(getattr(ours, kind))
        return tuple(v for v in getattr(theirs, kind) if v not in known)[:_MAX_ADDED]

    new_strings = added("strings")
    variants = _interleave_unique(
        [_string_variants(s) for s in new_strings if CODE.match(s)],
        [_string_variants(s) for s in ours.strings if CODE.match(s)],
    )
    known = set(ours.strings)
    strings = tuple(dict.fromkeys(v for v in (*new_strings, *variants) if v not in known))
    return Literals(
        ints=added("ints"),
        floats=added("floats"),
        decimals=added("decimals"),
        strings=strings,
        dates=added("dates"),
    )


def _string_variants(text: str) -> list[str]:
    """What a comparison that changed its case or whitespace handling tells apart."""
    found = [text.upper(), text.lower(), text.capitalize(), f" {text}", f"{text} ", ""]
    return [v for v in dict.fromkeys(found) if v != text]


def _interleave_unique(*groups: list[list[str]]) -> list[str]:
    """Each group's lists taken in turn, then the groups taken in turn; each value once."""
    return list(dict.fromkeys(_round_robin([_round_robin(group) for group in groups])))


def _round_robin(lists: list[list[str]]) -> list[str]:
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out += [x[i] for x in lists if i < len(x)]
    return out


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


def _top(counter: Counter[Any]) -> tuple[Any, ...]:
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
