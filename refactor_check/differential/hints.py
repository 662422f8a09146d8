"""Type hints as inputs and as the domain: ``def f(qty: int, price: Decimal | None)``.

Annotations arrive as text (``inspect.formatannotation`` in the original's worker) and are
parsed here with ``ast``, never evaluated. Builtins, ``decimal.Decimal``, dates and times, and
``list``/``tuple``/``set``/``dict``/``Optional``/``Union``/``X | Y`` (and their ``typing``
spellings) become strategies of canonical values; anything else (the package's own classes,
type variables, ``Any``) gives no strategy. The same parse says which value types a hint
admits: a difference shown only by a type the hints admit is inside the domain.
"""

from __future__ import annotations

import ast
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from .values import Value

_SEQUENCES = {
    "list": "list",
    "List": "list",
    "Sequence": "list",
    "MutableSequence": "list",
    "Iterable": "list",
    "Collection": "list",
    "set": "set",
    "Set": "set",
    "AbstractSet": "set",
    "MutableSet": "set",
    "frozenset": "frozenset",
    "FrozenSet": "frozenset",
}
_MAPPINGS = frozenset({"dict", "Dict", "Mapping", "MutableMapping"})
_ANYTHING = frozenset({"Any", "object"})
# Numbers a caller may pass where a wider type is hinted (PEP 484's numeric tower).
_WIDER = {"float": {"float", "int"}, "complex": {"complex", "float", "int"}}


@dataclass(frozen=True)
class Hint:
    strategy: st.SearchStrategy[Value] | None  # None: no inputs can be made from it
    admits: frozenset[str] | None  # value tags the hint allows; None: anything


_NO_HINT = Hint(None, None)


def parse(annotation: str | None) -> Hint:
    if not annotation:
        return _NO_HINT
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return _NO_HINT
    return _hint(node, 0)


def _scalar(name: str) -> Hint | None:
    def one(tag: str, strategy: st.SearchStrategy[Value]) -> Hint:
        return Hint(strategy, frozenset(_WIDER.get(tag, {tag})))

    if name == "int":
        return one("int", st.integers(-1000, 1000).map(lambda n: ["int", str(n)]))
    if name == "float":
        floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
        return one("float", floats.map(lambda x: ["float", repr(x + 0.0)]))
    if name == "bool":
        return one("bool", st.booleans().map(lambda b: ["bool", b]))
    if name == "str":
        return one("str", st.text(max_size=20).map(lambda s: ["str", s]))
    if name == "bytes":
        return one("bytes", st.binary(max_size=20).map(lambda b: ["bytes", b.hex()]))
    if name == "Decimal":
        decimals = st.decimals(-(10**6), 10**6, allow_nan=False, allow_infinity=False, places=2)
        return one("Decimal", decimals.map(lambda d: ["Decimal", str(d)]))
    if name == "date":
        return one("date", st.dates().map(lambda d: ["date", d.isoformat()]))
    if name == "datetime":
        moments = st.datetimes(datetime.datetime(1970, 1, 1), datetime.datetime(2100, 1, 1))
        return one("datetime", moments.map(lambda d: ["datetime", d.isoformat()]))
    if name in ("None", "NoneType"):
        return Hint(st.just(["none"]), frozenset({"none"}))
    if name in _ANYTHING:
        return _NO_HINT
    return None


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr  # typing.List, decimal.Decimal, datetime.date
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    return None


def _hint(node: ast.expr, depth: int) -> Hint:
    if depth > 6:
        return _NO_HINT
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return parse(node.value)  # a forward reference written as a string
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union([_hint(node.left, depth + 1), _hint(node.right, depth + 1)])
    if isinstance(node, ast.Subscript):
        return _generic(node, depth)
    name = _name(node)
    if name is None:
        return _NO_HINT
    hint = _scalar(name)
    if hint is not None:
        return hint
    if name in _SEQUENCES or name in _MAPPINGS or name in ("tuple", "Tuple"):
        return _NO_HINT  # a bare ``list``: of anything
    return Hint(
        None, frozenset()
    )  # a class of the package, a TypeVar: no inputs, admits nothing new


def _generic(node: ast.Subscript, depth: int) -> Hint:
    base = _name(node.value)
    inner = node.slice
    args = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    hints = [
        _hint(a, depth + 1)
        for a in args
        if not (isinstance(a, ast.Constant) and a.value is Ellipsis)
    ]
    if base in ("Optional",):
        return _union([*hints, _scalar("None") or _NO_HINT])
    if base in ("Union",):
        return _union(hints)
    if base in _SEQUENCES and hints:
        tag = _SEQUENCES[base]
        return _container(tag, hints[0], lambda s: st.lists(s, max_size=5))
    if base in ("tuple", "Tuple") and hints:
        variadic = any(isinstance(a, ast.Constant) and a.value is Ellipsis for a in args)
        if variadic:
            return _container("tuple", hints[0], lambda s: st.lists(s, max_size=5))
        if all(h.strategy is not None for h in hints):
            strategy = st.tuples(*(h.strategy for h in hints)).map(
                lambda items: ["tuple", list(items)]
            )
        else:
            strategy = None
        return Hint(strategy, _admits(["tuple"], hints))
    if base in _MAPPINGS and len(hints) == 2:
        k, v = hints
        strategy = None
        if k.strategy is not None and v.strategy is not None:
            pairs = st.lists(
                st.tuples(k.strategy, v.strategy), max_size=4, unique_by=lambda p: str(p[0])
            )
            strategy = pairs.map(_dict_value)
        return Hint(strategy, _admits(["dict"], hints))
    return _NO_HINT


def _container(tag: str, item: Hint, lists: Callable[[Any], Any]) -> Hint:
    strategy = None
    if item.strategy is not None:
        strategy = lists(item.strategy).map(lambda items: [tag, items])
    return Hint(strategy, _admits([tag], [item]))


def _union(hints: list[Hint]) -> Hint:
    usable = [h.strategy for h in hints if h.strategy is not None]
    return Hint(st.one_of(usable) if usable else None, _admits([], hints))


def _admits(tags: list[str], inner: list[Hint]) -> frozenset[str] | None:
    if any(h.admits is None for h in inner):
        return None
    out = set(tags)
    for h in inner:
        out |= h.admits or set()
    return frozenset(out)


def _dict_value(pairs: list[tuple[Value, Value]]) -> Value:
    """A drawn dict in the wire form: ["dict", [[key, value], ...]]."""
    return ["dict", [[key, value] for key, value in pairs]]
