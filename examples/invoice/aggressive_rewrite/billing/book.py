"""InvoiceBook: the invoices issued in one billing run, numbered in order.

``prefix``, ``next_number``, ``invoices`` (number -> invoice dict) and ``order`` (numbers
as issued) are public and kept as they always were.
"""

import datetime
from decimal import Decimal

from .errors import InvoiceError
from .layout import render_invoice
from .pricing import compute_total

_NUMBER_FORMAT = "%s-%05d"


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

    def _take_number(self):
        number = _NUMBER_FORMAT % (self.prefix, self.next_number)
        self.next_number += 1
        return number

    def _live(self):
        """The invoices not voided, in the order they were issued."""
        return (inv for inv in map(self.invoices.__getitem__, self.order) if not inv["void"])

    def add(self, items, customer, issued, coupon=None, apply_tax=True):
        if issued is None:
            raise ValueError("an issue date is required")
        if isinstance(issued, str):
            issued = datetime.date.fromisoformat(issued)
        invoice = compute_total(items, customer, apply_tax=apply_tax, coupon=coupon, on=issued)
        number = self._take_number()
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

    def outstanding(self):
        return sum((inv["total"] for inv in self._live()), Decimal("0.00"))

    def totals_by_customer(self):
        totals = {}
        for inv in self._live():
            cid = inv["customer"]["id"]
            totals[cid] = totals[cid] + inv["total"] if cid in totals else inv["total"]
        return {cid: totals[cid] for cid in sorted(totals)}

    def render(self, number):
        invoice = self.get(number)
        return render_invoice(invoice, invoice["customer"], number=number, issued=invoice["issued"])
