import datetime
from decimal import Decimal

import pytest

from billing import InvoiceError, compute_total


def items(price, qty=1):
    return [{"sku": "PART-9", "qty": qty, "unit_price": price}]


def customer(**extra):
    c = {"id": "C200", "name": "Coupon Co", "region": "US-CA"}
    c.update(extra)
    return c


def test_percent_coupon_applies_after_tier_discount_and_reduces_tax_base():
    inv = compute_total(items("600.00"), customer(tier="gold"), coupon=" save10 ")
    assert inv["coupon"] == "SAVE10"
    assert inv["tier_discount"] == Decimal("30.00")
    assert inv["coupon_discount"] == Decimal("57.00")
    assert inv["tax"] == Decimal("37.19")  # 513.00 * 7.25%
    assert inv["total"] == Decimal("550.19")

    small = compute_total(items("100.00"), customer(), coupon="SAVE10")
    assert small["tax"] == Decimal("6.53")  # 90.00 * 7.25% = 6.525
    assert small["total"] == Decimal("96.53")


def test_fixed_coupon_does_not_reduce_tax_base():
    inv = compute_total(items("100.00"), customer(), coupon="WELCOME5")
    assert inv["coupon_discount"] == Decimal("5.00")
    assert inv["tax"] == Decimal("7.25")
    assert inv["total"] == Decimal("102.25")


def test_fixed_coupon_is_capped_at_invoice_amount_with_warning(capsys):
    inv = compute_total(items("3.00"), customer(), apply_tax=False, coupon="WELCOME5")
    assert inv["coupon_discount"] == Decimal("3.00")
    assert inv["total"] == Decimal("0.00")
    assert capsys.readouterr().out == "WARNING: coupon WELCOME5 exceeds invoice amount, capped at 3.00\n"
    exact = compute_total(items("5.00"), customer(), apply_tax=False, coupon="WELCOME5")
    assert exact["total"] == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "code, price, on, message",
    [
        ("bogus", "10.00", None, "unknown coupon code: BOGUS"),
        ("BULK15", "2000.00", None, "coupon BULK15 requires an invoice date"),
        ("BULK15", "2000.00", "2026-01-01", "coupon BULK15 expired on 2025-12-31"),
        ("BULK15", "999.99", "2025-01-01", "coupon BULK15 requires a subtotal of at least 1000.00"),
    ],
)
def test_coupon_errors(code, price, on, message):
    with pytest.raises(InvoiceError) as info:
        compute_total(items(price), customer(), coupon=code, on=on)
    assert str(info.value) == message


def test_coupon_boundaries_are_inclusive():
    # last valid day and exactly the minimum subtotal are both accepted
    inv = compute_total(items("1000.00"), customer(), coupon="BULK15", on="2025-12-31")
    assert inv["coupon_discount"] == Decimal("150.00")
    assert inv["tax"] == Decimal("61.63")
    assert inv["total"] == Decimal("911.63")
    spring = compute_total(items("100.00"), customer(), coupon="SPRING20", on=datetime.date(2024, 6, 30))
    assert spring["coupon_discount"] == Decimal("20.00")


def test_minimum_uses_discounted_subtotal_and_platinum_is_excluded():
    with pytest.raises(InvoiceError, match="at least 1000.00"):
        compute_total(items("1040.00"), customer(tier="gold"), coupon="BULK15", on="2025-06-01")
    with pytest.raises(InvoiceError, match="cannot be combined with platinum pricing"):
        compute_total(items("5000.00"), customer(tier="platinum"), coupon="BULK15", on="2025-06-01")
