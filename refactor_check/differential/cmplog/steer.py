"""One value steered by one logged comparison: the inputs that make it come out otherwise.

Where the value equals one operand it takes the other, and one unit either side of it
(input-to-state); where it equals neither it is moved by the operands' difference (a sum's
part moved until the sum meets the limit); for ``a % b``, onto the multiples of ``b`` around
it; for a rounding, until the rounded amount lies exactly half a unit between two roundings,
where half-up and half-even part. A text takes the text it was compared with, or gains (or
loses) what was looked for in it. Exact arithmetic only: a result that would itself need
rounding is no candidate.
"""

from __future__ import annotations

import contextlib
import decimal
from collections.abc import Sequence

from ..neighbours import decimal_or_none
from ..values import Value
from .log import ROUND, TIE, Comparison
from .numeric import Number, alike, as_kind, as_number, beside, written_like


def onto_other(value: Value, other: Value) -> list[Value]:
    """``other`` as a value of ``value``'s kind, and one unit either side of it (text stays
    text: a number written as text is written at its own scale)."""
    if value[0] == "str":
        if other[0] == "str":
            return [other]
        target, text = as_number(other), decimal_or_none(value[1])
        if target is None or text is None or isinstance(target, float):
            return []
        return _at_scale(decimal.Decimal(target), text)
    mine, number = as_number(value), as_number(other)
    if mine is None or number is None:
        return []
    n = alike([mine, number])[1]
    return as_kind(value, [n, *beside(n, value)])


def _at_scale(target: decimal.Decimal, like: decimal.Decimal) -> list[Value]:
    """``target`` written as text with ``like``'s digits after the point, and one unit of
    the last digit either side (``"600.00"`` onto 500: ``"500.00"``, ``"499.99"``,
    ``"500.01"``); nothing when it would need rounding."""
    unit = decimal.Decimal(1).scaleb(like.as_tuple().exponent)  # type: ignore[arg-type]
    if unit < 1 and target != target.quantize(unit):
        return written_like(["str", ""], [target])
    exact = target.quantize(unit) if unit < 1 else target
    return written_like(["str", ""], [exact, exact - unit, exact + unit])


def scaled_onto(value: Value, a: Number, b: Number) -> list[Value]:
    """A number (or a number written as text) that is neither operand, scaled by ``b / a``
    and by one unit of ``a`` beyond it either way: if ``a`` is a sum of such numbers, it
    meets ``b``, and passes it by a unit. Exact Decimal arithmetic; a whole number stays
    whole (a quantity), text stays text."""
    number = as_number(value) if value[0] != "str" else decimal_or_none(value[1])
    if number is None or not number or value[0] == "int":
        return []
    exact = decimal.Context(prec=28, traps=[decimal.Inexact, decimal.InvalidOperation])
    try:
        v, x, y = (
            n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n))
            for n in (number, a, b)
        )
        if v in (x, y):
            return []
        unit = decimal.Decimal(1).scaleb(min(x.as_tuple().exponent, -2))  # type: ignore[arg-type]
        out: list[decimal.Decimal] = []
        for target in (y + unit, y - unit, y):
            with contextlib.suppress(decimal.Inexact, decimal.DivisionByZero):
                out.append(exact.divide(exact.multiply(v, target), x))
    except (decimal.InvalidOperation, OverflowError, ValueError):
        return []
    return written_like(value, out)


def steer_value(value: Value, c: Comparison, counts: Sequence[int] = ()) -> list[Value]:
    if c.op == ROUND:
        return _steered_rounding(value, c, counts)
    if value[0] == "str":
        return steer_text(value, c)
    numbers = (as_number(value), as_number(c.left), as_number(c.right))
    if None in numbers:
        return []
    v, a, b = alike(numbers)
    if c.op == "%":
        if b == 0:
            return []
        rest = a % b
        if rest == 0:
            return []
        return as_kind(value, [v - rest, v + (b - rest)])
    if v == a:
        return as_kind(value, [b, *beside(b, value)])
    if v == b:
        return as_kind(value, [a, *beside(a, value)])
    gap = b - a
    return as_kind(value, [v + gap, *beside(v + gap, value)])


