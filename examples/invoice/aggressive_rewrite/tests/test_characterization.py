"""Characterization tests, written against the original ``billing/invoice.py`` before the
rewrite and kept passing on both (from another directory:
``PYTHONPATH=<golden>/original python -P -m pytest <this dir>``).

They pin what the rewrite had to keep: in-place normalisation (also when it fails half
way), the volume-discount boundaries (20/21, 49/50, 99/100), the legacy rounding, the
Decimal exponents of zero amounts, the tier and coupon rules and their messages, the
write-back of the region into the customer, the printed coupon warning, the rendered
invoice character for character, and the book's numbering and public attributes.
"""

import datetime
from decimal import Decimal

import pytest

from billing import (
    TAX_RATES,
    InvoiceBook,
    InvoiceError,
    compute_total,
    format_money,
    normalize_item,
    render_invoice,
)


def item(qty=1, price="10.00", **extra):
    return {"sku": "w", "qty": qty, "unit_price": price, **extra}


def test_normalize_item_in_place():
    raw = {"sku": " ab-1 ", "quantity": " 3 ", "unit_price": 0.1}
    assert normalize_item(raw) is raw
    assert raw == {"sku": "AB-1", "qty": 3, "unit_price": Decimal("0.1"), "taxable": True, "description": "AB-1"}
    assert str(raw["unit_price"]) == "0.1"


def test_normalize_item_failing_half_way_keeps_the_earlier_steps():
    raw = {"sku": " x ", "quantity": "2"}
    with pytest.raises(KeyError, match="line item X is missing 'unit_price'"):
        normalize_item(raw)
    assert raw == {"sku": "X", "qty": 2}
    bad = {"sku": "y", "qty": "two", "unit_price": "1"}
    with pytest.raises(ValueError, match=r"invalid quantity for Y: 'two'"):
        normalize_item(bad)
    with pytest.raises(ValueError, match=r"invalid unit price for Y: ' x '"):
        normalize_item({"sku": "y", "unit_price": " x "})
    assert normalize_item({"sku": "z", "qty": 2.7, "unit_price": "1"})["qty"] == 2


@pytest.mark.parametrize(
    ("qty", "rate", "amount"),
    [(20, "0", "200.00"), (21, "0.02", "205.80"), (49, "0.02", "480.20"), (50, "0.05", "475.00"),
     (99, "0.05", "940.50"), (100, "0.10", "900.00")],
)
def test_volume_discount_boundaries(qty, rate, amount):
    line = compute_total([item(qty)], {"id": "c"}, apply_tax=False)["lines"][0]
    assert str(line["discount_rate"]) == rate
    assert str(line["amount"]) == amount


def test_legacy_mode_rounds_the_unit_price_down_first():
    modern = compute_total([item(50, "0.99")], {"id": "c"}, apply_tax=False)
    legacy = compute_total([item(50, "0.99")], {"id": "c"}, apply_tax=False, legacy_mode=True)
    assert (str(modern["subtotal"]), str(legacy["subtotal"])) == ("47.03", "47.00")


def test_zero_amounts_keep_their_exponents():
    inv = compute_total([item(1, "0")], {"id": "c", "tier": "platinum", "region": "US-CA"})
    assert [str(inv[k]) for k in ("subtotal", "tier_discount", "coupon_discount", "tax", "total")] == [
        "0.00", "0.00", "0", "0", "0.00",
    ]


def test_tiers_and_tax_and_region_write_back():
    customer = {"id": "c", "tier": "Gold", "region": " us-ca "}
    inv = compute_total([item(60, "10.00")], customer)
    assert (inv["subtotal"], inv["tier_discount"], inv["tax"], inv["total"]) == (
        Decimal("570.00"), Decimal("28.50"), Decimal("39.26"), Decimal("580.76"),
    )
    assert customer["region"] == "US-CA"
    capped = compute_total([item(100, "30")], {"id": "p", "tier": "platinum"}, apply_tax=False)
    assert str(capped["tier_discount"]) == "200.00"
    with pytest.raises(ValueError, match="unknown customer tier: 'silver'"):
        compute_total([item()], {"id": "c", "tier": "silver"})
    with pytest.raises(KeyError, match="unknown tax region: US-ZZ"):
        compute_total([item()], {"id": "c", "region": "us-zz"})
    assert TAX_RATES["EU-FR"] == Decimal("0.20")


