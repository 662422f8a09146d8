"""Text rendering of invoices and the invoice book."""

import datetime
from decimal import Decimal

from billing.pricing import InvoiceError, compute_total

PAGE_WIDTH = 48


def format_money(amount, currency=None):
    text = "{:,.2f}".format(amount)
    if currency:
        text = currency + " " + text
    return text


def _summary_row(label, value):
    return "%34s %13s" % (label, value)


def render_invoice(invoice, customer, number=None, issued=None):
    """Fixed-width (48 column) text invoice, as emailed to customers."""
    out = ["=" * PAGE_WIDTH]
    head = "INVOICE %s" % (number or "DRAFT")
    if issued is not None:
        date_text = issued if isinstance(issued, str) else issued.isoformat()
        head = head + date_text.rjust(PAGE_WIDTH - len(head))
    out.append(head)
    if invoice.get("void"):
        out.append("*** VOID ***".center(PAGE_WIDTH))
    out.append("Bill to: %s (%s)" % (customer.get("name", "?"), customer["id"]))
    if customer.get("region"):
        out.append("Region: %s" % customer["region"])
    out.append("-" * PAGE_WIDTH)
    out.append("%-10s %-18s %5s %12s" % ("SKU", "DESCRIPTION", "QTY", "AMOUNT"))
    for line in invoice["lines"]:
        desc = line["description"]
        if len(desc) > 18:
            desc = desc[:15] + "..."
        out.append("%-10s %-18s %5d %12s" % (line["sku"], desc, line["qty"], format_money(line["amount"])))
        if line["discount_rate"] > 0:
            out.append("%-10s   volume discount %d%%" % ("", int(line["discount_rate"] * 100)))
    out.append("-" * PAGE_WIDTH)
    out.append(_summary_row("Subtotal:", format_money(invoice["subtotal"])))
    if invoice["tier_discount"]:
        out.append(_summary_row("Tier discount:", "-" + format_money(invoice["tier_discount"])))
    if invoice["coupon_discount"]:
        out.append(_summary_row("Coupon %s:" % invoice["coupon"], "-" + format_money(invoice["coupon_discount"])))
    out.append(_summary_row("Tax:", format_money(invoice["tax"])))
    out.append(_summary_row("TOTAL:", format_money(invoice["total"], invoice["currency"])))
    out.append("=" * PAGE_WIDTH)
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

    def _live(self):
        return [self.invoices[number] for number in self.order if not self.invoices[number]["void"]]

    def outstanding(self):
        total = Decimal("0.00")
        for inv in self._live():
            total = total + inv["total"]
        return total

    def totals_by_customer(self):
        result = {}
        for inv in self._live():
            cid = inv["customer"]["id"]
            if cid in result:
                result[cid] = result[cid] + inv["total"]
            else:
                result[cid] = inv["total"]
        return {cid: result[cid] for cid in sorted(result)}

    def render(self, number):
        inv = self.get(number)
        return render_invoice(inv, inv["customer"], number=number, issued=inv["issued"])
