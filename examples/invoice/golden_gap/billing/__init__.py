"""Billing package: invoice pricing, rendering and the invoice book.

The public API is unchanged from the single-module version; the code now lives in
``billing.pricing`` (money maths), ``billing.render`` (text output) and
``billing.ledger`` (the invoice book).
"""

from billing.ledger import InvoiceBook
from billing.pricing import TAX_RATES, InvoiceError, compute_total, normalize_item
from billing.render import format_money, render_invoice

__all__ = [
    "TAX_RATES",
    "InvoiceBook",
    "InvoiceError",
    "compute_total",
    "format_money",
    "normalize_item",
    "render_invoice",
]
