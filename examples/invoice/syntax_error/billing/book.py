"""Invoice text layout and the invoice book."""

import datetime
from decimal import Decimal

from billing.pricing import compute_total
from billing.rules import InvoiceError, format_money

WIDTH = 48


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

    def void(self, number, reason)
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
