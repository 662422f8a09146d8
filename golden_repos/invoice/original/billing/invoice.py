"""Invoice calculations for the billing service.

Prices, volume discounts, customer tiers, coupons and sales tax for customer
invoices, plus the plain-text invoice layout that gets emailed to customers.

Historical notes (please read before touching anything):
  * legacy_mode reproduces the rounding of the old nightly batch job. The
    reconciliation report still calls it that way, so it has to stay.
  * Callers rely on line items being normalised IN PLACE: the order screen
    reads the cleaned-up sku, qty and unit_price back out of the same dicts.
  * Fixed-amount coupons do not reduce the tax base (finance rule, 2019).
"""

import datetime
from decimal import Decimal, InvalidOperation, ROUND_DOWN, ROUND_HALF_UP

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


class InvoiceError(Exception):
    """Something about the invoice request does not make sense."""


def format_money(amount, currency=None):
    s = "{:,.2f}".format(amount)
    if currency:
        s = currency + " " + s
    return s


def normalize_item(item):
    """Clean up a line item dict in place and return it."""
    if "sku" not in item:
        raise KeyError("line item is missing 'sku'")
    item["sku"] = str(item["sku"]).strip().upper()
    if item["sku"] == "":
        raise ValueError("line item sku must not be empty")
    if "qty" in item:
        q = item["qty"]
    elif "quantity" in item:
        # old order screen sends 'quantity'
        q = item.pop("quantity")
    else:
        q = 1
    if isinstance(q, str):
        q = q.strip()
    try:
        q = int(q)
    except (TypeError, ValueError):
        raise ValueError("invalid quantity for %s: %r" % (item["sku"], q))
    if q <= 0:
        raise ValueError("quantity must be positive for %s" % item["sku"])
    item["qty"] = q
    if "unit_price" not in item:
        raise KeyError("line item %s is missing 'unit_price'" % item["sku"])
    p = item["unit_price"]
    if isinstance(p, float):
        p = repr(p)
    try:
        p = Decimal(str(p).strip())
    except InvalidOperation:
        raise ValueError("invalid unit price for %s: %r" % (item["sku"], item["unit_price"]))
    if p < 0:
        raise ValueError("unit price must not be negative for %s" % item["sku"])
    item["unit_price"] = p
    if "taxable" not in item:
        item["taxable"] = True
    item["description"] = str(item.get("description") or item["sku"]).strip()
    return item


