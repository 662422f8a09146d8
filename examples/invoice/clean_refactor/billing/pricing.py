"""Line-item normalisation and invoice pricing.

Order of operations in ``compute_total`` (each step feeds the next):

1. normalise and price every line (volume discount per line);
2. customer-tier discount on the subtotal, taken off the taxable base pro rata;
3. coupon: percent coupons also reduce the taxable base, fixed ones do not;
4. sales tax on what is left of the taxable base.

Behaviour kept on purpose even where it looks odd (callers depend on it):

* ``normalize_item`` mutates the dict it is given;
* ``compute_total`` writes the cleaned-up region back into ``customer`` when it
  applies tax;
* ``legacy_mode`` only changes the rounding of lines that have a volume discount.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

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

CURRENCY_BY_REGION_PREFIX = {"US": "USD", "EU": "EUR", "UK": "GBP"}
DEFAULT_CURRENCY = "USD"
DEFAULT_REGION_PREFIX = "US"


class InvoiceError(Exception):
    """Something about the invoice request does not make sense."""


def round_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def truncate_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_DOWN)


# --------------------------------------------------------------------------
# line items


def normalize_item(item):
    """Clean up a line item dict in place and return it."""
    sku = _normalize_sku(item)
    item["qty"] = _parse_qty(item, sku)
    if "unit_price" not in item:
        raise KeyError("line item %s is missing 'unit_price'" % sku)
    item["unit_price"] = _parse_unit_price(item["unit_price"], sku)
    if "taxable" not in item:
        item["taxable"] = True
    item["description"] = str(item.get("description") or sku).strip()
    return item


def _normalize_sku(item) -> str:
    if "sku" not in item:
        raise KeyError("line item is missing 'sku'")
    item["sku"] = str(item["sku"]).strip().upper()
    if item["sku"] == "":
        raise ValueError("line item sku must not be empty")
    return item["sku"]


def _parse_qty(item, sku: str) -> int:
    if "qty" in item:
        raw = item["qty"]
    elif "quantity" in item:
        raw = item.pop("quantity")  # key used by the old order screen
    else:
        raw = 1
    if isinstance(raw, str):
        raw = raw.strip()
    try:
        qty = int(raw)
    except (TypeError, ValueError):
        raise ValueError("invalid quantity for %s: %r" % (sku, raw))
    if qty <= 0:
        raise ValueError("quantity must be positive for %s" % sku)
    return qty


def _parse_unit_price(raw, sku: str) -> Decimal:
    text = repr(raw) if isinstance(raw, float) else raw
    try:
        price = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError("invalid unit price for %s: %r" % (sku, raw))
    if price < 0:
        raise ValueError("unit price must not be negative for %s" % sku)
    return price


# --------------------------------------------------------------------------
# volume discounts

# (smallest qty, rate), checked top-down. qty is always an int here, so the
# original "more than 20" is written as "at least 21".
VOLUME_TIERS = (
    (100, Decimal("0.10")),
    (50, Decimal("0.05")),
    (21, Decimal("0.02")),
)


def volume_rate(qty: int) -> Decimal:
    for min_qty, rate in VOLUME_TIERS:
        if qty >= min_qty:
            return rate
    return ZERO


def line_amount(unit_price: Decimal, qty: int, rate: Decimal, legacy_mode: bool) -> Decimal:
    if not rate:
        return round_cents(unit_price * qty)
    if legacy_mode:
        # old batch job: truncate the discounted unit price, then multiply
        return truncate_cents(unit_price * (1 - rate)) * qty
    return round_cents(unit_price * qty * (1 - rate))


def price_line(item, legacy_mode: bool) -> dict:
    rate = volume_rate(item["qty"])
    return {
        "sku": item["sku"],
        "description": item["description"],
        "qty": item["qty"],
        "unit_price": item["unit_price"],
        "discount_rate": rate,
        "amount": line_amount(item["unit_price"], item["qty"], rate, legacy_mode),
        "taxable": bool(item["taxable"]),
    }


# --------------------------------------------------------------------------
# customer tiers


@dataclass(frozen=True)
class TierRule:
    rate: Decimal
    only_above: Decimal | None = None  # subtotal must be strictly greater
    cap: Decimal | None = None


TIER_RULES = {
    "standard": None,
    "gold": TierRule(rate=Decimal("0.05"), only_above=Decimal("500")),
    "platinum": TierRule(rate=Decimal("0.08"), cap=Decimal("200.00")),
}


def tier_discount_for(tier: str, subtotal: Decimal, raw_tier) -> Decimal:
    if tier not in TIER_RULES:
        raise ValueError("unknown customer tier: %r" % raw_tier)
    rule = TIER_RULES[tier]
    if rule is None or (rule.only_above is not None and not subtotal > rule.only_above):
        return ZERO
    discount = round_cents(subtotal * rule.rate)
    if rule.cap is not None and discount > rule.cap:
        return rule.cap
    return discount


# --------------------------------------------------------------------------
# coupons


@dataclass(frozen=True)
class Coupon:
    code: str
    percent: Decimal | None = None  # percent coupons
    amount: Decimal | None = None  # fixed-amount coupons
    minimum: str | None = None  # minimum subtotal after tier discount
    expires: str | None = None  # last valid day, ISO format

    @property
    def is_percent(self) -> bool:
        return self.percent is not None


COUPONS = {
    c.code: c
    for c in (
        Coupon("SAVE10", percent=Decimal("10")),
        Coupon("WELCOME5", amount=Decimal("5.00")),
        Coupon("BULK15", percent=Decimal("15"), minimum="1000.00", expires="2025-12-31"),
        Coupon("SPRING20", amount=Decimal("20.00"), minimum="100.00", expires="2024-06-30"),
    )
}

# coupons that may not be stacked on top of a given tier
EXCLUDED_COMBINATIONS = {("BULK15", "platinum")}


def lookup_coupon(raw_code: str) -> Coupon:
    code = raw_code.strip().upper()
    if code not in COUPONS:
        raise InvoiceError("unknown coupon code: %s" % code)
    return COUPONS[code]


def check_coupon_date(coupon: Coupon, on) -> None:
    if coupon.expires is None:
        return
    if on is None:
        raise InvoiceError("coupon %s requires an invoice date" % coupon.code)
    if isinstance(on, str):
        on = datetime.date.fromisoformat(on)
    if on > datetime.date.fromisoformat(coupon.expires):
        raise InvoiceError("coupon %s expired on %s" % (coupon.code, coupon.expires))


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return round_cents(amount * percent / 100)


# --------------------------------------------------------------------------
# invoice


def compute_total(items, customer, apply_tax=True, legacy_mode=False, coupon=None, on=None):
    """Work out the money for an invoice.

    Returns a dict with the priced lines, subtotal, discounts, tax and total.
    """
    if not items:
        raise InvoiceError("cannot invoice an empty list of items")
    if customer is None or "id" not in customer:
        raise KeyError("customer record must have an 'id'")

    # normalise and price item by item, so a bad item leaves later ones untouched
    lines = [price_line(normalize_item(item), legacy_mode) for item in items]
    subtotal = sum((line["amount"] for line in lines), ZERO)
    taxable = sum((line["amount"] for line in lines if line["taxable"]), ZERO)

    tier = (customer.get("tier") or "standard").lower()
    tier_discount = tier_discount_for(tier, subtotal, customer.get("tier"))
    if tier_discount and subtotal > 0:
        taxable -= round_cents(tier_discount * taxable / subtotal)

    code = None
    coupon_discount = ZERO
    if coupon:
        found = lookup_coupon(coupon)
        code = found.code
        check_coupon_date(found, on)
        if (code, tier) in EXCLUDED_COMBINATIONS:
            raise InvoiceError("coupon %s cannot be combined with %s pricing" % (code, tier))
        after_tier = subtotal - tier_discount
        if found.minimum is not None and after_tier < Decimal(found.minimum):
            raise InvoiceError("coupon %s requires a subtotal of at least %s" % (code, found.minimum))
        if found.is_percent:
            coupon_discount = percent_of(after_tier, found.percent)
            taxable -= percent_of(taxable, found.percent)
        else:
            coupon_discount = _capped_fixed_discount(found, after_tier)

    region = customer.get("region")
    tax = ZERO
    if apply_tax and not customer.get("tax_exempt"):
        region = _checked_region(customer)
        if taxable > 0:
            tax = round_cents(taxable * TAX_RATES[region])

    return {
        "lines": lines,
        "subtotal": subtotal,
        "tier_discount": tier_discount,
        "coupon": code,
        "coupon_discount": coupon_discount,
        "tax": tax,
        "total": subtotal - tier_discount - coupon_discount + tax,
        "currency": currency_for(region),
    }


def _capped_fixed_discount(coupon: Coupon, after_tier: Decimal) -> Decimal:
    if coupon.amount > after_tier:
        print("WARNING: coupon %s exceeds invoice amount, capped at %s" % (coupon.code, after_tier))
        return after_tier
    return coupon.amount


def _checked_region(customer) -> str:
    """Validate the customer's tax region and write the clean code back (callers rely on it)."""
    region = customer.get("region")
    if not region:
        raise InvoiceError("customer %s has no region" % customer["id"])
    region = region.strip().upper()
    if region not in TAX_RATES:
        raise KeyError("unknown tax region: %s" % region)
    customer["region"] = region
    return region


def currency_for(region) -> str:
    prefix = (region or DEFAULT_REGION_PREFIX).split("-")[0].upper()
    return CURRENCY_BY_REGION_PREFIX.get(prefix, DEFAULT_CURRENCY)
