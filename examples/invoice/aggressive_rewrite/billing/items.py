"""normalize_item(): cleaning one line-item dict IN PLACE.

The order screen reads the cleaned sku, qty and unit_price back out of the same dict, so
every step writes its result into the item as soon as it has it (a later failure leaves
the earlier steps applied, as it always did).
"""

from decimal import Decimal, InvalidOperation

_LEGACY_QTY_KEY = "quantity"  # the old order screen's name for "qty"
_DEFAULT_QTY = 1


def _sku(item):
    if "sku" not in item:
        raise KeyError("line item is missing 'sku'")
    sku = item["sku"] = str(item["sku"]).strip().upper()
    if not sku:
        raise ValueError("line item sku must not be empty")
    return sku


def _given_quantity(item):
    if "qty" in item:
        return item["qty"]
    if _LEGACY_QTY_KEY in item:
        return item.pop(_LEGACY_QTY_KEY)
    return _DEFAULT_QTY


def _quantity(given, sku):
    if isinstance(given, str):
        given = given.strip()
    try:
        qty = int(given)
    except (TypeError, ValueError):
        raise ValueError("invalid quantity for %s: %r" % (sku, given))
    if qty <= 0:
        raise ValueError("quantity must be positive for %s" % sku)
    return qty


def _unit_price(item, sku):
    if "unit_price" not in item:
        raise KeyError("line item %s is missing 'unit_price'" % sku)
    given = item["unit_price"]
    # floats go through repr() so that 0.1 becomes Decimal("0.1"), not its binary value
    text = repr(given) if isinstance(given, float) else str(given)
    try:
        price = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("invalid unit price for %s: %r" % (sku, given))
    if price < 0:
        raise ValueError("unit price must not be negative for %s" % sku)
    return price


def normalize_item(item):
    """Clean up a line item dict in place and return it."""
    sku = _sku(item)
    item["qty"] = _quantity(_given_quantity(item), sku)
    item["unit_price"] = _unit_price(item, sku)
    item.setdefault("taxable", True)
    item["description"] = str(item.get("description") or sku).strip()
    return item
