"""Billing package: invoice pricing, rendering and the invoice book."""

from billing.invoice import (
    TAX_RATES,
    InvoiceBook,
    InvoiceError,
    compute_total,
    format_money,
    normalize_item,
    render_invoice,
)

__all__ = [
    "TAX_RATES",
    "InvoiceBook",
    "InvoiceError",
    "compute_total",
    "format_money",
    "normalize_item",
    "render_invoice",
]
