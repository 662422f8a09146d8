"""Billing package: invoice pricing, rendering and the invoice book."""

from billing.invoice import InvoiceBook, compute_total, normalize_item, render_invoice
from billing.rules import TAX_RATES, InvoiceError, format_money

__all__ = [
    "TAX_RATES",
    "InvoiceBook",
    "InvoiceError",
    "compute_total",
    "format_money",
    "normalize_item",
    "render_invoice",
]
