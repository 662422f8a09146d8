"""Invoice pricing: line items, volume discounts, tiers, coupons and sales tax.

Historical notes (please read before touching anything):
  * legacy_mode reproduces the rounding of the old nightly batch job. The
    reconciliation report still calls it that way, so it has to stay.
  * Callers rely on line items being normalised IN PLACE: the order screen
    reads the cleaned-up sku, qty and unit_price back out of the same dicts.
  * Fixed-amount coupons do not reduce the tax base (finance rule, 2019).
"""

import datetime
from decimal import Decimal, InvalidOperation, ROUND_DOWN, ROUND_HALF_UP

CENT = Decimal("0.01")
ZERO = Decimal("0")

TAX_RATES = {
    "US-CA": Decimal("0.0725"),
    "US-NY": Decimal("0.04"),
    "US-TX": Decimal("0.0625"),
    "US-WA": Decimal("0.065"),
    "US-OR": Decimal("0"),
    "EU-DE": Decimal("0.19"),
    "EU-FR": Decimal("0.20"),
    "UK": Decimal("0.20"),
}

# code -> (kind, value, minimum subtotal, last valid day)
COUPONS = {
    "SAVE10": ("percent", "10", None, None),
    "WELCOME5": ("fixed", "5.00", None, None),
    "BULK15": ("percent", "15", "1000.00", "2025-12-31"),
    "SPRING20": ("fixed", "20.00", "100.00", "2024-06-30"),
}

CURRENCIES = {"US": "USD", "EU": "EUR", "UK": "GBP"}

GOLD_RATE = Decimal("0.05")
GOLD_MIN_SUBTOTAL = 500
PLATINUM_RATE = Decimal("0.08")
PLATINUM_CAP = Decimal("200.00")


class InvoiceError(Exception):
    """Something about the invoice request does not make sense."""


