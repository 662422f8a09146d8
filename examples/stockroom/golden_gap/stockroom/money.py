"""Money: amounts are rounded to the cent, half a cent up, as the accounting package does
(not round(), which rounds half to even)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
