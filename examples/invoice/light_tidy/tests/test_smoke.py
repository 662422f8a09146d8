from decimal import Decimal

from billing import InvoiceBook, compute_total


def test_simple_invoice_total():
    inv = compute_total([{"sku": "a", "qty": 2, "unit_price": "10.00"}], {"id": "C1", "region": "US-CA"})
    assert inv["total"] == Decimal("21.45")


def test_book_numbers():
    book = InvoiceBook()
    assert book.add([{"sku": "a", "unit_price": "1"}], {"id": "C1", "region": "UK"}, "2024-01-01") == "INV-00001"