def steer_text(value: Value, c: Comparison) -> list[Value]:
    """Text onto the other operand; for ``in`` (``left in right``, or a text method looking
    for ``left`` in ``right``), the text searched in with what was looked for added at its
    end and its start, or taken out where it was found (the other way the search goes)."""
    if c.op not in ("==", "!=", "in", TIE) or c.left[0] != "str" or c.right[0] != "str":
        return []
    text, left, right = value[1], c.left[1], c.right[1]
    if text == left:
        return [["str", right]]
    if text == right and c.op != "in":
        return [["str", left]]
    if text == right and left:
        if left in text:
            return [["str", text.replace(left, "", 1)]]
        return [["str", text + left], ["str", left + text]]
    return []


def _steered_rounding(value: Value, c: Comparison, counts: Sequence[int] = ()) -> list[Value]:
    """The value moved so that the rounded amount lands exactly half a unit between two
    roundings: by that distance shared out over one of ``counts`` (the whole numbers passed
    beside the value: a price times its quantity), by the amount's distance to it (the value
    is a part of a sum), or by their ratio (the value is a factor). A number written as
    text stays text. Exact Decimal arithmetic only: a result that would need rounding itself
    is no candidate."""
    amount, unit = as_number(c.left), _unit(c.right)
    number = as_number(value) if value[0] != "str" else decimal_or_none(value[1])
    if amount is None or unit is None or number is None or isinstance(amount, int):
        return []
    out: list[Value] = []
    exact = decimal.Context(prec=28, traps=[decimal.Inexact, decimal.InvalidOperation])
    try:
        v, a = (
            n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n))
            for n in (number, amount)
        )
        for half in _halves(a, unit, isinstance(amount, float)):
            gap = exact.subtract(half, a)
            found = []
            # The value times a quantity passed beside it first: a price with its quantity
            # is what most totals are made of.
            for count in counts:
                with contextlib.suppress(decimal.Inexact):
                    found.append(exact.add(v, exact.divide(gap, count)))
            found.append(exact.add(v, gap))
            if a:
                with contextlib.suppress(decimal.Inexact):
                    found.append(exact.divide(exact.multiply(v, half), a))
            out += written_like(value, found)
    except (decimal.Inexact, decimal.InvalidOperation, OverflowError, ValueError):
        return out
    return out


def _unit(value: Value) -> decimal.Decimal | None:
    """The unit a logged rounding rounds to: a quantum as it was given, or ``round``'s
    digits (``round(x, 2)``: 0.01)."""
    if value[0] == "int":
        digits = int(value[1])
        return decimal.Decimal(1).scaleb(-digits) if -12 <= digits <= 12 else None
    number = as_number(value)
    if isinstance(number, decimal.Decimal) and number:
        return decimal.Decimal(1).scaleb(number.as_tuple().exponent)  # type: ignore[arg-type]
    return None


def _halves(amount: decimal.Decimal, unit: decimal.Decimal, binary: bool) -> list[decimal.Decimal]:
    """The points nearest ``amount`` where rounding modes part, so that every two of them
    differ at one: a half-way point whose kept digit is even (2.425: half up and up 2.43,
    half even, half down and down 2.42), one whose kept digit is odd (2.415: half even, half
    up and up 2.42, half down and down 2.41), three quarters of a unit (2.4175: down 2.41,
    the others 2.42) and a quarter (2.4125: up 2.42, the others 2.41), in that order; for a
    float, only points a float holds exactly (``round`` of a float rounds its binary value:
    2.675 is not half-way)."""
    below = (amount / unit).to_integral_value(decimal.ROUND_FLOOR)
    steps = range(-50, 51) if binary else range(-3, 4)
    kinds: list[list[decimal.Decimal]] = [[], [], [], []]
    for k in steps:
        kept = below + k
        kinds[int(kept % 2)].append((kept + decimal.Decimal("0.5")) * unit)
        kinds[2].append((kept + decimal.Decimal("0.75")) * unit)
        kinds[3].append((kept + decimal.Decimal("0.25")) * unit)
    out = []
    for points in kinds:
        if binary:
            points = [p for p in points if decimal.Decimal(float(p)) == p]
        if points:
            out.append(min(points, key=lambda p: abs(p - amount)))
    return out