def compute_total(items, customer, apply_tax=True, legacy_mode=False, coupon=None, on=None):
    """Work out the money for an invoice.

    Returns a dict with the priced lines, subtotal, discounts, tax and total.
    """
    if not items:
        raise InvoiceError("cannot invoice an empty list of items")
    if customer is None or "id" not in customer:
        raise KeyError("customer record must have an 'id'")
    lines = []
    subtotal = Decimal("0")
    taxable = Decimal("0")
    for item in items:
        normalize_item(item)
        if item["qty"] >= 100:
            rate = Decimal("0.10")
            if legacy_mode:
                amount = (item["unit_price"] * (1 - rate)).quantize(Decimal("0.01"), rounding=ROUND_DOWN) * item["qty"]
            else:
                amount = (item["unit_price"] * item["qty"] * (1 - rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        elif item["qty"] >= 50:
            rate = Decimal("0.05")
            if legacy_mode:
                amount = (item["unit_price"] * (1 - rate)).quantize(Decimal("0.01"), rounding=ROUND_DOWN) * item["qty"]
            else:
                amount = (item["unit_price"] * item["qty"] * (1 - rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        elif item["qty"] > 20:
            rate = Decimal("0.02")
            if legacy_mode:
                amount = (item["unit_price"] * (1 - rate)).quantize(Decimal("0.01"), rounding=ROUND_DOWN) * item["qty"]
            else:
                amount = (item["unit_price"] * item["qty"] * (1 - rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        else:
            # no volume discount; legacy batch job did not touch these lines either
            rate = Decimal("0")
            amount = (item["unit_price"] * item["qty"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
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
    tier_discount = Decimal("0")
    if tier == "gold":
        if subtotal > 500:
            tier_discount = (subtotal * Decimal("0.05")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    elif tier == "platinum":
        tier_discount = (subtotal * Decimal("0.08")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if tier_discount > 200:
            tier_discount = Decimal("200.00")
    elif tier != "standard":
        raise ValueError("unknown customer tier: %r" % customer.get("tier"))
    if tier_discount and subtotal > 0:
        taxable = taxable - (tier_discount * taxable / subtotal).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    code = None
    coupon_discount = Decimal("0")
    if coupon:
        code = coupon.strip().upper()
        if code not in COUPONS:
            raise InvoiceError("unknown coupon code: %s" % code)
        kind, value, minimum, expires = COUPONS[code]
        if expires is not None:
            if on is None:
                raise InvoiceError("coupon %s requires an invoice date" % code)
            else:
                if isinstance(on, str):
                    on = datetime.date.fromisoformat(on)
                if on > datetime.date.fromisoformat(expires):
                    raise InvoiceError("coupon %s expired on %s" % (code, expires))
        if code == "BULK15" and tier == "platinum":
            raise InvoiceError("coupon BULK15 cannot be combined with platinum pricing")
        after_tier = subtotal - tier_discount
        if minimum is not None:
            if after_tier < Decimal(minimum):
                raise InvoiceError("coupon %s requires a subtotal of at least %s" % (code, minimum))
        if kind == "percent":
            coupon_discount = (after_tier * Decimal(value) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            taxable = taxable - (taxable * Decimal(value) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        else:
            coupon_discount = Decimal(value)
            if coupon_discount > after_tier:
                print("WARNING: coupon %s exceeds invoice amount, capped at %s" % (code, after_tier))
                coupon_discount = after_tier

    tax = Decimal("0")
    region = customer.get("region")
    if apply_tax:
        if customer.get("tax_exempt"):
            tax = Decimal("0")
        else:
            if not region:
                raise InvoiceError("customer %s has no region" % customer["id"])
            region = region.strip().upper()
            if region not in TAX_RATES:
                raise KeyError("unknown tax region: %s" % region)
            customer["region"] = region
            if taxable > 0:
                tax = (taxable * TAX_RATES[region]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

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


def render_invoice(invoice, customer, number=None, issued=None):
    """Fixed-width (48 column) text invoice, as emailed to customers."""
    out = []
    out.append("=" * 48)
    head = "INVOICE %s" % (number or "DRAFT")
    if issued is not None:
        if isinstance(issued, str):
            d = issued
        else:
            d = issued.isoformat()
        head = head + d.rjust(48 - len(head))
    out.append(head)
    if invoice.get("void"):
        out.append("*** VOID ***".center(48))
    out.append("Bill to: %s (%s)" % (customer.get("name", "?"), customer["id"]))
    if customer.get("region"):
        out.append("Region: %s" % customer["region"])
    out.append("-" * 48)
    out.append("%-10s %-18s %5s %12s" % ("SKU", "DESCRIPTION", "QTY", "AMOUNT"))
    for line in invoice["lines"]:
        desc = line["description"]
        if len(desc) > 18:
            desc = desc[:15] + "..."
        out.append("%-10s %-18s %5d %12s" % (line["sku"], desc, line["qty"], format_money(line["amount"])))
        if line["discount_rate"] > 0:
            out.append("%-10s   volume discount %d%%" % ("", int(line["discount_rate"] * 100)))
    out.append("-" * 48)
    out.append("%34s %13s" % ("Subtotal:", format_money(invoice["subtotal"])))
    if invoice["tier_discount"]:
        out.append("%34s %13s" % ("Tier discount:", "-" + format_money(invoice["tier_discount"])))
    if invoice["coupon_discount"]:
        out.append("%34s %13s" % ("Coupon %s:" % invoice["coupon"], "-" + format_money(invoice["coupon_discount"])))
    out.append("%34s %13s" % ("Tax:", format_money(invoice["tax"])))
    out.append("%34s %13s" % ("TOTAL:", format_money(invoice["total"], invoice["currency"])))
    out.append("=" * 48)
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
        inv["number"] = number
        inv["issued"] = issued
        inv["customer"] = dict(customer)
        inv["void"] = False
        self.invoices[number] = inv
        self.order.append(number)
        return number

    def get(self, number):
        if number not in self.invoices:
            raise KeyError("no such invoice: %s" % number)
        return self.invoices[number]

    def void(self, number, reason):
        inv = self.get(number)
        if inv["void"]:
            raise InvoiceError("invoice %s is already void" % number)
        if not reason or not reason.strip():
            raise ValueError("a reason is required to void an invoice")
        inv["void"] = True
        inv["void_reason"] = reason.strip()

    def outstanding(self):
        total = Decimal("0.00")
        for number in self.order:
            if not self.invoices[number]["void"]:
                total = total + self.invoices[number]["total"]
        return total

    def totals_by_customer(self):
        result = {}
        for number in self.order:
            inv = self.invoices[number]
            if inv["void"]:
                continue
            cid = inv["customer"]["id"]
            if cid in result:
                result[cid] = result[cid] + inv["total"]
            else:
                result[cid] = inv["total"]
        return {cid: result[cid] for cid in sorted(result)}

    def render(self, number):
        inv = self.get(number)
        return render_invoice(inv, inv["customer"], number=number, issued=inv["issued"])
