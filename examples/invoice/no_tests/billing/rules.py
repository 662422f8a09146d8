"""Business rules as data: rates, tiers, coupons, currencies, rounding."""

import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple, Optional

CENT = Decimal("0.01")
NO_DISCOUNT = Decimal("0")

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

CURRENCIES = {"US": "USD", "EU": "EUR", "UK": "GBP"}


class InvoiceError(Exception):
    """Something about the invoice request does not make sense."""


def cents(amount):
    """Round half-up to whole cents (the normal rule)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cents_down(amount):
    """Truncate to whole cents (legacy batch job rule)."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def format_money(amount, currency=None):
    text = "{:,.2f}".format(amount)
    if currency:
        return currency + " " + text
    return text


def volume_discount_rate(qty):
    """Per-line volume discount; note the mixed >= / > thresholds."""
    if qty >= 100:
        return Decimal("0.10")
    if qty >= 50:
        return Decimal("0.05")
    if qty > 20:
        return Decimal("0.02")
    return NO_DISCOUNT


def tier_discount(tier, subtotal):
    """Discount for a (lower-cased) tier, or None if the tier is unknown."""
    if tier == "standard":
        return NO_DISCOUNT
    if tier == "gold":
        return cents(subtotal * Decimal("0.05")) if subtotal > 500 else NO_DISCOUNT
    if tier == "platinum":
        discount = cents(subtotal * Decimal("0.08"))
        return Decimal("200.00") if discount > 200 else discount
    return None


class Coupon(NamedTuple):
    code: str
    kind: str  # "percent" or "fixed"
    value: str
    minimum: Optional[str] = None
    expires: Optional[str] = None
    excluded_tier: Optional[str] = None

    def check_date(self, on):
        if self.expires is None:
            return
        if on is None:
            raise InvoiceError("coupon %s requires an invoice date" % self.code)
        if isinstance(on, str):
            on = datetime.date.fromisoformat(on)
        if on > datetime.date.fromisoformat(self.expires):
            raise InvoiceError("coupon %s expired on %s" % (self.code, self.expires))

    def check_tier(self, tier):
        if tier == self.excluded_tier:
            raise InvoiceError("coupon %s cannot be combined with %s pricing" % (self.code, tier))

    def check_minimum(self, amount):
        if self.minimum is not None and amount < Decimal(self.minimum):
            raise InvoiceError("coupon %s requires a subtotal of at least %s" % (self.code, self.minimum))


COUPONS = {
    coupon.code: coupon
    for coupon in [
        Coupon("SAVE10", "percent", "10"),
        Coupon("WELCOME5", "fixed", "5.00"),
        Coupon("BULK15", "percent", "15", minimum="1000.00", expires="2025-12-31", excluded_tier="platinum"),
        Coupon("SPRING20", "fixed", "20.00", minimum="100.00", expires="2024-06-30"),
    ]
}


def find_coupon(raw_code):
    code = raw_code.strip().upper()
    try:
        return COUPONS[code]
    except KeyError:
        raise InvoiceError("unknown coupon code: %s" % code) from None


def currency_for(region):
    return CURRENCIES.get((region or "US").split("-")[0].upper(), "USD")
