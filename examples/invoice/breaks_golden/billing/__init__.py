"""Billing package: invoice pricing, rendering and the invoice book."""

from billing.output import InvoiceBook, format_money, render_invoice
from billing.pricing import TAX_RATES, InvoiceError, compute_total, normalize_item

__all__ = [
    "TAX_RATES",
    "InvoiceBook",
    "InvoiceError",
    "compute_total",
    "format_money",
    "normalize_item",
    "render_invoice",
]
