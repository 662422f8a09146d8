from decimal import Decimal

from billing import compute_total, render_invoice


def test_tax_for_california():
    inv = compute_total([{"sku": "a", "qty": 4, "unit_price": "25.00"}], {"id": "C1", "region": "US-CA"})
    assert inv["tax"] == Decimal("7.25")
    assert inv["total"] == Decimal("107.25")


def test_render_has_total_line():
    cust = {"id": "C1", "region": "UK"}
    inv = compute_total([{"sku": "a", "unit_price": "10"}], cust)
    assert "TOTAL:     GBP 12.00" in render_invoice(inv, cust)
