"""Canonical values: the data-only form in which behaviour crosses the process boundary.

A value is a JSON list whose first item is a type tag (``sandbox/diff_worker.py`` writes
them; the full list of tags and shapes is ``_SHAPES`` below)::

    ["int", "1"]   ["float", "1.0"]   ["bool", true]   ["Decimal", "1.10"]   ["none"]
    ["list", [v, ...]]   ["dict", [[k, v], ...]]   ["object", "pkg.Cls", [[attr, v], ...]]
    ["ref", 2] (the object step 3 made)   ["double", 0] (the tests' first object, ``doubles``)

Comparison is structural and by type, in this process, never by anyone's ``__eq__``: so
``1``, ``1.0`` and ``True`` differ, and ``Decimal('1.10')`` differs from ``Decimal('1.1')``
(a caller printing them sees it). Three refinements keep a clean refactor from being failed on
what no caller can rely on: an object's *public state* is compared on the attributes the
original has (a candidate may add public attributes); a plain dict whose items are equal
but in another order is reported as an order-only difference; and two floats (or complex
numbers) a rounding error apart are reported as rounding-only (``rounding_noise``). The stage
counts both kinds as warnings rather than findings.
"""

from __future__ import annotations

import datetime
import decimal
import fractions
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

Value = list[Any]

# tag -> the shape of the rest of the list: "s" a string, "i" an int, "b" a bool, "v" a value,
# "V" a list of values, "P" a list of [value, value] pairs, "F" a list of [name, value] pairs.
_SHAPES: dict[str, str] = {
    "none": "",
    "bool": "b",
    "int": "s",
    "float": "s",
    "complex": "s",
    "str": "s",
    "bytes": "s",
    "bytearray": "s",
    "Decimal": "s",
    "Fraction": "s",
    "date": "s",
    "datetime": "s",
    "time": "s",
    "timedelta": "iii",
    "list": "V",
    "tuple": "V",
    "set": "V",
    "frozenset": "V",
    "iterator": "V",
    "dict": "P",
    "mapping": "sP",
    "sequence": "sV",
    "setlike": "sV",
    "namedtuple": "sF",
    "object": "sF",
    "enum": "ss",
    "exception": "ss",
    "class": "s",
    "function": "s",
    "module": "s",
    "repr": "ss",
    "cut": "ss",
    "cycle": "",
    "ref": "i",
    # An object of the tests the package was handed (a clock, a callback): each side gets
    # its own double of it, answering as the recording says (see ``doubles``).
    "double": "i",
}
# Numbers, text and times: the values that can be recognised where they turn up again
# (``none`` and ``bool`` are too common to tell where a value came from; a ``bytearray`` is a
# buffer that changes).
SCALARS = frozenset(
    {
        "int",
        "float",
        "complex",
        "str",
        "bytes",
        "Decimal",
        "Fraction",
        "date",
        "datetime",
        "time",
        "timedelta",
    }
)
# What the workers can rebuild as an argument (see diff_worker.Decoder).
_DECODABLE = SCALARS | {
    "none",
    "bool",
    "bytearray",
    "list",
    "tuple",
    "set",
    "frozenset",
    "iterator",
    "dict",
    "mapping",
    "sequence",
    "namedtuple",
    "enum",
    "ref",
    "double",
}
_SEQUENCES = frozenset({"list", "tuple", "set", "frozenset", "iterator"})
_LABELLED_SEQUENCES = frozenset({"sequence", "setlike"})
_MAX_DEPTH = 64
_MAX_NODES = 200_000
_ORDERED_MAPPINGS = frozenset({"collections.OrderedDict"})

NONE: Value = ["none"]