def _half_up(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def normalize_item(item):
    """Clean up a line item dict in place and return it."""
    if "sku" not in item:
        raise KeyError("line item is missing 'sku'")
    item["sku"] = str(item["sku"]).strip().upper()
    sku = item["sku"]
    if sku == "":
        raise ValueError("line item sku must not be empty")
    if "qty" in item:
        qty = item["qty"]
    elif "quantity" in item:
        # old order screen sends 'quantity'
        qty = item.pop("quantity")
    else:
        qty = 1
    if isinstance(qty, str):
        qty = qty.strip()
    try:
        qty = int(qty)
    except (TypeError, ValueError):
        raise ValueError("invalid quantity for %s: %r" % (sku, qty))
    if qty <= 0:
        raise ValueError("quantity must be positive for %s" % sku)
    item["qty"] = qty
    if "unit_price" not in item:
        raise KeyError("line item %s is missing 'unit_price'" % sku)
    price = item["unit_price"]
    if isinstance(price, float):
        price = repr(price)
    try:
        price = Decimal(str(price).strip())
    except InvalidOperation:
        raise ValueError("invalid unit price for %s: %r" % (sku, item["unit_price"]))
    if price < 0:
        raise ValueError("unit price must not be negative for %s" % sku)
    item["unit_price"] = price
    if "taxable" not in item:
        item["taxable"] = True
    item["description"] = str(item.get("description") or sku).strip()
    return item


def _volume_rate(qty):
    if qty >= 100:
        return Decimal("0.10")
    if qty >= 50:
        return Decimal("0.05")
    if qty > 20:
        return Decimal("0.02")
    return ZERO


def _line_amount(price, qty, rate, legacy_mode):
    if rate and legacy_mode:
        return (price * (1 - rate)).quantize(CENT, rounding=ROUND_DOWN) * qty
    if rate:
        return _half_up(price * qty * (1 - rate))
    # no volume discount; legacy batch job did not touch these lines either
    return _half_up(price * qty)


def _tax_region(customer):
    """Validated, upper-cased tax region; written back to the customer record."""
    region = customer.get("region")
    if not region:
        raise InvoiceError("customer %s has no region" % customer["id"])
    region = region.strip().upper()
    if region not in TAX_RATES:
        raise KeyError("unknown tax region: %s" % region)
    customer["region"] = region
    return region


def _sales_tax(taxable, region):
    if taxable <= 0:
        return ZERO
    return (taxable * TAX_RATES[region]).quantize(CENT)


def compute_total(items, customer, apply_tax=True, legacy_mode=False, coupon=None, on=None):
    """Work out the money for an invoice.

    Returns a dict with the priced lines, subtotal, discounts, tax and total.
    """
    if not items:
        raise InvoiceError("cannot invoice an empty list of items")
    if customer is None or "id" not in customer:
        raise KeyError("customer record must have an 'id'")
    lines = []
    subtotal = ZERO
    taxable = ZERO
    for item in items:
        normalize_item(item)
        rate = _volume_rate(item["qty"])
        amount = _line_amount(item["unit_price"], item["qty"], rate, legacy_mode)
        subtotal = subtotal + amount
        if item["taxable"]:
            taxable = taxable + amount
        lines.append({
            "sku": item["sku"],
            "description": item["description"],
            "qty": item["qty"],
            "unit_price": item["unit_price"],
            "discount_rate": rate,
            "amount": amount,
            "taxable": bool(item["taxable"]),
        })

    tier = (customer.get("tier") or "standard").lower()
    tier_discount = ZERO
    if tier == "gold":
        if subtotal > GOLD_MIN_SUBTOTAL:
            tier_discount = _half_up(subtotal * GOLD_RATE)
    elif tier == "platinum":
        tier_discount = _half_up(subtotal * PLATINUM_RATE)
        if tier_discount > PLATINUM_CAP:
            tier_discount = PLATINUM_CAP
    elif tier != "standard":
        raise ValueError("unknown customer tier: %r" % customer.get("tier"))
    if tier_discount and subtotal > 0:
        taxable = taxable - _half_up(tier_discount * taxable / subtotal)

    code = None
    coupon_discount = ZERO
    if coupon:
        code = coupon.strip().upper()
        if code not in COUPONS:
            raise InvoiceError("unknown coupon code: %s" % code)
        kind, value, minimum, expires = COUPONS[code]
        if expires is not None:
            if on is None:
                raise InvoiceError("coupon %s requires an invoice date" % code)
            if isinstance(on, str):
                on = datetime.date.fromisoformat(on)
            if on > datetime.date.fromisoformat(expires):
                raise InvoiceError("coupon %s expired on %s" % (code, expires))
        if code == "BULK15" and tier == "platinum":
            raise InvoiceError("coupon BULK15 cannot be combined with platinum pricing")
        after_tier = subtotal - tier_discount
        if minimum is not None and after_tier < Decimal(minimum):
            raise InvoiceError("coupon %s requires a subtotal of at least %s" % (code, minimum))
        if kind == "percent":
            coupon_discount = _half_up(after_tier * Decimal(value) / 100)
            taxable = taxable - _half_up(taxable * Decimal(value) / 100)
        else:
            coupon_discount = Decimal(value)
            if coupon_discount > after_tier:
                print("WARNING: coupon %s exceeds invoice amount, capped at %s" % (code, after_tier))
                coupon_discount = after_tier

    tax = ZERO
    region = customer.get("region")
    if apply_tax and not customer.get("tax_exempt"):
        region = _tax_region(customer)
        tax = _sales_tax(taxable, region)

    currency = CURRENCIES.get((region or "US").split("-")[0].upper(), "USD")
    total = subtotal - tier_discount - coupon_discount + tax
    return {
        "lines": lines,
        "subtotal": subtotal,
        "tier_discount": tier_discount,
        "coupon": code,
        "coupon_discount": coupon_discount,
        "tax": tax,
        "total": total,
        "currency": currency,
    }
