"""Characterization tests, run against the original before the rewrite and against the rewrite.

Besides the plain behaviour they pin the corners the rewrite had to keep: Unicode letters and
digits in SKUs (and "ß" upper-casing to two letters), int() reading quantities (underscores,
other scripts' digits) with its error kept as the cause, the lot counter moving only for
unnamed lots, exactly hold_seconds ending a hold, half a cent rounding up, lines written back
even when reserve() fails, and a partial order that finds nothing.
"""

from decimal import Decimal

import pytest

from stockroom import (
    BadQuantity,
    InsufficientStock,
    StockError,
    Stockroom,
    UnknownOrder,
    UnknownSku,
    normalise_sku,
    parse_quantity,
)


class Clock:
    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def room(clock):
    room = Stockroom(clock=clock, hold_seconds=30)
    room.receive("bolt", 5, "0.20")
    room.receive("bolt", 5, "0.30")
    room.receive("nut", 9, "0.125")
    return room


@pytest.mark.parametrize(
    "raw, sku",
    [("é 9", "É-9"), ("ßßßßßß", "SSSSSSSSSSSS"), ("x\u00a0y", "X-Y"), ("٣a", "٣A")],
)
def test_skus_of_any_script(raw, sku):
    assert normalise_sku(raw) == sku


@pytest.mark.parametrize("raw", ["ßßßßßßß", "a_b", "-" * 13, ""])
def test_skus_refused(raw):
    with pytest.raises(StockError, match="^bad sku "):
        normalise_sku(raw)


def test_quantities_are_read_by_int():
    assert [parse_quantity(q) for q in ["1_000", "٣", " +2 "]] == [1000, 3, 2]
    with pytest.raises(BadQuantity) as info:
        parse_quantity("1e3", what="line 9 quantity")
    assert str(info.value) == "line 9 quantity '1e3' is not a whole number"
    assert isinstance(info.value.__cause__, ValueError)
    with pytest.raises(BadQuantity, match="^quantity must be positive, got -4$"):
        parse_quantity("-4")


def test_the_lot_counter_counts_unnamed_lots_only(room):
    assert room.receive("gear", 1, 7, lot="L0004") == "L0004"
    assert room.receive("gear", 1, "7.0") == "L0004"
    assert room.lots["GEAR"] == [
        {"lot": "L0004", "qty": 2, "held": 0, "cost": Decimal("7"), "at": 0.0}
    ]
    with pytest.raises(StockError, match="^bad unit cost 'sNaN'$"):
        room.receive("gear", 1, "sNaN")
    assert room.next_lot == 5


def test_reserve_writes_back_even_when_it_fails(room):
    lines = [{"sku": " nut", "qty": "2"}, {"sku": "bolt", "qty": 11}]
    with pytest.raises(InsufficientStock, match="^BOLT: wanted 11, only 10 available$"):
        room.reserve("o1", lines)
    assert lines == [{"sku": "NUT", "qty": 2}, {"sku": "BOLT", "qty": 11}]
    assert (room.holds, room.available("bolt")) == ({}, 10)


def test_a_partial_order_takes_what_there_is(room):
    lines = [{"sku": "bolt", "qty": 12}, {"sku": "nut"}]
    assert room.reserve("o1", lines, partial=True) == 11
    assert lines[0] == {"sku": "BOLT", "qty": 12, "lots": {"L0001": 5, "L0002": 5}, "short": 2}
    assert lines[1] == {"sku": "NUT", "qty": 1, "lots": {"L0003": 1}, "short": 0}
    with pytest.raises(InsufficientStock, match="^BOLT: wanted 1, only 0 available$"):
        room.reserve("o2", [{"sku": "bolt"}], partial=True)


def test_a_hold_ends_at_exactly_hold_seconds(room, clock):
    room.reserve("o1", [{"sku": "nut", "qty": 9}])
    clock.now = 29.75
    assert room.available("nut") == 0
    clock.now = 30.0
    assert room.on_hand() == {"BOLT": 10, "NUT": 9}
    assert list(room.holds) == ["o1"]
    assert room.available("nut") == 9
    assert (room.closed, room.expired) == ({"o1": "expired"}, 1)
    with pytest.raises(UnknownOrder, match="^order o1 was already expired$"):
        room.release("o1")


def test_shipping_rounds_half_a_cent_up(room):
    room.reserve("o1", [{"sku": "nut", "qty": 1}, {"sku": "bolt", "qty": 6}])
    assert str(room.ship("o1")) == "1.43"  # 0.125 + 1.00 + 0.30 = 1.425
    assert [(lot["lot"], lot["qty"]) for lot in room.lots["BOLT"]] == [("L0002", 4)]
    assert str(room.cogs) == "1.43"
    with pytest.raises(StockError, match="^order o1 has already shipped$"):
        room.reserve("o1", [{"sku": "nut"}])


def test_unknown_things(room):
    with pytest.raises(UnknownSku) as info:
        room.available("washer")
    assert str(info.value) == "'WASHER'"
    with pytest.raises(UnknownOrder, match="^no hold for order zz$"):
        room.ship(" zz ")


def test_low_stock_and_the_sheet(room, clock):
    room.receive("washer", 2, "0.005")
    room.reserve("o1", [{"sku": "bolt", "qty": 6}])
    assert room.low_stock() == [("WASHER", 2), ("BOLT", 4)]
    assert room.low_stock(threshold=2) == []
    assert room.report() == (
        "SKU          ON HAND   HELD   FREE      VALUE\n"
        "---------------------------------------------\n"
        "BOLT              10      6      4       2.50 LOW\n"
        "NUT                9      0      9       1.13\n"
        "WASHER             2      0      2       0.01 LOW\n"
        "---------------------------------------------\n"
        "TOTAL             21      6     15       3.64\n"
        "holds: 1 live, 0 expired; 0 shipped, cost of goods 0.00\n"
    )


def test_constructor_defaults():
    room = Stockroom(clock=Clock())
    assert (room.hold_seconds, room.low_mark, room.cogs) == (900, 5, Decimal("0.00"))
    with pytest.raises(StockError, match="^hold_seconds must be positive$"):
        Stockroom(clock=Clock(), hold_seconds=float("nan"))
