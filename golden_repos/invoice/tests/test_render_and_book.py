import datetime
from decimal import Decimal

import pytest

import billing
from billing import InvoiceBook, InvoiceError


def northwind():
    return {"id": "C042", "name": "Northwind Traders", "region": "US-WA", "tier": "gold"}


def northwind_items():
    return [
        {"sku": "wid-01", "qty": 250, "unit_price": "4.75", "description": "Widget, stainless steel"},
        {"sku": "SVC", "unit_price": "250", "taxable": False, "description": "Installation (2 h)"},
        {"sku": "cab-2", "qty": 4, "unit_price": "12.40", "description": "Cable 2m"},
    ]


EXPECTED_NORTHWIND = """\
================================================
INVOICE INV-00042                     2024-03-01
Bill to: Northwind Traders (C042)
Region: US-WA
------------------------------------------------
SKU        DESCRIPTION          QTY       AMOUNT
WID-01     Widget, stainle...   250     1,068.75
             volume discount 10%
SVC        Installation (2 h)     1       250.00
CAB-2      Cable 2m               4        49.60
------------------------------------------------
                         Subtotal:      1,368.35
                    Tier discount:        -68.42
                  Coupon WELCOME5:         -5.00
                              Tax:         69.06
                            TOTAL:  USD 1,363.99
================================================
"""


def test_render_invoice_exact_text():
    customer = northwind()
    inv = billing.compute_total(northwind_items(), customer, coupon="WELCOME5")
    text = billing.render_invoice(inv, customer, number="INV-00042", issued=datetime.date(2024, 3, 1))
    assert text == EXPECTED_NORTHWIND


def test_render_draft_for_customer_without_region():
    customer = {"id": "C1", "tax_exempt": True}
    inv = billing.compute_total([{"sku": "a", "unit_price": "5"}], customer)
    lines = billing.render_invoice(inv, customer).splitlines()
    assert lines[1] == "INVOICE DRAFT"
    assert lines[2] == "Bill to: ? (C1)"
    assert not any(line.startswith("Region:") for line in lines)
    assert lines[-3] == "                              Tax:          0.00"
    assert lines[-2] == "                            TOTAL:      USD 5.00"
    assert all(len(line) <= 48 for line in lines)


def test_format_money():
    assert billing.format_money(Decimal("1234.5")) == "1,234.50"
    assert billing.format_money(Decimal("-6.5")) == "-6.50"
    assert billing.format_money(Decimal("1234567.891"), "EUR") == "EUR 1,234,567.89"


def test_book_numbers_invoices_sequentially():
    book = InvoiceBook(prefix="inv", start=7)
    first = book.add(northwind_items(), northwind(), "2024-03-01")
    second = book.add(northwind_items(), northwind(), datetime.date(2024, 3, 2))
    assert (first, second) == ("INV-00007", "INV-00008")
    assert book.get(first)["number"] == first
    with pytest.raises(InvoiceError):
        book.add([], northwind(), "2024-03-03")
    assert book.add(northwind_items(), northwind(), "2024-03-03") == "INV-00009"
    assert len(book) == 3
    assert book.get("INV-00008")["issued"] == datetime.date(2024, 3, 2)
    with pytest.raises(ValueError, match="an issue date is required"):
        book.add(northwind_items(), northwind(), None)
    with pytest.raises(ValueError, match="invoice numbers start at 1 or higher"):
        InvoiceBook(start=0)


def test_book_void_outstanding_and_totals_by_customer():
    book = InvoiceBook()
    a = book.add([{"sku": "a", "unit_price": "10.00"}], {"id": "B2", "region": "US-NY"}, "2024-01-05")
    b = book.add([{"sku": "b", "unit_price": "20.00"}], {"id": "A1", "region": "US-OR"}, "2024-01-06")
    c = book.add([{"sku": "c", "unit_price": "30.00"}], {"id": "B2", "region": "US-NY"}, "2024-01-07")
    assert book.outstanding() == Decimal("61.60")
    assert book.totals_by_customer() == {"A1": Decimal("20.00"), "B2": Decimal("41.60")}
    book.void(c, "  duplicate ")
    assert book.get(c)["void_reason"] == "duplicate"
    assert book.outstanding() == Decimal("30.40")
    assert list(book.totals_by_customer().items()) == [("A1", Decimal("20.00")), ("B2", Decimal("10.40"))]
    with pytest.raises(InvoiceError, match="invoice INV-00003 is already void"):
        book.void(c, "again")
    with pytest.raises(ValueError, match="a reason is required to void an invoice"):
        book.void(a, "   ")
    with pytest.raises(KeyError, match="no such invoice: INV-00099"):
        book.get("INV-00099")
    assert b == "INV-00002"


def test_book_render_marks_void_invoices():
    book = InvoiceBook()
    number = book.add([{"sku": "a", "unit_price": "5"}], {"id": "C1", "tax_exempt": True}, "2024-03-01")
    book.void(number, "sent twice")
    lines = book.render(number).splitlines()
    assert lines[1] == "INVOICE INV-00001                     2024-03-01"
    assert lines[2] == "                  *** VOID ***                  "
