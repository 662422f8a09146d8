"""Values from outside: SKU codes, unit counts, unit costs, lot names and order ids."""

import re
from decimal import Decimal, InvalidOperation

from .errors import BadQuantity, StockError

# Letters and digits of any script (what str.isalnum() accepts: \w without the underscore),
# joined by dashes; at most twelve characters once upper-cased.
_SKU = re.compile(r"(?:[^\W_]|-){1,12}")
_MOST_UNITS = 10**5


def normalise_sku(raw):
    if not isinstance(raw, str):
        raise StockError(f"sku must be text, got {raw!r}")
    sku = "-".join(raw.upper().split())
    if _SKU.fullmatch(sku) is None:
        raise StockError(f"bad sku {raw!r}")
    return sku


def parse_quantity(raw, what="quantity"):
    if type(raw) is bool or not isinstance(raw, (int, str)):
        raise BadQuantity(f"{what!s} must be a whole number, got {raw!r}")
    units = raw
    if isinstance(raw, str):
        try:
            units = int(raw)
        except ValueError as exc:
            raise BadQuantity(f"{what!s} {raw!r} is not a whole number") from exc
    if units <= 0:
        raise BadQuantity("%s must be positive, got %d" % (what, units))
    if units > _MOST_UNITS:
        raise BadQuantity("%s %d is more than one delivery" % (what, units))
    return units


def unit_cost(raw):
    if type(raw) in (bool, float) or not isinstance(raw, (int, str, Decimal)):
        raise StockError(f"unit cost must be an int, a string or a Decimal, got {raw!r}")
    text = raw if isinstance(raw, str) else str(raw)
    try:
        cost = Decimal(text.strip())
    except InvalidOperation as exc:
        raise StockError(f"bad unit cost {raw!r}") from exc
    if cost.is_finite() and cost >= 0:
        return cost
    raise StockError(f"bad unit cost {raw!r}")


def lot_name(raw):
    if isinstance(raw, str) and raw.strip():
        return raw.strip().upper()
    raise StockError(f"bad lot {raw!r}")


def order_id(raw):
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    raise StockError("order id must be a non-empty string")
