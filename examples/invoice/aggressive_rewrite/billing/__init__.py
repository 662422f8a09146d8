"""Billing package: invoice pricing, rendering and the invoice book.

Rewritten from the single legacy ``invoice.py``:

* ``rules``    -- the business tables: tax rates, currencies, volume and customer
                  tiers, coupons (as small classes)
* ``money``    -- cents, rounding and ``format_money``
* ``items``    -- ``normalize_item`` (in place, step by step)
* ``pricing``  -- ``compute_total`` as a pipeline of phases over a ``_Quote``
* ``layout``   -- ``render_invoice``
* ``book``     -- ``InvoiceBook``
"""

from .book import InvoiceBook
from .errors import InvoiceError
from .items import normalize_item
from .layout import render_invoice
from .money import format_money
from .pricing import compute_total
from .rules import TAX_RATES

__all__ = [
    "TAX_RATES",
    "InvoiceBook",
    "InvoiceError",
    "compute_total",
    "format_money",
    "normalize_item",
    "render_invoice",
]
