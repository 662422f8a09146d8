"""New calls from one logged call: each of its values steered by what the call compared.

The kinds of suggestion take turns (a budget that cuts the list still tries each kind's
first): what a rounding suggests, searched into records too (what is rounded is mostly a
total of values passed in: a record's amount, a number written as text); the call's own
values steered (``steer``); any number or text anywhere inside an argument (a nested
record's field, a dict's key) that is exactly one operand, onto the other (input-to-state
at any depth); numbers inside scaled so that a total of them meets a limit; and texts and
lists made as long as a limit their length is compared with. Every stream is bounded by a
count per logged call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from .. import values
from ..generation import Bound
from ..neighbours import decimal_or_none, interleave
from ..values import Value
from .log import OPERATORS, ROUND, Comparison
from .numeric import as_number
from .places import Inside, Rebuild, call_places, inside_of, match_keys
from .steer import onto_other, scaled_onto, steer_text, steer_value

_ROUNDING_CALLS = 16  # calls one logged call's roundings may suggest
_SCALED_CALLS = 16  # calls with a record's number scaled one logged call may suggest
_RESIZED_CALLS = 8  # calls with a text made longer or shorter one logged call may suggest
_MAX_RESIZED = 1024  # characters a text is made as long as, at the most
_MAX_RESIZED_ITEMS = 64  # items a list is made as long as, at the most


def derive(bound: Bound, log: Sequence[Comparison]) -> list[Bound]:
    """Calls like ``bound`` with one value steered by one logged comparison, each once, the
    kinds taking turns (a budget that cuts the list still tries each kind's first): what a
    rounding suggests (at most ``_ROUNDING_CALLS``, searched into records), the call's own
    values steered, values deeper inside its arguments that are an operand
    (``_matched_deeper``), those scaled onto a limit (``_scaled_deeper``), and texts made
    as long as a limit their length is compared with (``_resized``)."""
    rounding = distinct([c for c in log if c.op == ROUND])
    # Whole numbers of the call (a quantity), by which a rounded total may multiply a value.
    counts = sorted(
        {
            n
            for _, v, _ in call_places(bound, True)
            if (n := as_number(v)) and type(n) is int and 1 < n <= 1000
        }
    )[:4]
    others = [c for c in log if c.op != ROUND]
    streams: list[dict[str, Bound]] = [{}, {}, {}, {}, {}]
    add_new(streams[0], _changed(bound, rounding, True, counts), _ROUNDING_CALLS)
    add_new(streams[1], _changed(bound, others, False, ()))
    inside = inside_of(bound)
    add_new(streams[2], _matched_deeper(bound, inside, others))
    add_new(streams[3], _scaled_deeper(bound, inside, others), _SCALED_CALLS)
    add_new(streams[4], _resized(bound, inside, others), _RESIZED_CALLS)
    out: dict[str, Bound] = {}
    add_new(out, interleave([list(stream.values()) for stream in streams]))
    return list(out.values())


def _changed(
    bound: Bound, log: Sequence[Comparison], deep: bool, counts: Sequence[int]
) -> Iterator[Bound]:
    """``bound`` with one place steered by one comparison, place by place."""
    for name, value, rebuild in call_places(bound, deep):
        for comparison in log:
            for new in steer_value(value, comparison, counts):
                if new != value:
                    yield {**bound, name: rebuild(new)}


def add_new(out: dict[str, Bound], found: Iterable[Bound], most: int | None = None) -> None:
    """The calls ``out`` does not hold yet, ``most`` of them at the most (None: all)."""
    added = 0
    for changed in found:
        if most is not None and added >= most:
            return
        if out.setdefault(call_key(changed), changed) is changed:
            added += 1


def distinct(log: Sequence[Comparison]) -> list[Comparison]:
    return list({values.key([c.op, c.left, c.right]): c for c in log}.values())


def call_key(bound: Bound) -> str:
    """One text per distinct call (``values.key`` of its arguments)."""
    return values.key([[k, v] for k, v in bound.items()])


def _matched_deeper(bound: Bound, inside: Inside, log: Sequence[Comparison]) -> Iterator[Bound]:
    """Input-to-state beyond the places ``_changed`` walks: a number or text anywhere inside
    an argument (a field of a nested record, a later item of a long list; a number written
    as text too) that is exactly one operand of a logged comparison takes the other operand,
    and one unit either side of it. What the code compared is often a value passed in deep
    inside a structure (a count in a summary's table). A dict's key is only searched in (an
    endpoint's name, a key of that table, gains the quote a CSV writer doubles): a key
    renamed onto another one the code looked up ("sku" onto "taxable") would hold a value of
    another field's type, an input no caller passes. Only exact matches: moving every nested
    number by every gap would flood the budget (``_scaled_deeper`` scales them, in a stream
    of its own)."""
    onto: dict[object, list[Value]] = {}  # what a value matched by its key may take
    searched: dict[object, list[Comparison]] = {}  # texts searched in, by their key
    for c in distinct(log):
        if c.op == "%":
            continue  # a remainder is steered where it is, not matched
        if c.op == "in":
            for key in match_keys(c.right):
                searched.setdefault(key, []).append(c)
            continue
        for mine, other in ((c.left, c.right), (c.right, c.left)):
            for key in match_keys(mine):
                onto.setdefault(key, []).append(other)
    for name, value, rebuild, is_key in inside.places:
        for key in match_keys(value):
            found = [new for c in searched.get(key, ()) for new in steer_text(value, c)]
            if not is_key:
                found += [new for other in onto.get(key, ()) for new in onto_other(value, other)]
            for new in found:
                rebuilt = rebuild(new) if new != value else None
                if rebuilt is not None:
                    yield {**bound, name: rebuilt}


def _scaled_deeper(bound: Bound, inside: Inside, log: Sequence[Comparison]) -> Iterator[Bound]:
    """Each number inside an argument beyond the places ``_changed`` walks (a record's
    price), scaled so that the operand it is likeliest part of (a subtotal of prices, a
    discount of a subtotal) lands on the other operand, and passes it by one unit either
    way: a total of the call's numbers meets a limit it is compared with."""
    places = [
        (name, value, rebuild) for name, value, rebuild, is_key in inside.places if not is_key
    ]
    for c in distinct(log):
        a, b = as_number(c.left), as_number(c.right)
        if c.op not in OPERATORS.values() or not a or not b:
            continue
        # An operand the call passed in as it is (a quantity compared with 100) is steered by
        # the exact matches; only a comparison of two values the call does not hold is of a total.
        if ("number", a) in inside.passed or ("number", b) in inside.passed:
            continue
        for name, value, rebuild in places:
            for new in scaled_onto(value, a, b):
                rebuilt = rebuild(new) if new != value else None
                if rebuilt is not None:
                    yield {**bound, name: rebuilt}


def _resized(bound: Bound, inside: Inside, log: Sequence[Comparison]) -> Iterator[Bound]:
    """Each text of the call (a field of a record too) whose length is exactly one operand of
    a logged comparison of whole numbers, made as long as the other operand and one
    character either side (its own characters repeated, or cut): ``len(desc) > 18`` is
    reached by a description of 18 and 19 characters, which no recorded one may have. A
    dict's key keeps its name, and a number written as text is left to the other streams.
    A list or tuple passed as an argument is resized the same way, its items repeated in
    order (``len(lines) > 20``), up to ``_MAX_RESIZED_ITEMS``."""
    lengths: dict[int, set[int]] = {}
    for c in distinct(log):
        if c.op not in OPERATORS.values() or c.left[0] != "int" or c.right[0] != "int":
            continue
        a, b = as_number(c.left), as_number(c.right)
        for mine, other in ((a, b), (b, a)):
            # A number the call passed in (a quantity compared with 100) is that number, not
            # a length: resizing texts that happen to be as long would spend the budget.
            if not isinstance(mine, int) or ("number", mine) in inside.passed:
                continue
            if isinstance(other, int) and mine > 0 and other >= 0:
                lengths.setdefault(mine, set()).add(other)
    if not lengths:
        return
    texts: list[tuple[str, Value, Rebuild]] = list(call_places(bound))
    texts += [(name, value, rebuild) for name, value, rebuild, key in inside.places if not key]
    for name, value, rebuild in texts:
        if value[0] != "str" or not value[1] or decimal_or_none(value[1]) is not None:
            continue
        for text in _resizings(value[1], lengths, _MAX_RESIZED):
            rebuilt = rebuild(["str", text])
            if rebuilt is not None:
                yield {**bound, name: rebuilt}
    for name, value in bound.items():
        if value[0] not in ("list", "tuple") or not isinstance(value[1], list) or not value[1]:
            continue
        for items in _resizings(value[1], lengths, _MAX_RESIZED_ITEMS):
            yield {**bound, name: [value[0], items]}


_Sized = TypeVar("_Sized", str, list[Any])


def _resizings(whole: _Sized, lengths: dict[int, set[int]], most: int) -> Iterator[_Sized]:
    """``whole`` repeated or cut to each limit its length is compared with, and one either
    side, up to ``most`` long."""
    for limit in sorted(lengths.get(len(whole), ())):
        for n in (limit, limit + 1, limit - 1):
            if 0 <= n <= most and n != len(whole):
                yield (whole * (n // len(whole) + 1))[:n]
