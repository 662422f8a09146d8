"""Billing package: invoice pricing, rendering and the invoice book."""

from billing.book import InvoiceBook, render_invoice
from billing.pricing import compute_total, normalize_item
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
