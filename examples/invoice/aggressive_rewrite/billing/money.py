"""Cents, rounding and how amounts are written."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_cents(amount, rounding=ROUND_HALF_UP):
    """``amount`` rounded to whole cents (half up unless told otherwise)."""
    return amount.quantize(CENT, rounding=rounding)


def format_money(amount, currency=None):
    text = format(amount, ",.2f")
    return currency + " " + text if currency else text