def key(value: Value) -> str:
    """A string that identifies the value exactly: for caches, sets and sorting."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def size(value: Value) -> int:
    return len(key(value))


def is_valid(value: object) -> TypeGuard[Value]:
    """Whether an encoding from an untrusted process has the shape its tag promises."""
    budget = [_MAX_NODES]
    return _valid(value, 0, budget)


def _valid(value: object, depth: int, budget: list[int]) -> bool:
    budget[0] -= 1
    if budget[0] < 0 or depth > _MAX_DEPTH:
        return False
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        return False
    shape = _SHAPES.get(value[0])
    if shape is None or len(value) != len(shape) + 1:
        return False
    for code, part in zip(shape, value[1:], strict=True):
        if not _part_valid(code, part, depth, budget):
            return False
    return True


def _part_valid(code: str, part: object, depth: int, budget: list[int]) -> bool:
    if code == "s":
        return isinstance(part, str)
    if code == "i":
        return isinstance(part, int) and not isinstance(part, bool)
    if code == "b":
        return isinstance(part, bool)
    if code == "V":
        return isinstance(part, list) and all(_valid(v, depth + 1, budget) for v in part)
    if code == "P":
        return isinstance(part, list) and all(
            isinstance(p, list)
            and len(p) == 2
            and _valid(p[0], depth + 1, budget)
            and _valid(p[1], depth + 1, budget)
            for p in part
        )
    if code == "F":
        return isinstance(part, list) and all(
            isinstance(p, list)
            and len(p) == 2
            and isinstance(p[0], str)
            and _valid(p[1], depth + 1, budget)
            for p in part
        )
    return False


def children(value: Value) -> list[Value]:
    """The values directly inside ``value`` (items, keys and values, attributes)."""
    tag = value[0]
    shape = _SHAPES.get(tag, "")
    out: list[Value] = []
    for code, part in zip(shape, value[1:], strict=True):
        if code == "V":
            out.extend(part)
        elif code == "P":
            for k, v in part:
                out += [k, v]
        elif code == "F":
            out.extend(v for _, v in part)
    return out


def decodable(value: Value) -> bool:
    """Whether a worker can rebuild the value as an argument (no objects, reprs, cuts)."""
    if value[0] not in _DECODABLE:
        return False
    return all(decodable(child) for child in children(value))


def refs(value: Value) -> set[int]:
    """The steps' results (``["ref", i]``) the value points at."""
    return _numbered("ref", value)


def doubles(value: Value) -> set[int]:
    """The test doubles (``["double", i]``) inside the value."""
    return _numbered("double", value)


def _numbered(tag: str, value: Value) -> set[int]:
    if value[0] == tag:
        return {value[1]}
    found: set[int] = set()
    for child in children(value):
        found |= _numbered(tag, child)
    return found


def map_refs(value: Value, renumber: Mapping[int, int]) -> Value:
    """The value with every ``["ref", i]`` pointing at ``renumber[i]``."""
    if value[0] == "ref":
        return ["ref", renumber[value[1]]]
    tag = value[0]
    shape = _SHAPES.get(tag, "")
    out: Value = [tag]
    for code, part in zip(shape, value[1:], strict=True):
        if code == "V":
            out.append([map_refs(v, renumber) for v in part])
        elif code == "P":
            out.append([[map_refs(k, renumber), map_refs(v, renumber)] for k, v in part])
        elif code == "F":
            out.append([[name, map_refs(v, renumber)] for name, v in part])
        else:
            out.append(part)
    return out


# --------------------------------------------------------------------------------------------
# Structural comparison


@dataclass(frozen=True)
class Difference:
    """One place where two observations differ. ``None`` on a side: absent there."""

    path: tuple[str, ...]  # display tokens: ("return value", "['lines']", "[0]")
    original: Value | None
    candidate: Value | None
    order_only: bool = False  # a plain dict with the same items in another order
    rounding_only: bool = False  # two floats (or complex numbers) a rounding error apart

    @property
    def where(self) -> str:
        return "".join(self.path)


