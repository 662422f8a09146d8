from decimal import Decimal

import pytest

from billing import InvoiceError, compute_total, normalize_item

STANDARD = {"id": "C100", "name": "Plain Ltd", "region": "US-CA"}


def item(sku="W-1", qty=1, price="10.00", **extra):
    d = {"sku": sku, "qty": qty, "unit_price": price}
    d.update(extra)
    return d


def test_simple_total_without_tax():
    inv = compute_total([item(qty=2)], dict(STANDARD), apply_tax=False)
    assert inv["subtotal"] == Decimal("20.00")
    assert inv["tax"] == 0
    assert inv["total"] == Decimal("20.00")
    assert inv["currency"] == "USD"
    assert inv["coupon"] is None
    assert isinstance(inv["total"], Decimal)


@pytest.mark.parametrize(
    "qty, rate, amount",
    [
        (20, "0", "20.00"),
        (21, "0.02", "20.58"),
        (49, "0.02", "48.02"),
        (51, "0.05", "48.45"),
        (99, "0.05", "94.05"),
        (100, "0.10", "90.00"),
    ],
)
def test_volume_discount_tiers(qty, rate, amount):
    inv = compute_total([item(qty=qty, price="1.00")], dict(STANDARD), apply_tax=False)
    (line,) = inv["lines"]
    assert line["discount_rate"] == Decimal(rate)
    assert line["amount"] == Decimal(amount)


def test_line_amount_rounds_half_up_to_cents():
    inv = compute_total([item(price="0.125")], dict(STANDARD), apply_tax=False)
    assert inv["lines"][0]["amount"] == Decimal("0.13")
    assert str(inv["subtotal"]) == "0.13"


def test_legacy_mode_truncates_discounted_unit_price_only():
    # (qty, unit price, modern amount, legacy amount); legacy rounds the
    # discounted unit price DOWN to cents before multiplying by qty
    cases = [(30, "0.75", "22.05", "21.90"), (60, "0.30", "17.10", "16.80"), (100, "0.95", "85.50", "85.00")]
    for qty, price, modern_amount, legacy_amount in cases:
        modern = compute_total([item(qty=qty, price=price)], dict(STANDARD), apply_tax=False)
        legacy = compute_total([item(qty=qty, price=price)], dict(STANDARD), apply_tax=False, legacy_mode=True)
        assert (qty, modern["total"]) == (qty, Decimal(modern_amount))
        assert (qty, legacy["total"]) == (qty, Decimal(legacy_amount))
    # lines without a volume discount keep the normal half-up rounding
    undiscounted = compute_total([item(qty=3, price="0.335")], dict(STANDARD), apply_tax=False, legacy_mode=True)
    assert undiscounted["lines"][0]["amount"] == Decimal("1.01")


@pytest.mark.parametrize(
    "tier, price, expected",
    [
        ("GOLD", "600.00", "30.00"),
        ("gold", "500.00", "0"),
        ("platinum", "1000.00", "80.00"),
        ("platinum", "3000.00", "200.00"),
    ],
)
def test_tier_discounts(tier, price, expected):
    customer = dict(STANDARD, tier=tier)
    inv = compute_total([item(price=price)], customer, apply_tax=False)
    assert inv["tier_discount"] == Decimal(expected)
    assert inv["total"] == Decimal(price) - Decimal(expected)


def test_unknown_tier_is_rejected():
    with pytest.raises(ValueError, match=r"unknown customer tier: 'diamond'"):
        compute_total([item()], dict(STANDARD, tier="diamond"))


@pytest.mark.parametrize(
    "region, tax, currency",
    [
        ("US-TX", "6.25", "USD"),
        ("US-OR", "0", "USD"),
        ("EU-DE", "19.00", "EUR"),
        ("UK", "20.00", "GBP"),
    ],
)
def test_tax_by_region(region, tax, currency):
    inv = compute_total([item(price="100.00")], dict(STANDARD, region=region))
    assert inv["tax"] == Decimal(tax)
    assert inv["total"] == Decimal("100.00") + Decimal(tax)
    assert inv["currency"] == currency


