# Examples of how the billing service uses the package; the starter repo ships these.
from decimal import Decimal

from billing import InvoiceBook, compute_total, render_invoice


def test_an_untaxed_invoice_adds_up_its_lines():
    items = [
        {"sku": "pen", "qty": 3, "unit_price": "1.50"},
        {"sku": "pad", "qty": 2, "unit_price": "4.00"},
    ]
    invoice = compute_total(items, {"id": "C7", "region": "US-CA"}, apply_tax=False)
    assert invoice["total"] == Decimal("12.50")
    assert isinstance(invoice["total"], Decimal)
    assert [line["sku"] for line in invoice["lines"]] == ["PEN", "PAD"]


def test_a_draft_invoice_renders_as_text():
    customer = {"id": "C7", "name": "Example Co", "tax_exempt": True}
    text = render_invoice(compute_total([{"sku": "pen", "unit_price": "2"}], customer), customer)
    assert "INVOICE DRAFT" in text.splitlines()[1]
    assert "Example Co" in text


def test_the_book_numbers_invoices_in_order():
    book = InvoiceBook()
    customer = {"id": "C7", "region": "US-CA"}
    first = book.add([{"sku": "pen", "unit_price": "2"}], customer, "2024-01-02")
    second = book.add([{"sku": "pad", "unit_price": "4"}], customer, "2024-01-03")
    assert (first, second) == ("INV-00001", "INV-00002")
    assert len(book) == 2