def diff(a: Value, b: Value, path: tuple[str, ...] = ()) -> list[Difference]:
    """Every place where ``b`` differs from ``a``; empty when they are the same behaviour."""
    if a == b:
        return []
    tag = a[0]
    if tag != b[0]:
        return [Difference(path, a, b)]
    if tag in _INEXACT:
        return [Difference(path, a, b, rounding_only=rounding_noise(tag, a[1], b[1]))]
    if tag in _SEQUENCES:
        return _diff_items(a, b, a[1], b[1], path)
    if tag in _LABELLED_SEQUENCES:
        if a[1] != b[1]:
            return [Difference(path, a, b)]
        return _diff_items(a, b, a[2], b[2], path)
    if tag == "dict":
        return _diff_pairs(a, b, a[1], b[1], path, ordered=False)
    if tag == "mapping":
        if a[1] != b[1]:
            return [Difference(path, a, b)]
        return _diff_pairs(a, b, a[2], b[2], path, ordered=a[1] in _ORDERED_MAPPINGS)
    if tag == "object":
        if a[1] != b[1]:
            return [Difference(path, a, b)]
        return _diff_fields(a[2], b[2], path, extra_allowed=True)
    if tag == "namedtuple":
        if a[1] != b[1] or [n for n, _ in a[2]] != [n for n, _ in b[2]]:
            return [Difference(path, a, b)]
        return _diff_fields(a[2], b[2], path, extra_allowed=False)
    return [Difference(path, a, b)]


# Floating point: a refactor that adds the same numbers in another order (``a + b + c`` for
# ``a + (b + c)``) changes the last bits of the sum, which no caller can rely on. Two floats
# within a few units in the last place, or a relative 1e-9 of each other, differ only by that
# (counted as a warning); a changed rounding of money (0.01 apart) is far outside it. Near
# zero, where relative nearness means nothing (0.1 + 0.2 - 0.3 is 5.6e-17, not 0.0), an
# absolute 1e-12 stands in. The type still counts: an int and a float never compare close.
_INEXACT = frozenset({"float", "complex"})
_ULPS = 4
_REL_TOLERANCE = 1e-9
_ABS_TOLERANCE = 1e-12


def rounding_noise(tag: str, text_a: str, text_b: str) -> bool:
    """Whether two floats' (or complex numbers') texts differ only by rounding noise."""
    try:
        if tag == "complex":
            x, y = complex(text_a), complex(text_b)
            return _close(x.real, y.real) and _close(x.imag, y.imag)
        return _close(float(text_a), float(text_b))
    except (ValueError, OverflowError):
        return False


def _close(x: float, y: float) -> bool:
    if x == y:
        return True
    if not (math.isfinite(x) and math.isfinite(y)):
        return False  # inf against a number, nan against anything: a real difference
    if abs(x - y) <= _ULPS * math.ulp(max(abs(x), abs(y))):
        return True
    return math.isclose(x, y, rel_tol=_REL_TOLERANCE, abs_tol=_ABS_TOLERANCE)


def _diff_items(
    a: Value, b: Value, items_a: list[Value], items_b: list[Value], path: tuple[str, ...]
) -> list[Difference]:
    if len(items_a) != len(items_b):
        return [Difference(path, a, b)]
    out: list[Difference] = []
    for index, (x, y) in enumerate(zip(items_a, items_b, strict=True)):
        out += diff(x, y, (*path, f"[{index}]"))
    return out


def _diff_pairs(
    a: Value,
    b: Value,
    pairs_a: list[list[Value]],
    pairs_b: list[list[Value]],
    path: tuple[str, ...],
    ordered: bool,
) -> list[Difference]:
    map_a = {key(k): (k, v) for k, v in pairs_a}
    map_b = {key(k): (k, v) for k, v in pairs_b}
    out: list[Difference] = []
    for k, (raw, v) in map_a.items():
        where = (*path, f"[{render(raw, limit=60)}]")
        if k in map_b:
            out += diff(v, map_b[k][1], where)
        else:
            out.append(Difference(where, v, None))
    for k, (raw, v) in map_b.items():
        if k not in map_a:
            out.append(Difference((*path, f"[{render(raw, limit=60)}]"), None, v))
    if not out and list(map_a) != list(map_b):
        out.append(Difference(path, a, b, order_only=not ordered))
    return out


def _diff_fields(
    fields_a: list[list[Any]], fields_b: list[list[Any]], path: tuple[str, ...], extra_allowed: bool
) -> list[Difference]:
    map_b = {name: v for name, v in fields_b}
    out: list[Difference] = []
    for name, v in fields_a:
        where = (*path, f".{name}")
        if name in map_b:
            out += diff(v, map_b[name], where)
        else:
            out.append(Difference(where, v, None))
    if not extra_allowed:
        names_a = {name for name, _ in fields_a}
        out += [Difference((*path, f".{n}"), None, v) for n, v in fields_b if n not in names_a]
    return out


