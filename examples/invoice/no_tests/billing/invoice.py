"""Invoice pricing, text rendering and the invoice book."""

import datetime
from decimal import Decimal, InvalidOperation

from billing import rules
from billing.rules import InvoiceError, cents, cents_down, format_money

WIDTH = 48


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


def render_invoice(invoice, customer, number=None, issued=None):
    """Fixed-width (48 column) text invoice, as emailed to customers."""
    head = "INVOICE %s" % (number or "DRAFT")
    if issued is not None:
        issued_text = issued if isinstance(issued, str) else issued.isoformat()
        head += issued_text.rjust(WIDTH - len(head))
    out = ["=" * WIDTH, head]
    if invoice.get("void"):
        out.append("*** VOID ***".center(WIDTH))
    out.append("Bill to: %s (%s)" % (customer.get("name", "?"), customer["id"]))
    if customer.get("region"):
        out.append("Region: %s" % customer["region"])
    out += ["-" * WIDTH, "%-10s %-18s %5s %12s" % ("SKU", "DESCRIPTION", "QTY", "AMOUNT")]
    for line in invoice["lines"]:
        desc = line["description"]
        if len(desc) > 18:
            desc = desc[:15] + "..."
        out.append("%-10s %-18s %5d %12s" % (line["sku"], desc, line["qty"], format_money(line["amount"])))
        if line["discount_rate"] > 0:
            out.append("%-10s   volume discount %d%%" % ("", int(line["discount_rate"] * 100)))
    out.append("-" * WIDTH)
    summary = [("Subtotal:", format_money(invoice["subtotal"]))]
    if invoice["tier_discount"]:
        summary.append(("Tier discount:", "-" + format_money(invoice["tier_discount"])))
    if invoice["coupon_discount"]:
        summary.append(("Coupon %s:" % invoice["coupon"], "-" + format_money(invoice["coupon_discount"])))
    summary.append(("Tax:", format_money(invoice["tax"])))
    summary.append(("TOTAL:", format_money(invoice["total"], invoice["currency"])))
    out += ["%34s %13s" % row for row in summary]
    out.append("=" * WIDTH)
    return "\n".join(out) + "\n"


class InvoiceBook:
    """Keeps the invoices issued in one billing run and numbers them."""

    def __init__(self, prefix="INV", start=1):
        if start < 1:
            raise ValueError("invoice numbers start at 1 or higher")
        self.prefix = prefix.upper()
        self.next_number = start
        self.invoices = {}
        self.order = []

    def __len__(self):
        return len(self.order)

    def add(self, items, customer, issued, coupon=None, apply_tax=True):
        if issued is None:
            raise ValueError("an issue date is required")
        if isinstance(issued, str):
            issued = datetime.date.fromisoformat(issued)
        inv = compute_total(items, customer, apply_tax=apply_tax, coupon=coupon, on=issued)
        number = "%s-%05d" % (self.prefix, self.next_number)
        self.next_number += 1
        inv.update({"number": number, "issued": issued, "customer": dict(customer), "void": False})
        self.invoices[number] = inv
        self.order.append(number)
        return number

    def get(self, number):
        try:
            return self.invoices[number]
        except KeyError:
            raise KeyError("no such invoice: %s" % number) from None

    def void(self, number, reason):
        inv = self.get(number)
        if inv["void"]:
            raise InvoiceError("invoice %s is already void" % number)
        if not reason or not reason.strip():
            raise ValueError("a reason is required to void an invoice")
        inv["void"] = True
        inv["void_reason"] = reason.strip()

    def _live(self):
        for number in self.order:
            if not self.invoices[number]["void"]:
                yield self.invoices[number]

    def outstanding(self):
        total = Decimal("0.00")
        for inv in self._live():
            total += inv["total"]
        return total

    def totals_by_customer(self):
        totals = {}
        for inv in self._live():
            cid = inv["customer"]["id"]
            totals[cid] = totals[cid] + inv["total"] if cid in totals else inv["total"]
        return {cid: totals[cid] for cid in sorted(totals)}

    def render(self, number):
        inv = self.get(number)
        return render_invoice(inv, inv["customer"], number=number, issued=inv["issued"])
