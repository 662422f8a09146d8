"""Invoice pricing: line items, discounts, coupons and tax."""

from decimal import Decimal, InvalidOperation

from billing import rules
from billing.rules import InvoiceError, cents, cents_down


def normalize_item(item):
    """Clean up a line item dict in place and return it (callers read it back)."""
    if "sku" not in item:
        raise KeyError("line item is missing 'sku'")
    sku = item["sku"] = str(item["sku"]).strip().upper()
    if not sku:
        raise ValueError("line item sku must not be empty")

    if "qty" in item:
        qty = item["qty"]
    elif "quantity" in item:
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
    raw_price = item["unit_price"]
    try:
        price = Decimal(str(repr(raw_price) if isinstance(raw_price, float) else raw_price).strip())
    except InvalidOperation:
        raise ValueError("invalid unit price for %s: %r" % (sku, raw_price))
    if price < 0:
        raise ValueError("unit price must not be negative for %s" % sku)
    item["unit_price"] = price

    if "taxable" not in item:
        item["taxable"] = True
    item["description"] = str(item.get("description") or sku).strip()
    return item


class _Pricing:
    """One invoice calculation, step by step."""

    def __init__(self, customer, legacy_mode):
        self.customer = customer
        self.legacy_mode = legacy_mode
        self.lines = []
        self.subtotal = Decimal("0")
        self.taxable = Decimal("0")
        self.tier_discount = Decimal("0")
        self.code = None
        self.coupon_discount = Decimal("0")
        self.tax = Decimal("0")

    def add_item(self, item):
        normalize_item(item)
        price, qty = item["unit_price"], item["qty"]
        rate = rules.volume_discount_rate(qty)
        if not rate:
            amount = cents(price * qty)
        elif self.legacy_mode:
            amount = cents_down(price * (1 - rate)) * qty
        else:
            amount = cents(price * qty * (1 - rate))
        self.subtotal += amount
        if item["taxable"]:
            self.taxable += amount
        self.lines.append({
            "sku": item["sku"],
            "description": item["description"],
            "qty": qty,
            "unit_price": price,
            "discount_rate": rate,
            "amount": amount,
            "taxable": bool(item["taxable"]),
        })

    def apply_tier(self):
        self.tier = (self.customer.get("tier") or "standard").lower()
        discount = rules.tier_discount(self.tier, self.subtotal)
        if discount is None:
            raise ValueError("unknown customer tier: %r" % self.customer.get("tier"))
        self.tier_discount = discount
        if discount and self.subtotal > 0:
            self.taxable -= cents(discount * self.taxable / self.subtotal)

    def apply_coupon(self, raw_code, on):
        coupon = rules.find_coupon(raw_code)
        self.code = coupon.code
        coupon.check_date(on)
        coupon.check_tier(self.tier)
        after_tier = self.subtotal - self.tier_discount
        coupon.check_minimum(after_tier)
        if coupon.kind == "percent":
            self.coupon_discount = cents(after_tier * Decimal(coupon.value) / 100)
            self.taxable -= cents(self.taxable * Decimal(coupon.value) / 100)
            return
        # fixed coupons: capped, and they do not reduce the tax base
        self.coupon_discount = Decimal(coupon.value)
        if self.coupon_discount > after_tier:
            print("WARNING: coupon %s exceeds invoice amount, capped at %s" % (coupon.code, after_tier))
            self.coupon_discount = after_tier

    def apply_tax(self):
        """Returns the region as used for tax; writes it back into the customer."""
        region = self.customer.get("region")
        if not region:
            raise InvoiceError("customer %s has no region" % self.customer["id"])
        region = region.strip().upper()
        if region not in rules.TAX_RATES:
            raise KeyError("unknown tax region: %s" % region)
        self.customer["region"] = region
        if self.taxable > 0:
            self.tax = cents(self.taxable * rules.TAX_RATES[region])
        return region

    def result(self, region):
        return {
            "lines": self.lines,
            "subtotal": self.subtotal,
            "tier_discount": self.tier_discount,
            "coupon": self.code,
            "coupon_discount": self.coupon_discount,
            "tax": self.tax,
            "total": self.subtotal - self.tier_discount - self.coupon_discount + self.tax,
            "currency": rules.currency_for(region),
        }


def compute_total(items, customer, apply_tax=True, legacy_mode=False, coupon=None, on=None):
    """Work out the money for an invoice.

    Returns a dict with the priced lines, subtotal, discounts, tax and total.
    """
    if not items:
        raise InvoiceError("cannot invoice an empty list of items")
    if customer is None or "id" not in customer:
        raise KeyError("customer record must have an 'id'")
    pricing = _Pricing(customer, legacy_mode)
    for item in items:
        pricing.add_item(item)
    pricing.apply_tier()
    if coupon:
        pricing.apply_coupon(coupon, on)
    region = customer.get("region")
    if apply_tax and not customer.get("tax_exempt"):
        region = pricing.apply_tax()
    return pricing.result(region)
