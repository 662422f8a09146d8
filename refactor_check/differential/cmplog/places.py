"""Where a call's values live: its own places, and every number and text deeper inside.

Each place comes with how to put a new value back (a *rebuild*), so a steered value becomes a
whole new call: an item of a list argument, a field of a record, a key of a dict (not put
back when it would collide with another key). Both walks are bounded by counts (``ITEMS``
items of a list, ``_DEEP_PLACES`` values inside one argument).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import values
from ..generation import Bound
from ..neighbours import decimal_or_none
from ..values import Value
from .numeric import NUMERIC, Number, as_number

ITEMS = 8  # items of a list or tuple argument taken as places
_DEEP_PLACES = 256  # values inside one argument looked at below the call's own places


def call_places(
    bound: Bound, deep: bool = False
) -> Iterator[tuple[str, Value, Callable[[Value], Value]]]:
    """(parameter, value, how to put a new value back) for each value and item of the call;
    ``deep``: also each field of a dict, as an argument or as an item (a record's amount)."""
    for name, value in bound.items():
        if value[0] in (*NUMERIC, "str"):
            yield name, value, itself
        elif value[0] in ("list", "tuple") and isinstance(value[1], list):
            for i, item in enumerate(value[1][:ITEMS]):
                put = functools.partial(_with_item, value, i)
                if item[0] in (*NUMERIC, "str"):
                    yield name, item, put
                elif deep and item[0] == "dict":
                    for inner, rebuild in _fields(item):
                        yield name, inner, _then(rebuild, put)
        elif deep and value[0] == "dict":
            for inner, rebuild in _fields(value):
                yield name, inner, rebuild


Rebuild = Callable[[Value], Value | None]


@dataclass(frozen=True)
class Inside:
    """What the deeper streams of ``derive`` walk, walked once per call."""

    # (parameter, value, how to put a new value back, whether it is a dict's key) for every
    # number and text inside the arguments that is not one of the call's own places.
    places: list[tuple[str, Value, Rebuild, bool]]
    # The match keys of every value the call holds, its own places included.
    passed: frozenset[object]


def inside_of(bound: Bound) -> Inside:
    shallow = {id(value) for _, value, _ in call_places(bound)}
    everywhere = [
        (name, value, rebuild, is_key)
        for name, argument in bound.items()
        for value, rebuild, is_key in nested(argument, itself, [_DEEP_PLACES])
    ]
    return Inside(
        places=[place for place in everywhere if id(place[1]) not in shallow],
        passed=frozenset(key for _, value, _, _ in everywhere for key in match_keys(value)),
    )


def match_keys(value: Value) -> list[object]:
    """What a number or text matches by: numbers by value across int, float and Decimal (a
    quantity read from a Decimal still equals it), text by its characters, and a number
    written as text by both."""
    keys: list[object] = []
    number: Number | None
    if value[0] == "str":
        keys.append(("str", value[1]))
        number = decimal_or_none(value[1])
    else:
        number = as_number(value)
    if number is not None:
        keys.append(("number", number))
    return keys


def nested(
    value: Value, rebuild: Rebuild, room: list[int], key: bool = False
) -> Iterator[tuple[Value, Rebuild, bool]]:
    """(value, how to put a new value back, whether it is a dict's key) for every number and
    text inside ``value``, depth first through lists, tuples, sets and dicts (keys and
    values), while ``room`` (a shared count) lasts. A dict key that would collide with
    another key is not put back (None)."""
    if room[0] <= 0:
        return
    room[0] -= 1
    tag = value[0]
    if tag in (*NUMERIC, "str"):
        yield value, rebuild, key
    elif tag in ("list", "tuple", "set", "frozenset") and isinstance(value[1], list):
        for i, item in enumerate(value[1]):
            put = functools.partial(_with_item, value, i)
            yield from nested(item, _then_maybe(put, rebuild), room)
    elif tag == "dict" and isinstance(value[1], list):
        pairs = value[1]
        for i, pair in enumerate(pairs):
            if not (isinstance(pair, list) and len(pair) == 2):
                continue
            put_key = functools.partial(_with_key, value, i)
            yield from nested(pair[0], _then_maybe(put_key, rebuild), room, True)
            put_value = functools.partial(_with_field, value, i)
            yield from nested(pair[1], _then_maybe(put_value, rebuild), room)


def _then_maybe(first: Rebuild, second: Rebuild) -> Rebuild:
    def both(new: Value) -> Value | None:
        inner = first(new)
        return None if inner is None else second(inner)

    return both


def _with_key(record: Value, index: int, new: Value) -> Value | None:
    pairs = list(record[1])
    if any(values.key(p[0]) == values.key(new) for j, p in enumerate(pairs) if j != index):
        return None
    pairs[index] = [new, pairs[index][1]]
    return ["dict", pairs]


def _fields(record: Value) -> Iterator[tuple[Value, Callable[[Value], Value]]]:
    """(value, how to put a new value back) for each number or text field of a dict."""
    pairs = record[1] if isinstance(record[1], list) else []
    for i, pair in enumerate(pairs[:ITEMS]):
        if isinstance(pair, list) and len(pair) == 2 and pair[1][0] in (*NUMERIC, "str"):
            yield pair[1], functools.partial(_with_field, record, i)


def _with_field(record: Value, index: int, new: Value) -> Value:
    pairs = list(record[1])
    pairs[index] = [pairs[index][0], new]
    return ["dict", pairs]


def _then(
    first: Callable[[Value], Value], second: Callable[[Value], Value]
) -> Callable[[Value], Value]:
    return lambda new: second(first(new))


def itself(new: Value) -> Value:
    return new


def _with_item(container: Value, index: int, new: Value) -> Value:
    items = list(container[1])
    items[index] = new
    return [container[0], items]
