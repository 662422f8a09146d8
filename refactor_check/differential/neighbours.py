"""Inputs around the recorded ones: small, plausible changes to a value a caller passed.

A *neighbour* of a value differs from it in exactly one place. At each place:

- numbers move by one unit of their last digit and land on the original's own constants and
  their neighbours (a boundary moved from ``<`` to ``<=`` shows there); Decimals also get the
  half-way value one digit further (a rounding mode shows there) and other scales of the same
  amount (``1.1`` and ``1.10``);
- strings get emptied, padded, re-cased, lengthened, made non-ASCII and, when they hold a
  number or an ISO date, the number's and the date's neighbours;
- collections get emptied, cut to one item, lose an item, repeat one or reverse; dicts lose
  a key, gain one seen elsewhere, or have a value set to None;
- any place may take a value recorded at the same place in another call, or in a sibling
  item of the same list (two items with the same sort key: a tie);
- None is always a candidate: it is inside the domain.

A few neighbours cross types on purpose (a str as bytes, a Decimal or an int as a float): a
difference only they show is outside the domain and only ever a warning.

Neighbours are listed deterministically, one place at a time in turn, so a budget that cuts
the list still covers every place; they are memoised per value.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from hypothesis import strategies as st

from . import values
from .literals import CODE, Literals
from .values import Value

_MAX_VARIANTS = 48  # at one place
_MAX_CONSTANT_VARIANTS = 64  # at one place, in the constants sweep
# Items of a list walked into: they are one place in the list's shape; order, ties and
# dropped items cover the list as a whole.
_ITEMS_WALKED = 3
_MAX_NEIGHBOURS = 3000  # of one value
_MAX_SEEN = 16  # values recorded at one place, offered as alternatives
_MAX_ABS = 10**12
_LONG = "x" * 300
_CONTEXT = decimal.Context(prec=40, Emax=10**6, Emin=-(10**6))
T = TypeVar("T")


class Neighbours:
    """Neighbours of the values of one parameter; knows the original's constants and every
    value recorded anywhere inside that parameter's values, by place."""

    def __init__(self, literals: Literals, pool: Sequence[Value] = ()) -> None:
        self.literals = literals
        self.strings = [s for s in literals.strings if CODE.match(s)]
        self.seen: dict[str, dict[str, Value]] = {}
        self.keys: dict[str, dict[str, tuple[Value, Value]]] = {}  # dict place -> keys seen
        for value in pool:
            self._collect(value, "")
        self._neighbours: dict[str, list[Value]] = {}
        self._around: dict[str, st.SearchStrategy[Value]] = {}

    # -- what generation asks for --------------------------------------------------------

    def around(self, value: Value) -> st.SearchStrategy[Value]:
        """The value, or one of its neighbours (hypothesis shrinks to the value itself)."""
        k = values.key(value)
        cached = self._around.get(k)
        if cached is None:
            near = self.neighbours(value)
            cached = st.one_of(st.just(value), st.sampled_from(near)) if near else st.just(value)
            self._around[k] = cached
        return cached

    def neighbours(self, value: Value) -> list[Value]:
        """Every value one change away, the places taken in turn, without duplicates."""
        k = values.key(value)
        cached = self._neighbours.get(k)
        if cached is None:
            cached = _dedupe(interleave(self.places(value, "")), value)[:_MAX_NEIGHBOURS]
            self._neighbours[k] = cached
        return cached

    def variants(self, value: Value, place: str = "") -> list[Value]:
        """Replacements for the value at one place."""
        maker = _VARIANTS.get(value[0])
        found = maker(self, value, place) if maker is not None else []
        found += list(self.seen.get(place, {}).values())[:_MAX_SEEN]
        if value[0] != "none":
            found.insert(min(len(found), 3), values.NONE)
        return _dedupe(found, value)[:_MAX_VARIANTS]

    # -- places --------------------------------------------------------------------------

    def places(self, value: Value, place: str = "") -> list[list[Value]]:
        """Neighbour lists, one per place inside ``value``: breadth first, so every
        collection's own changes (an item dropped, a tie, another order) come before changes
        nested deeper inside it, and a budget that cuts the list keeps the shallow places."""
        by_depth = self._places(value, place, 0)
        return [found for _, found in sorted(by_depth, key=lambda entry: entry[0]) if found]

    def _places(self, value: Value, place: str, depth: int) -> list[tuple[int, list[Value]]]:
        lists = [(depth, self.variants(value, place))]
        tag = value[0]
        if tag in ("list", "tuple", "set", "frozenset"):
            items = value[1]
            rebuild = _rebuilder(tag)
            for i, item in enumerate(items[:_ITEMS_WALKED]):
                lists.append((depth, self._ties(items, i, rebuild)))
                for inner_depth, inner in self._places(item, place + "[]", depth + 1):
                    changed = [rebuild([*items[:i], n, *items[i + 1 :]]) for n in inner]
                    lists.append((inner_depth, changed))
        elif tag == "dict":
            pairs = value[1]
            for i, (k, v) in enumerate(pairs[:12]):
                lists.append((depth, self._dict_ties(pairs, i)))
                where = f"{place}[{key_text(k)}]"
                for inner_depth, inner in self._places(v, where, depth + 1):
                    changed = [["dict", [*pairs[:i], [k, n], *pairs[i + 1 :]]] for n in inner]
                    lists.append((inner_depth, changed))
        return lists

    def _ties(
        self,
        items: list[Value],
        i: int,
        rebuild: Callable[[list[Value]], Value],
    ) -> list[Value]:
        """Item ``i`` with one field copied from another item (a dict's key, a tuple's
        position): two items with an equal sort key, a tie; offered in both orders, since a
        tie broken differently shows only when the items do not already stand in that order."""
        out = []
        for j, other in enumerate(items[:8]):
            if j == i:
                continue
            for changed in _copied_fields(items[i], other):
                tied = [*items[:i], changed, *items[i + 1 :]]
                swapped = list(tied)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                out += [rebuild(tied), rebuild(swapped)]
        return out

    def _dict_ties(self, pairs: list[list[Value]], i: int) -> list[Value]:
        return _dict_ties(pairs, i)

    def _collect(self, value: Value, place: str) -> None:
        self.seen.setdefault(place, {}).setdefault(values.key(value), value)
        tag = value[0]
        if tag in ("list", "tuple", "set", "frozenset"):
            for item in value[1]:
                self._collect(item, place + "[]")
        elif tag == "dict":
            for k, v in value[1]:
                self.keys.setdefault(place, {}).setdefault(values.key(k), (k, v))
                self._collect(v, f"{place}[{key_text(k)}]")

    # -- variants by type ----------------------------------------------------------------

    def _int(self, value: Value, place: str) -> list[Value]:
        n = int(value[1])
        numbers = []
        for c in self.literals.ints:  # the original's boundaries first: where a refactor slips
            numbers += [c, c - 1, c + 1]
        numbers += [n - 1, n + 1, 0, -1, 1, -n, n // 2, 2 * n, 10 * n]
        out: list[Value] = [["int", str(x)] for x in dict.fromkeys(numbers) if abs(x) <= _MAX_ABS]
        return [*out, ["float", repr(float(n))]]  # out of the domain unless floats were seen

    def _float(self, value: Value, place: str) -> list[Value]:
        x = float(value[1])
        if not math.isfinite(x):
            return []
        numbers = [x - 1, x + 1, 0.0, -x, x / 2, 2 * x, x + 0.005, x - 0.005, math.floor(x) + 0.5]
        for c in (*self.literals.floats, *self.literals.ints):
            numbers += [float(c), float(c) - 0.01, float(c) + 0.01]
        clean = (0.0 if y == 0 else y for y in numbers if math.isfinite(y) and abs(y) <= _MAX_ABS)
        return [["float", repr(y)] for y in dict.fromkeys(clean)]

    def _decimal(self, value: Value, place: str) -> list[Value]:
        out: list[Value] = [
            ["Decimal", t] for t in decimal_neighbours(value[1], self.literals.decimals)
        ]
        number = decimal_or_none(value[1])
        if number is not None and abs(number) <= _MAX_ABS:
            out.append(["float", repr(float(number))])  # out of the domain: a float price
        return out

    def _str(self, value: Value, place: str) -> list[Value]:
        s: str = value[1]
        texts: list[str] = []
        if decimal_or_none(s) is not None:
            texts += decimal_neighbours(s.strip(), self.literals.decimals)
            texts += ["abc", f"{s}0"]
        if _date_or_none(s) is not None:
            texts += _date_neighbours(s, self.literals.dates)
        texts += ["", " ", s.strip(), f" {s} ", s.upper(), s.lower(), s[:1], s[:-1], s + s]
        texts += [s + "\u00e9", "\u00df\u2603", _LONG, *self.strings]
        out: list[Value] = [["str", t] for t in texts]
        if s.isascii():
            out.append(["bytes", s.encode().hex()])  # out of the domain: bytes for text
        return out

    def _date(self, value: Value, place: str) -> list[Value]:
        return [["date", t] for t in _date_neighbours(value[1], self.literals.dates)]

    def _datetime(self, value: Value, place: str) -> list[Value]:
        try:
            moment = datetime.datetime.fromisoformat(value[1])
        except ValueError:
            return []
        steps = (datetime.timedelta(seconds=1), datetime.timedelta(days=1))
        return [
            ["datetime", m.isoformat()] for m in _shifted(moment, [*steps, *(-d for d in steps)])
        ]

    def _items(self, value: Value, place: str) -> list[Value]:
        tag, items = value[0], value[1]
        rebuild = _rebuilder(tag)
        out = [rebuild([])]
        if len(items) > 1:
            out.append(rebuild(items[:1]))
        out += [rebuild(items[:i] + items[i + 1 :]) for i in range(min(len(items), 4))]
        if tag not in ("set", "frozenset") and items:
            out += [rebuild([*items, items[0]]), rebuild([*items, items[-1]])]
            if len(items) > 1:
                out.append(rebuild(list(reversed(items))))
        return out

    def _dict(self, value: Value, place: str) -> list[Value]:
        pairs = value[1]
        out: list[Value] = [["dict", []]]
        out += [["dict", pairs[:i] + pairs[i + 1 :]] for i in range(min(len(pairs), 8))]
        present = {values.key(k) for k, _ in pairs}
        missing = [kv for k, kv in sorted(self.keys.get(place, {}).items()) if k not in present]
        out += [["dict", [*pairs, [k, v]]] for k, v in missing[:6]]
        return out


class ConstantNeighbours(Neighbours):
    """The constants sweep's neighbours: at each place only the values of its ``literals``
    (``literals.for_constants_sweep``) that fit the place's type, and nothing else. The main
    sweep has already tried the neighbours, ties and recorded values; this one adds what only
    the candidate's code, or a re-cased or re-spaced code string, suggests."""

    def variants(self, value: Value, place: str = "") -> list[Value]:
        c = self.literals
        tag = value[0]
        found: list[Value] = []
        if tag == "int":
            numbers = (x for n in c.ints for x in (n, n - 1, n + 1))
            found = [["int", str(x)] for x in numbers if abs(x) <= _MAX_ABS]
        elif tag == "float":
            near = (y for n in (*c.floats, *c.ints) for y in (n, n - 0.01, n + 0.01))
            found = [["float", repr(float(y))] for y in near if abs(y) <= _MAX_ABS]
        elif tag == "Decimal":
            found = [["Decimal", t] for t in c.decimals]
        elif tag == "str":
            # Numbers arrive as text too (a parser's input): the candidate's as written.
            texts = (*c.strings, *(str(n) for n in c.ints), *c.decimals, *c.dates)
            found = [["str", t] for t in texts]
        elif tag == "date":
            found = [["date", t] for t in c.dates]
        return _dedupe(found, value)[:_MAX_CONSTANT_VARIANTS]

    def _ties(
        self, items: list[Value], i: int, rebuild: Callable[[list[Value]], Value]
    ) -> list[Value]:
        return []

    def _dict_ties(self, pairs: list[list[Value]], i: int) -> list[Value]:
        return []


_VARIANTS: dict[str, Callable[[Neighbours, Value, str], list[Value]]] = {
    "int": Neighbours._int,
    "float": Neighbours._float,
    "Decimal": Neighbours._decimal,
    "str": Neighbours._str,
    "bool": lambda self, v, place: [["bool", not v[1]]],
    "date": Neighbours._date,
    "datetime": Neighbours._datetime,
    "bytes": lambda self, v, place: [["bytes", ""], ["bytes", v[1][:2]]],
    "list": Neighbours._items,
    "tuple": Neighbours._items,
    "set": Neighbours._items,
    "frozenset": Neighbours._items,
    "dict": Neighbours._dict,
}


def _dict_ties(pairs: list[list[Value]], i: int) -> list[Value]:
    """The dict with key ``i``'s value copied to another key (a tie when values are ranked),
    in both orders of the two keys."""
    out: list[Value] = []
    for j in range(min(len(pairs), 8)):
        if j == i or pairs[j][1] == pairs[i][1]:
            continue
        tied = [list(p) for p in pairs]
        tied[j] = [pairs[j][0], pairs[i][1]]
        swapped = list(tied)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        out += [["dict", tied], ["dict", swapped]]
    return out


def _copied_fields(item: Value, other: Value) -> list[Value]:
    """``item`` with one of its fields replaced by ``other``'s, for each field they differ in."""
    if item[0] == "dict" and other[0] == "dict":
        theirs = {values.key(k): v for k, v in other[1]}
        out = []
        for j, (k, v) in enumerate(item[1]):
            copied = theirs.get(values.key(k))
            if copied is not None and copied != v:
                out.append(["dict", [*item[1][:j], [k, copied], *item[1][j + 1 :]]])
        return out
    if item[0] in ("tuple", "list") and other[0] == item[0] and len(item[1]) == len(other[1]):
        mine, theirs_ = item[1], other[1]
        return [
            [item[0], [*mine[:j], theirs_[j], *mine[j + 1 :]]]
            for j in range(len(mine))
            if mine[j] != theirs_[j]
        ]
    return []


def key_text(k: Value) -> str:
    return repr(k[1]) if k[0] == "str" else "*"


def _rebuilder(tag: str) -> Callable[[list[Value]], Value]:
    if tag in ("set", "frozenset"):
        return lambda items: [
            tag,
            sorted({values.key(i): i for i in items}.values(), key=values.key),
        ]
    return lambda items: [tag, items]


def interleave(lists: Sequence[Sequence[T]]) -> list[T]:
    """The first of every list, then the second of every list, and so on."""
    out: list[T] = []
    longest = max((len(x) for x in lists), default=0)
    for i in range(longest):
        out += [x[i] for x in lists if i < len(x)]
    return out


def _dedupe(found: Iterable[Value], original: Value) -> list[Value]:
    unique: dict[str, Value] = {}
    skip = values.key(original)
    for candidate in found:
        k = values.key(candidate)
        if k != skip:
            unique.setdefault(k, candidate)
    return list(unique.values())


def decimal_or_none(text: str) -> decimal.Decimal | None:
    """A number written as text (a price given as ``"2.50"``), or None."""
    if len(text) > 60:
        return None
    try:
        number = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        return None
    return number if number.is_finite() and any(c.isdigit() for c in text) else None


def decimal_neighbours(text: str, constants: Iterable[str]) -> list[str]:
    """Texts of Decimals next to ``text``: first the half-way values at every precision the
    original's Decimal constants round to (where a rounding mode shows), then one unit of the
    last digit either way, other scales of the same amount, signs, zero; and each of the
    original's Decimal constants with its nearest neighbours."""
    number = decimal_or_none(text)
    if number is None:
        return []
    known = [c for c in (decimal_or_none(t) for t in constants) if c is not None]
    exponents = sorted({e for e in (_exponent(c) for c in known) if e is not None and e < 0})
    out = [h for e in exponents for h in _half_ways(number, e)]
    out += _around_decimal(number)
    for c in known:
        out += [c, *_around_decimal(c)[:2]]
    texts = [str(d) for d in out if d.is_finite() and abs(d) <= _MAX_ABS]
    return list(dict.fromkeys(texts))


def _exponent(d: decimal.Decimal) -> int | None:
    exponent = d.as_tuple().exponent
    return exponent if isinstance(exponent, int) else None


def _half_ways(d: decimal.Decimal, exponent: int) -> list[decimal.Decimal]:
    """The two half-way values nearest ``d`` for rounding to ``exponent``: one after an even
    digit and one after an odd one (HALF_UP and HALF_EVEN part on the even one)."""
    try:
        step = decimal.Decimal(1).scaleb(exponent, _CONTEXT)
        floor = d.quantize(step, rounding=decimal.ROUND_FLOOR, context=_CONTEXT)
        half = decimal.Decimal(5).scaleb(exponent - 1, _CONTEXT)
        return [floor + half, floor - step + half]
    except (decimal.InvalidOperation, ArithmeticError):
        return []


def _around_decimal(d: decimal.Decimal) -> list[decimal.Decimal]:
    exponent = d.as_tuple().exponent
    if not isinstance(exponent, int):
        return []
    ulp = decimal.Decimal(1).scaleb(exponent, _CONTEXT)
    half = decimal.Decimal(5).scaleb(exponent - 1, _CONTEXT)
    ops: list[Callable[[], decimal.Decimal]] = [
        lambda: d - ulp,
        lambda: d + ulp,
        lambda: d + half,
        lambda: d - half,
        lambda: d.quantize(decimal.Decimal(1).scaleb(exponent - 1), context=_CONTEXT),
        lambda: d.normalize(_CONTEXT),
        lambda: decimal.Decimal(0).quantize(ulp, context=_CONTEXT),
        lambda: decimal.Decimal(0),
        lambda: -d,
        lambda: d - 1,
        lambda: d + 1,
        lambda: d * 10,
    ]
    out = []
    for op in ops:
        try:
            out.append(op())
        except (decimal.InvalidOperation, ArithmeticError):
            continue
    return out


def _date_or_none(text: str) -> datetime.date | None:
    if len(text) != 10:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _date_neighbours(text: str, constants: Iterable[str]) -> list[str]:
    days: list[datetime.date] = []
    one = datetime.timedelta(days=1)
    for candidate in (text, *constants):
        day = _date_or_none(candidate)
        if day is not None:
            days += [day, *_shifted(day, [-one, one])]
    return [d.isoformat() for d in dict.fromkeys(days)]


def _shifted(moment: datetime.date, deltas: Iterable[datetime.timedelta]) -> list[datetime.date]:
    out = []
    for delta in deltas:
        try:
            out.append(moment + delta)
        except OverflowError:
            continue
    return out
