"""Reading what callers hand in: SKUs, quantities, unit costs, order ids and lot names."""

from decimal import Decimal, InvalidOperation

from .errors import BadQuantity, StockError

MAX_SKU_LENGTH = 12
LARGEST_DELIVERY = 100_000


def normalise_sku(raw):
    """A SKU as the ledger keys it: stripped, upper case, inner spaces as one dash."""
    if not isinstance(raw, str):
        raise StockError("sku must be text, got %r" % (raw,))
    sku = "-".join(raw.strip().upper().split())
    if not sku or len(sku) > MAX_SKU_LENGTH:
        raise StockError("bad sku %r" % raw)
    if not all(ch.isalnum() or ch == "-" for ch in sku):
        raise StockError("bad sku %r" % raw)
    return sku


def parse_quantity(raw, what="quantity"):
    """A whole number of units from an int or a numeric string (1 to 100000)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise BadQuantity("%s must be a whole number, got %r" % (what, raw))
    if isinstance(raw, str):
        try:
            n = int(raw)
        except ValueError as exc:
            raise BadQuantity("%s %r is not a whole number" % (what, raw)) from exc
    else:
        n = raw
    if n <= 0:
        raise BadQuantity("%s must be positive, got %d" % (what, n))
    if n > LARGEST_DELIVERY:
        raise BadQuantity("%s %d is more than one delivery" % (what, n))
    return n


def parse_unit_cost(raw):
    """A unit cost as a Decimal (ints, strings and Decimals; never floats)."""
    if isinstance(raw, (bool, float)) or not isinstance(raw, (int, str, Decimal)):
        raise StockError("unit cost must be an int, a string or a Decimal, got %r" % (raw,))
    try:
        cost = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise StockError("bad unit cost %r" % (raw,)) from exc
    if not cost.is_finite() or cost < 0:
        raise StockError("bad unit cost %r" % (raw,))
    return cost


def parse_lot_name(lot):
    """A lot name given by the caller, upper-cased (None is not a name: the ledger numbers it)."""
    if isinstance(lot, str) and lot.strip() != "":
        return lot.strip().upper()
    raise StockError("bad lot %r" % (lot,))


def parse_order_id(order_id):
    if not isinstance(order_id, str) or order_id.strip() == "":
        raise StockError("order id must be a non-empty string")
    return order_id.strip()