def test_tax_rounds_half_up():
    # 2.00 * 7.25% = 0.145
    inv = compute_total([item(price="2.00")], dict(STANDARD))
    assert inv["tax"] == Decimal("0.15")
    assert inv["total"] == Decimal("2.15")


def test_tier_discount_reduces_tax_base_proportionally():
    items = [item("A", price="400.00"), item("B", price="200.00", taxable=False)]
    inv = compute_total(items, dict(STANDARD, tier="gold"))
    assert inv["tier_discount"] == Decimal("30.00")
    assert inv["tax"] == Decimal("27.55")  # (400 - 20) * 7.25%
    assert inv["total"] == Decimal("597.55")
    assert [(line["sku"], line["unit_price"], line["taxable"]) for line in inv["lines"]] == [
        ("A", Decimal("400.00"), True),
        ("B", Decimal("200.00"), False),
    ]


def test_tax_exempt_and_untaxed_invoices_need_no_known_region():
    exempt = {"id": "C7", "tax_exempt": True}
    assert compute_total([item()], exempt)["tax"] == 0
    untaxed = compute_total([item()], dict(STANDARD, region="MARS"), apply_tax=False)
    assert untaxed["total"] == Decimal("10.00")


def test_request_and_region_errors():
    with pytest.raises(KeyError, match="unknown tax region: US-ZZ"):
        compute_total([item()], dict(STANDARD, region="us-zz"))
    with pytest.raises(InvoiceError, match="customer C9 has no region"):
        compute_total([item()], {"id": "C9"})
    with pytest.raises(InvoiceError, match="cannot invoice an empty list of items"):
        compute_total([], dict(STANDARD))
    with pytest.raises(KeyError, match="customer record must have an 'id'"):
        compute_total([item()], {"region": "US-CA"})


def test_items_are_normalised_in_place():
    items = [
        {"sku": "  ab-1 ", "qty": " 3 ", "unit_price": "2.50"},
        {"sku": "cd-2", "quantity": 2, "unit_price": 0.1, "description": " Cable ", "taxable": False},
    ]
    compute_total(items, dict(STANDARD))
    assert items[0] == {
        "sku": "AB-1",
        "qty": 3,
        "unit_price": Decimal("2.50"),
        "taxable": True,
        "description": "AB-1",
    }
    assert items[1] == {
        "sku": "CD-2",
        "qty": 2,
        "unit_price": Decimal("0.1"),
        "description": "Cable",
        "taxable": False,
    }
    raw = {"sku": "x", "unit_price": "1"}
    assert normalize_item(raw) is raw
    assert raw["qty"] == 1


def test_normalize_item_rejects_missing_or_empty_fields():
    with pytest.raises(KeyError, match="line item is missing 'sku'"):
        normalize_item({"qty": 1, "unit_price": "1"})
    with pytest.raises(ValueError, match="line item sku must not be empty"):
        normalize_item({"sku": "  ", "unit_price": "1"})
    with pytest.raises(KeyError, match="line item A is missing 'unit_price'"):
        normalize_item({"sku": "a", "qty": 1})


def test_normalize_item_rejects_bad_numbers():
    with pytest.raises(ValueError, match="invalid quantity for A: 'two'"):
        normalize_item({"sku": "a", "qty": "two", "unit_price": "1"})
    with pytest.raises(ValueError, match="quantity must be positive for A"):
        normalize_item({"sku": "a", "qty": 0, "unit_price": "1"})
    with pytest.raises(ValueError, match="invalid unit price for A: '1,50'"):
        normalize_item({"sku": "a", "unit_price": "1,50"})
    with pytest.raises(ValueError, match="unit price must not be negative for A"):
        normalize_item({"sku": "a", "unit_price": "-1"})
    assert normalize_item({"sku": "free", "unit_price": "0"})["unit_price"] == 0
