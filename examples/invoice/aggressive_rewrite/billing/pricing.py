"""compute_total(): pricing an invoice as a pipeline of phases.

lines (volume discounts) -> customer tier -> coupon -> sales tax -> currency.  Each phase
reads and updates a ``_Quote``; the result is the plain dict callers have always had.
"""

from dataclasses import dataclass, field, fields
from decimal import ROUND_DOWN, Decimal

from .errors import InvoiceError
from .items import normalize_item
from .money import ZERO, to_cents
from .rules import COUPONS, DEFAULT_TIER, TAX_RATES, TIER_DISCOUNTS, currency_for, volume_rate


@dataclass(frozen=True)
class _PricedLine:
    sku: str
    description: str
    qty: int
    unit_price: Decimal
    discount_rate: Decimal
    amount: Decimal
    taxable: bool

    def as_dict(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class _Quote:
    lines: list = field(default_factory=list)
    subtotal: Decimal = ZERO
    taxable: Decimal = ZERO
    tier_discount: Decimal = ZERO
    coupon: str | None = None
    coupon_discount: Decimal = ZERO
    tax: Decimal = ZERO

    def add(self, line):
        self.lines.append(line.as_dict())
        self.subtotal += line.amount
        if line.taxable:
            self.taxable += line.amount

    def result(self, currency):
        return {
            "lines": self.lines,
            "subtotal": self.subtotal,
            "tier_discount": self.tier_discount,
            "coupon": self.coupon,
            "coupon_discount": self.coupon_discount,
            "tax": self.tax,
            "total": self.subtotal - self.tier_discount - self.coupon_discount + self.tax,
            "currency": currency,
        }


def _line_amount(price, qty, rate, legacy_mode):
    if not rate:
        # undiscounted lines: the legacy batch job did not touch these either
        return to_cents(price * qty)
    if legacy_mode:
        # the old nightly job: discounted unit price cut to cents, then times qty
        return to_cents(price * (1 - rate), ROUND_DOWN) * qty
    return to_cents(price * qty * (1 - rate))


def _priced(item, legacy_mode):
    qty, price = item["qty"], item["unit_price"]
    rate = volume_rate(qty)
    return _PricedLine(
        sku=item["sku"],
        description=item["description"],
        qty=qty,
        unit_price=price,
        discount_rate=rate,
        amount=_line_amount(price, qty, rate, legacy_mode),
        taxable=bool(item["taxable"]),
    )


def _price_lines(quote, items, legacy_mode):
    for item in items:
        quote.add(_priced(normalize_item(item), legacy_mode))


def _apply_tier(quote, customer):
    tier = (customer.get("tier") or DEFAULT_TIER).lower()
    discount_for = TIER_DISCOUNTS.get(tier)
    if discount_for is None:
        raise ValueError("unknown customer tier: %r" % customer.get("tier"))
    quote.tier_discount = discount_for(quote.subtotal)
    if quote.tier_discount and quote.subtotal > 0:
        # the tier discount comes off the taxable part in proportion
        quote.taxable -= to_cents(quote.tier_discount * quote.taxable / quote.subtotal)
    return tier


def _apply_coupon(quote, coupon, tier, on):
    if not coupon:
        return
    code = coupon.strip().upper()
    rule = COUPONS.get(code)
    if rule is None:
        raise InvoiceError("unknown coupon code: %s" % code)
    after_tier = quote.subtotal - quote.tier_discount
    rule.check(code, tier, on, after_tier)
    quote.coupon = code
    quote.coupon_discount, quote.taxable = rule.apply(code, after_tier, quote.taxable)


def _apply_tax(quote, customer, apply_tax):
    """Returns the region the currency is chosen by (normalised only when taxed)."""
    region = customer.get("region")
    if not apply_tax or customer.get("tax_exempt"):
        return region
    if not region:
        raise InvoiceError("customer %s has no region" % customer["id"])
    region = region.strip().upper()
    if region not in TAX_RATES:
        raise KeyError("unknown tax region: %s" % region)
    customer["region"] = region  # callers read the cleaned region back
    if quote.taxable > 0:
        quote.tax = to_cents(quote.taxable * TAX_RATES[region])
    return region


def compute_total(items, customer, apply_tax=True, legacy_mode=False, coupon=None, on=None):
    """Work out the money for an invoice.

    Returns a dict with the priced lines, subtotal, discounts, tax and total.
    """
    if not items:
        raise InvoiceError("cannot invoice an empty list of items")
    if customer is None or "id" not in customer:
        raise KeyError("customer record must have an 'id'")
    quote = _Quote()
    _price_lines(quote, items, legacy_mode)
    tier = _apply_tier(quote, customer)
    _apply_coupon(quote, coupon, tier, on)
    region = _apply_tax(quote, customer, apply_tax)
    return quote.result(currency_for(region))
