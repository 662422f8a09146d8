"""Numbers as the comparison log and the search carry them: encoded values of three kinds.

A value is ``values``' encoding (``["int", "3"]``, ``["Decimal", "2.50"]``); steering does its
arithmetic on the decoded number and writes the result back in the kind it came in (an int
only when whole, text stays text), within ``MAX_ABS``: a number no caller passes is no input.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable, Sequence
from typing import Any

from ..values import Value

NUMERIC = ("int", "float", "Decimal")
MAX_ABS = 10**12
Number = int | float | decimal.Decimal


def written_like(like: Value, numbers: Iterable[decimal.Decimal]) -> list[Value]:
    """The numbers as values of ``like``'s kind: text stays text, an int only when whole."""
    if like[0] == "str":
        return [["str", str(n)] for n in numbers if abs(n) <= MAX_ABS]
    return as_kind(like, numbers)


def alike(numbers: Sequence[Number | None]) -> list[Any]:
    """The numbers in one kind of arithmetic: a Decimal and a float do not mix (TypeError),
    so with a Decimal among them the floats become Decimals (of their shortest repr)."""
    if any(isinstance(n, decimal.Decimal) for n in numbers):
        return [n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n)) for n in numbers]
    return list(numbers)


def as_number(value: Value) -> Number | None:
    try:
        if value[0] == "int":
            return int(value[1])
        if value[0] == "float":
            number = float(value[1])
            return number if math.isfinite(number) else None
        if value[0] == "Decimal":
            exact = decimal.Decimal(value[1])
            return exact if exact.is_finite() else None
    except (ValueError, TypeError, decimal.InvalidOperation, IndexError):
        return None
    return None


def beside(number: Number, like: Value) -> list[Number]:
    """One unit of the value's kind either side: where ``<`` and ``<=`` part."""
    if like[0] == "int" and isinstance(number, int):
        return [number - 1, number + 1]
    if like[0] == "Decimal" and isinstance(number, decimal.Decimal):
        unit = decimal.Decimal(1).scaleb(number.as_tuple().exponent)  # type: ignore[arg-type]
        return [number - unit, number + unit]
    return []


def as_kind(like: Value, numbers: Iterable[Number]) -> list[Value]:
    """The numbers as values of ``like``'s kind (an int only when whole), within range."""
    out: list[Value] = []
    for n in numbers:
        try:
            if not -MAX_ABS <= n <= MAX_ABS:
                continue
            if like[0] == "int":
                if n != int(n):
                    continue
                out.append(["int", str(int(n))])
            elif like[0] == "float":
                out.append(["float", repr(float(n))])
            else:
                out.append(["Decimal", str(decimal.Decimal(n))])
        except (ValueError, OverflowError, decimal.InvalidOperation):
            continue
    return out
