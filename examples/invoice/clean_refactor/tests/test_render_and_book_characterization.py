import datetime
from decimal import Decimal

import pytest

from billing import InvoiceBook, InvoiceError, compute_total, format_money, render_invoice


def test_render_long_number_and_truncation():
    cust = {"id": "Q1", "name": "Quill & Co", "region": "EU-DE"}
    inv = compute_total(
        [{"sku": "pen", "qty": 60, "unit_price": "1.20", "description": "Fountain pen, extra fine"}],
        cust,
        coupon="SAVE10",
    )
    text = render_invoice(inv, cust, number="CR-123", issued="2023-11-30")
    assert text == (
        "================================================\n"
        "INVOICE CR-123                        2023-11-30\n"
        "Bill to: Quill & Co (Q1)\n"
        "Region: EU-DE\n"
        "------------------------------------------------\n"
        "SKU        DESCRIPTION          QTY       AMOUNT\n"
        "PEN        Fountain pen, e...    60        68.40\n"
        "             volume discount 5%\n"
        "------------------------------------------------\n"
        "                         Subtotal:         68.40\n"
        "                    Coupon SAVE10:         -6.84\n"
        "                              Tax:         11.70\n"
        "                            TOTAL:     EUR 73.26\n"
        "================================================\n"
    )


def test_format_money_rounds_with_context_rounding():
    assert format_money(Decimal("0.125")) == "0.12"
    assert format_money(12, "") == "12.00"


def test_book_state_and_numbering():
    book = InvoiceBook(prefix="cr", start=99999)
    n1 = book.add([{"sku": "a", "unit_price": "1"}], {"id": "Z", "region": "US-OR"}, datetime.date(2024, 2, 29))
    n2 = book.add([{"sku": "a", "unit_price": "1"}], {"id": "Z", "region": "US-OR"}, "2024-03-01")
    assert (n1, n2) == ("CR-99999", "CR-100000")
    assert book.next_number == 100001
    assert book.order == [n1, n2]
    assert list(book.get(n1))[-4:] == ["number", "issued", "customer", "void"]


def test_book_stores_a_copy_of_the_customer():
    cust = {"id": "Z", "region": "us-or", "name": "Zed"}
    book = InvoiceBook()
    number = book.add([{"sku": "a", "unit_price": "1"}], cust, "2024-03-01")
    cust["name"] = "Changed"
    assert book.get(number)["customer"] == {"id": "Z", "region": "US-OR", "name": "Zed"}


def test_book_empty_totals_and_void_rules():
    book = InvoiceBook()
    assert repr(book.outstanding()) == "Decimal('0.00')"
    assert book.totals_by_customer() == {}
    number = book.add([{"sku": "a", "unit_price": "3"}], {"id": "Z", "tax_exempt": True}, "2024-03-01")
    with pytest.raises(ValueError, match="a reason is required"):
        book.void(number, None)
    book.void(number, "x")
    with pytest.raises(InvoiceError, match="already void"):
        book.void(number, "x")
    assert book.outstanding() == 0
    assert len(book) == 1
