"""The invoice book: numbers and keeps the invoices of one billing run."""

import datetime
from decimal import Decimal

from billing.pricing import InvoiceError, compute_total
from billing.render import render_invoice


class InvoiceBook:
    """Keeps the invoices issued in one billing run and numbers them."""

    NUMBER_FORMAT = "%s-%05d"

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
        issued = _parse_issued(issued)
        invoice = compute_total(items, customer, apply_tax=apply_tax, coupon=coupon, on=issued)
        # a number is only taken once the invoice computed successfully
        number = self.NUMBER_FORMAT % (self.prefix, self.next_number)
        self.next_number += 1
        invoice.update(number=number, issued=issued, customer=dict(customer), void=False)
        self.invoices[number] = invoice
        self.order.append(number)
        return number

    def get(self, number):
        if number not in self.invoices:
            raise KeyError("no such invoice: %s" % number)
        return self.invoices[number]

    def void(self, number, reason):
        invoice = self.get(number)
        if invoice["void"]:
            raise InvoiceError("invoice %s is already void" % number)
        if not reason or not reason.strip():
            raise ValueError("a reason is required to void an invoice")
        invoice["void"] = True
        invoice["void_reason"] = reason.strip()

    def _live_invoices(self):
        """Non-void invoices in the order they were added."""
        return (self.invoices[n] for n in self.order if not self.invoices[n]["void"])

    def outstanding(self):
        return sum((invoice["total"] for invoice in self._live_invoices()), Decimal("0.00"))

    def totals_by_customer(self):
        totals = {}
        for invoice in self._live_invoices():
            cid = invoice["customer"]["id"]
            totals[cid] = totals[cid] + invoice["total"] if cid in totals else invoice["total"]
        return {cid: totals[cid] for cid in sorted(totals)}

    def render(self, number):
        invoice = self.get(number)
        return render_invoice(invoice, invoice["customer"], number=number, issued=invoice["issued"])


def _parse_issued(issued):
    if issued is None:
        raise ValueError("an issue date is required")
    if isinstance(issued, str):
        return datetime.date.fromisoformat(issued)
    return issued
