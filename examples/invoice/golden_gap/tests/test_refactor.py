from decimal import Decimal

import pytest

from billing import compute_total


@pytest.mark.parametrize("qty, rate", [(10, "0"), (30, "0.02"), (75, "0.05"), (150, "0.10")])
def test_volume_rates(qty, rate):
    inv = compute_total([{"sku": "a", "qty": qty, "unit_price": "2.00"}], {"id": "C1"}, apply_tax=False)
    assert inv["lines"][0]["discount_rate"] == Decimal(rate)


def test_gold_customer_discount():
    inv = compute_total([{"sku": "a", "unit_price": "800.00"}], {"id": "C1", "tier": "gold"}, apply_tax=False)
    assert inv["tier_discount"] == Decimal("40.00")