def test_coupons(capsys):
    inv = compute_total([item(1, "3.50")], {"id": "c", "region": "UK"}, coupon=" welcome5 ")
    assert capsys.readouterr().out == "WARNING: coupon WELCOME5 exceeds invoice amount, capped at 3.50\n"
    assert (inv["coupon"], inv["coupon_discount"], inv["tax"], inv["currency"]) == (
        "WELCOME5", Decimal("3.50"), Decimal("0.70"), "GBP",
    )
    pct = compute_total([item(2, "10.00")], {"id": "c", "region": "EU-DE"}, coupon="SAVE10")
    assert (pct["coupon_discount"], pct["tax"], pct["currency"]) == (Decimal("2.00"), Decimal("3.42"), "EUR")
    with pytest.raises(InvoiceError, match="coupon SPRING20 expired on 2024-06-30"):
        compute_total([item(20, "10")], {"id": "c"}, coupon="spring20", on="2024-07-01")
    with pytest.raises(InvoiceError, match="coupon BULK15 requires an invoice date"):
        compute_total([item()], {"id": "c"}, coupon="BULK15")
    with pytest.raises(InvoiceError, match="coupon BULK15 cannot be combined with platinum pricing"):
        compute_total([item()], {"id": "c", "tier": "platinum"}, coupon="BULK15", on=datetime.date(2024, 1, 1))
    with pytest.raises(InvoiceError, match="coupon BULK15 requires a subtotal of at least 1000.00"):
        compute_total([item()], {"id": "c"}, coupon="BULK15", on="2024-01-01")


def test_format_money():
    assert format_money(Decimal("1234567.891")) == "1,234,567.89"
    assert format_money(Decimal("5"), "USD") == "USD 5.00"
    assert format_money(Decimal("5"), "") == "5.00"


def test_rendered_invoice():
    customer = {"id": "c9", "name": "Acme", "region": "us-ny"}
    inv = compute_total([item(60, "10.00", description="A rather long description")], customer, coupon="SAVE10")
    assert render_invoice(inv, customer, number="INV-00007", issued=datetime.date(2024, 5, 1)) == "\n".join([
        "=" * 48,
        "INVOICE INV-00007                     2024-05-01",
        "Bill to: Acme (c9)",
        "Region: US-NY",
        "-" * 48,
        "SKU        DESCRIPTION          QTY       AMOUNT",
        "W          A rather long d...    60       570.00",
        "             volume discount 5%",
        "-" * 48,
        "                         Subtotal:        570.00",
        "                    Coupon SAVE10:        -57.00",
        "                              Tax:         20.52",
        "                            TOTAL:    USD 533.52",
        "=" * 48,
    ]) + "\n"


def test_invoice_book():
    book = InvoiceBook("cr", start=7)
    first = book.add([item()], {"id": "b", "region": "UK"}, "2024-05-01")
    second = book.add([item(2)], {"id": "a", "region": "UK"}, datetime.date(2024, 5, 2))
    third = book.add([item(3)], {"id": "b", "region": "UK"}, "2024-05-03")
    assert (first, second, third, len(book), book.next_number) == ("CR-00007", "CR-00008", "CR-00009", 3, 10)
    assert book.order == [first, second, third] and list(book.invoices) == book.order
    assert book.get(first)["customer"] == {"id": "b", "region": "UK"}
    book.void(second, " duplicate ")
    assert book.get(second)["void_reason"] == "duplicate"
    with pytest.raises(InvoiceError, match="invoice CR-00008 is already void"):
        book.void(second, "again")
    assert book.outstanding() == Decimal("48.00")
    assert book.totals_by_customer() == {"b": Decimal("48.00")}
    assert str(InvoiceBook().outstanding()) == "0.00"
    assert "*** VOID ***" in book.render(second)
    with pytest.raises(KeyError, match="no such invoice: CR-1"):
        book.get("CR-1")
    with pytest.raises(ValueError, match="invoice numbers start at 1 or higher"):
        InvoiceBook(start=0)