def masked(path: tuple[str, ...], mask: set[tuple[str, ...]]) -> bool:
    """Whether ``path`` lies at or under a place the mask excludes."""
    return any(path[: len(m)] == m for m in mask)


# --------------------------------------------------------------------------------------------
# Types seen, for the input domain


def leaves(value: Value, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, type tag) for the value and everything inside it; list positions collapse to
    ``[]`` and dict keys that are strings stay named, so shapes compare across calls."""
    tag = value[0]
    yield path, tag
    if tag in _SEQUENCES:
        for item in value[1]:
            yield from leaves(item, path + "[]")
    elif tag in _LABELLED_SEQUENCES:
        for item in value[2]:
            yield from leaves(item, path + "[]")
    elif tag in ("dict", "mapping"):
        for k, v in value[1] if tag == "dict" else value[2]:
            yield from leaves(k, path + "{}")
            name = repr(k[1]) if k[0] == "str" else "*"
            yield from leaves(v, f"{path}[{name}]")
    elif tag in ("namedtuple", "object"):
        for name, v in value[2]:
            yield from leaves(v, f"{path}.{name}")


def sizes(value: Value, path: str = "") -> Iterator[tuple[str, int]]:
    """(where, number of items) for every collection in the value, placed as ``leaves`` does."""
    tag = value[0]
    if tag in _SEQUENCES or tag in _LABELLED_SEQUENCES:
        items = value[1] if tag in _SEQUENCES else value[2]
        yield path, len(items)
        for item in items:
            yield from sizes(item, path + "[]")
    elif tag in ("dict", "mapping"):
        pairs = value[1] if tag == "dict" else value[2]
        yield path, len(pairs)
        for k, v in pairs:
            yield from sizes(v, f"{path}[{repr(k[1]) if k[0] == 'str' else '*'}]")


# --------------------------------------------------------------------------------------------
# Rendering as Python source


def render(value: Value, names: Mapping[int, str] | None = None, limit: int | None = None) -> str:
    """The value as a Python expression (runnable for everything a worker can rebuild)."""
    text = _render(value, names or {})
    if limit is not None and len(text) > limit:
        return text[: max(0, limit - 3)] + "..."
    return text


def _render(value: Value, names: Mapping[int, str]) -> str:
    tag = value[0]
    r = _RENDERERS.get(tag)
    if r is not None:
        return str(r(value, names))
    return f"<{tag}>"


def _seq(items: list[Value], names: Mapping[int, str]) -> list[str]:
    return [_render(v, names) for v in items]


def _render_tuple(value: Value, names: Mapping[int, str]) -> str:
    items = _seq(value[1], names)
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _render_set(value: Value, names: Mapping[int, str]) -> str:
    items = _seq(value[1], names)
    inner = "{" + ", ".join(items) + "}"
    if value[0] == "frozenset":
        return f"frozenset({inner})" if items else "frozenset()"
    return inner if items else "set()"


def _render_pairs(pairs: list[list[Value]], names: Mapping[int, str]) -> str:
    return "{" + ", ".join(f"{_render(k, names)}: {_render(v, names)}" for k, v in pairs) + "}"


def _render_fields(fields: list[list[Any]], names: Mapping[int, str], sep: str) -> str:
    return sep.join(f"{n}={_render(v, names)}" for n, v in fields)


def _render_temporal(value: Value, _: Mapping[int, str]) -> str:
    kind: dict[str, Any] = {
        "date": datetime.date,
        "datetime": datetime.datetime,
        "time": datetime.time,
    }
    try:
        return repr(kind[value[0]].fromisoformat(value[1]))
    except ValueError:
        return f"<{value[0]} {value[1]}>"


def _render_float(value: Value, _: Mapping[int, str]) -> str:
    text = value[1]
    return f"float({text!r})" if text in ("nan", "inf", "-inf") else text


_RENDERERS: dict[str, Any] = {
    "none": lambda v, n: "None",
    "bool": lambda v, n: "True" if v[1] else "False",
    "int": lambda v, n: v[1],
    "float": _render_float,
    "complex": lambda v, n: f"complex({v[1]!r})",
    "str": lambda v, n: repr(v[1]),
    "bytes": lambda v, n: repr(bytes.fromhex(v[1])),
    "bytearray": lambda v, n: f"bytearray({bytes.fromhex(v[1])!r})",
    "Decimal": lambda v, n: f"Decimal({v[1]!r})",
    "Fraction": lambda v, n: f"Fraction({v[1]!r})",
    "date": _render_temporal,
    "datetime": _render_temporal,
    "time": _render_temporal,
    "timedelta": lambda v, n: repr(datetime.timedelta(days=v[1], seconds=v[2], microseconds=v[3])),
    "list": lambda v, n: "[" + ", ".join(_seq(v[1], n)) + "]",
    "tuple": _render_tuple,
    "set": _render_set,
    "frozenset": _render_set,
    "iterator": lambda v, n: "iter([" + ", ".join(_seq(v[1], n)) + "])",
    "dict": lambda v, n: _render_pairs(v[1], n),
    "mapping": lambda v, n: f"{v[1]}({_render_pairs(v[2], n)})",
    "sequence": lambda v, n: f"{v[1]}([{', '.join(_seq(v[2], n))}])",
    "setlike": lambda v, n: f"{v[1]}({{{', '.join(_seq(v[2], n))}}})",
    "namedtuple": lambda v, n: f"{v[1]}({_render_fields(v[2], n, ', ')})",
    "object": lambda v, n: f"<{v[1]} {_render_fields(v[2], n, ' ')}>".replace(" >", ">"),
    "enum": lambda v, n: f"{v[1]}.{v[2]}",
    "exception": lambda v, n: f"{v[1]}({v[2]!r})",
    "class": lambda v, n: v[1],
    "function": lambda v, n: v[1],
    "module": lambda v, n: v[1],
    "repr": lambda v, n: v[2],
    # A variable in a rendered program (``Program.render(show=...)``) is a "cut" of its own.
    "cut": lambda v, n: v[2] if v[1] == "variable" else f"<{v[1]}: {v[2]}>",
    "cycle": lambda v, n: "<cycle>",
    "ref": lambda v, n: n.get(v[1], f"<result of step {v[1] + 1}>"),
    "double": lambda v, n: f"<test double {v[1]}>",
}


# --------------------------------------------------------------------------------------------
# Encoding trusted plain data (an exercise's strategies file) the way the workers do


def encode_plain(obj: object) -> Value:
    """The canonical form of plain data built in this process; anything else is refused."""
    kind = type(obj)
    if obj is None:
        return ["none"]
    scalar = _PLAIN_SCALARS.get(kind)
    if scalar is not None:
        encoded: list[Any] = scalar(obj)
        return encoded
    if kind in (list, tuple):
        return [kind.__name__, [encode_plain(v) for v in obj]]  # type: ignore[attr-defined]
    if kind in (set, frozenset):
        items = sorted((encode_plain(v) for v in obj), key=key)  # type: ignore[attr-defined]
        return [kind.__name__, items]
    if kind is dict:
        return ["dict", [[encode_plain(k), encode_plain(v)] for k, v in obj.items()]]  # type: ignore[attr-defined]
    raise TypeError(
        f"a {kind.__name__} is not plain data (use None, numbers, str, bytes, "
        "Decimal, Fraction, dates and times, lists, tuples, sets and dicts)"
    )


_PLAIN_SCALARS: dict[type, Any] = {
    bool: lambda v: ["bool", v],
    int: lambda v: ["int", str(v)],
    float: lambda v: ["float", repr(v)],
    complex: lambda v: ["complex", repr(v)],
    str: lambda v: ["str", v],
    bytes: lambda v: ["bytes", v.hex()],
    bytearray: lambda v: ["bytearray", bytes(v).hex()],
    decimal.Decimal: lambda v: ["Decimal", str(v)],
    fractions.Fraction: lambda v: ["Fraction", f"{v.numerator}/{v.denominator}"],
    datetime.date: lambda v: ["date", v.isoformat()],
    datetime.datetime: lambda v: ["datetime", v.isoformat()],
    datetime.time: lambda v: ["time", v.isoformat()],
    datetime.timedelta: lambda v: ["timedelta", v.days, v.seconds, v.microseconds],
}
