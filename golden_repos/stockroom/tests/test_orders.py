from decimal import Decimal

import pytest

from clock import HandClock
from stockroom import (
    BadQuantity,
    InsufficientStock,
    StockError,
    Stockroom,
    UnknownOrder,
    UnknownSku,
)


def stocked(**kwargs):
    """Bolts in three lots (4, 6, 10 at rising costs) and one lot of nuts."""
    clock = HandClock()
    room = Stockroom(clock=clock, **kwargs)
    room.receive("bolt", 4, "0.10")
    room.receive("bolt", 6, "0.12")
    room.receive("nut", 50, "0.031")
    room.receive("bolt", 10, "0.13")
    clock.wait(10)
    return room, clock


def held_per_lot(room, sku):
    return [(e["lot"], e["qty"], e["held"]) for e in room.lots[sku]]


def test_reserving_holds_the_oldest_units_first():
    room, clock = stocked()
    assert room.reserve("A-1", [{"sku": "bolt", "qty": 7}, {"sku": "NUT", "qty": "20"}]) == 27
    assert room.holds == {
        "A-1": {
            "at": 5010.0,
            "units": 27,
            "picks": [("BOLT", "L0001", 4), ("BOLT", "L0002", 3), ("NUT", "L0003", 20)],
        }
    }
    assert held_per_lot(room, "BOLT") == [("L0001", 4, 4), ("L0002", 6, 3), ("L0004", 10, 0)]
    assert (room.available("bolt"), room.available("nut")) == (13, 30)
    clock.wait(5)
    assert room.reserve(" B-2 ", [{"sku": "bolt", "qty": 5}]) == 5
    assert room.holds["B-2"] == {
        "at": 5015.0,
        "units": 5,
        "picks": [("BOLT", "L0002", 3), ("BOLT", "L0004", 2)],
    }
    assert room.available("Bolt") == 8


def test_a_sku_on_two_lines_is_picked_once_per_line():
    room, _ = stocked()
    lines = [{"sku": "bolt", "qty": 3}, {"sku": "nut"}, {"sku": "bolt", "qty": 3, "note": "x"}]
    assert room.reserve("A", lines) == 7
    assert room.holds["A"]["picks"] == [
        ("BOLT", "L0001", 3),
        ("NUT", "L0003", 1),
        ("BOLT", "L0001", 1),
        ("BOLT", "L0002", 2),
    ]
    assert held_per_lot(room, "BOLT") == [("L0001", 4, 4), ("L0002", 6, 2), ("L0004", 10, 0)]


def test_twenty_lines_at_most():
    room, _ = stocked()
    assert room.reserve("A", [{"sku": "nut", "qty": 1} for _ in range(20)]) == 20
    with pytest.raises(StockError, match="^order B has 21 lines, at most 20 allowed$"):
        room.reserve("B", [{"sku": "nut", "qty": 1} for _ in range(21)])
    assert room.available("nut") == 30


def test_not_enough_stock_holds_nothing():
    room, _ = stocked()
    room.reserve("A", [{"sku": "bolt", "qty": 12}])
    before = (held_per_lot(room, "BOLT"), held_per_lot(room, "NUT"), dict(room.holds))
    with pytest.raises(InsufficientStock) as info:
        room.reserve("B", [{"sku": "nut", "qty": 5}, {"sku": "bolt", "qty": 9}])
    assert str(info.value) == "BOLT: wanted 9, only 8 available"
    assert (info.value.sku, info.value.wanted, info.value.available) == ("BOLT", 9, 8)
    with pytest.raises(InsufficientStock, match="^BOLT: wanted 5, only 4 available$"):
        room.reserve("B", [{"sku": "bolt", "qty": 4}, {"sku": "bolt", "qty": 5}])
    assert (held_per_lot(room, "BOLT"), held_per_lot(room, "NUT"), room.holds) == before
    assert "B" not in room.closed


def test_a_partial_order_holds_what_there_is():
    room, _ = stocked()
    room.reserve("A", [{"sku": "bolt", "qty": 18}])
    lines = [{"sku": "nut", "qty": 60}, {"sku": "bolt", "qty": 5}]
    assert room.reserve("B", lines, partial=True) == 52
    assert room.holds["B"]["picks"] == [("NUT", "L0003", 50), ("BOLT", "L0004", 2)]
    assert (room.available("nut"), room.available("bolt")) == (0, 0)
    with pytest.raises(InsufficientStock, match="^NUT: wanted 2, only 0 available$"):
        room.reserve("C", [{"sku": "nut", "qty": 2}, {"sku": "bolt"}], partial=True)
    room.release("A")
    assert room.reserve("C", [{"sku": "nut"}, {"sku": "bolt", "qty": 1}], partial=True) == 1
    assert room.holds["C"]["picks"] == [("BOLT", "L0001", 1)]
    assert room.reserve("D", [{"sku": "bolt", "qty": 17}], partial=True) == 17


def test_bad_orders_are_refused_before_anything_is_held():
    room, _ = stocked()
    cases = [
        (("", [{"sku": "nut"}]), StockError, "order id must be a non-empty string"),
        (("  ", [{"sku": "nut"}]), StockError, "order id must be a non-empty string"),
        ((7, [{"sku": "nut"}]), StockError, "order id must be a non-empty string"),
        (("A", []), StockError, "order A has no lines"),
        (("A", ({"sku": "nut"},)), StockError, "order A has no lines"),
        (("A", [{"sku": "nut"}, "nut"]), StockError, "line 2 of order A is not a dict"),
        (("A", [{"qty": 1}]), StockError, "line 1 of order A has no sku"),
        (("A", [{"sku": "nut"}, {"sku": "bolt", "qty": 0}]), BadQuantity,
         "line 2 quantity must be positive, got 0"),
        (("A", [{"sku": "nut"}, {"sku": "bolt", "qty": "x"}]), BadQuantity,
         "line 2 quantity 'x' is not a whole number"),
        (("A", [{"sku": "bad sku!"}]), StockError, "bad sku 'bad sku!'"),
    ]
    for args, kind, message in cases:
        with pytest.raises(kind) as info:
            room.reserve(*args)
        assert str(info.value) == message
    with pytest.raises(UnknownSku) as info:
        room.reserve("A", [{"sku": "nut"}, {"sku": "washer"}])
    assert str(info.value) == "'WASHER'"
    assert isinstance(info.value, KeyError) and isinstance(info.value, StockError)
    assert (room.holds, room.closed, room.available("nut")) == ({}, {}, 50)


def test_an_order_is_held_once_and_never_after_it_shipped():
    room, clock = stocked()
    room.reserve("A", [{"sku": "nut"}])
    with pytest.raises(StockError, match="^order A is already held$"):
        room.reserve(" A", [{"sku": "nut"}])
    assert room.release("A ") == 1
    assert room.closed == {"A": "released"}
    clock.wait(1)
    assert room.reserve("A", [{"sku": "nut", "qty": 2}]) == 2
    assert room.closed == {}
    assert room.holds["A"]["at"] == 5011.0
    room.ship("A")
    with pytest.raises(StockError, match="^order A has already shipped$"):
        room.reserve("A", [{"sku": "nut"}])


def test_releasing_gives_the_units_back():
    room, _ = stocked()
    room.reserve("A", [{"sku": "bolt", "qty": 6}, {"sku": "nut", "qty": 3}])
    room.reserve("B", [{"sku": "bolt", "qty": 2}])
    assert room.release("A") == 9
    assert held_per_lot(room, "BOLT") == [("L0001", 4, 0), ("L0002", 6, 2), ("L0004", 10, 0)]
    assert (room.available("bolt"), room.available("nut")) == (18, 50)
    assert list(room.holds) == ["B"]
    for order, message in [("A", "order A was already released"), ("Z", "no hold for order Z")]:
        with pytest.raises(UnknownOrder) as info:
            room.release(order)
        assert str(info.value) == message
        assert isinstance(info.value, LookupError)
    for order in [None, "  "]:
        with pytest.raises(StockError, match="^order id must be a non-empty string$"):
            room.release(order)


def test_shipping_takes_the_held_units_out_and_costs_them():
    room, _ = stocked()
    room.reserve("A", [{"sku": "bolt", "qty": 7}, {"sku": "nut", "qty": 9}])
    cost = room.ship(" A ")
    assert cost == Decimal("1.04") and str(cost) == "1.04"  # 4*0.10 + 3*0.12 + 9*0.031
    assert room.lots["BOLT"] == [
        {"lot": "L0002", "qty": 3, "held": 0, "cost": Decimal("0.12"), "at": 5000.0},
        {"lot": "L0004", "qty": 10, "held": 0, "cost": Decimal("0.13"), "at": 5000.0},
    ]
    assert held_per_lot(room, "NUT") == [("L0003", 41, 0)]
    assert (room.holds, room.closed, room.cogs) == ({}, {"A": "shipped"}, Decimal("1.04"))
    room.reserve("B", [{"sku": "bolt", "qty": 2}])
    assert room.ship("B") == Decimal("0.24")
    assert held_per_lot(room, "BOLT") == [("L0002", 1, 0), ("L0004", 10, 0)]
    room.reserve("C", [{"sku": "bolt", "qty": 11}])
    assert room.ship("C") == Decimal("1.42")
    assert room.lots["BOLT"] == []
    assert room.available("bolt") == 0
    assert str(room.cogs) == "2.70"
    for order, message in [("A", "order A was already shipped"), ("D", "no hold for order D")]:
        with pytest.raises(UnknownOrder, match="^%s$" % message):
            room.ship(order)
    with pytest.raises(StockError, match="^order id must be a non-empty string$"):
        room.ship("")


def test_costs_are_rounded_to_the_cent():
    clock = HandClock()
    room = Stockroom(clock=clock)
    for order, (qty, cost, expected) in enumerate(
        [(3, "0.333", "1.00"), (1, "1.234", "1.23"), (1, "1.2361", "1.24"), (7, "0.1234", "0.86"),
         (2, "5", "10.00"), (4, "0.0049", "0.02")]
    ):
        room.receive("x%d" % order, qty, Decimal(cost))
        room.reserve(str(order), [{"sku": "x%d" % order, "qty": qty}])
        shipped = room.ship(str(order))
        assert str(shipped) == expected
        assert type(shipped) is Decimal
    assert room.cogs == Decimal("14.35")


def test_a_hold_runs_out_after_the_hold_time():
    room, clock = stocked(hold_seconds=60)
    room.reserve("A", [{"sku": "bolt", "qty": 5}])
    clock.wait(59.5)
    assert room.available("bolt") == 15
    room.reserve("B", [{"sku": "nut", "qty": 5}])
    clock.wait(1)
    assert room.available("bolt") == 20
    assert (list(room.holds), room.closed, room.expired) == (["B"], {"A": "expired"}, 1)
    with pytest.raises(UnknownOrder, match="^order A was already expired$"):
        room.ship("A")
    with pytest.raises(UnknownOrder, match="^order A was already expired$"):
        room.release("A")
    assert room.reserve("A", [{"sku": "bolt", "qty": 20}]) == 20
    clock.wait(100)
    assert room.available("nut") == 50
    assert room.closed == {"B": "expired", "A": "expired"}
    assert room.expired == 3


def test_the_default_hold_is_fifteen_minutes():
    room, clock = stocked()
    room.reserve("A", [{"sku": "nut", "qty": 50}])
    clock.wait(899.5)
    assert room.available("nut") == 0
    clock.wait(1)
    assert room.available("nut") == 50


def test_holds_run_out_only_when_the_clock_is_read():
    room, clock = stocked(hold_seconds=60)
    room.reserve("A", [{"sku": "nut", "qty": 50}])
    clock.wait(120)
    assert room.on_hand() == {"BOLT": 20, "NUT": 50}
    assert list(room.holds) == ["A"] and room.expired == 0
    assert room.receive("nut", 1, "0.031", lot="L0003") == "L0003"
    assert (room.holds, room.closed, room.expired) == ({}, {"A": "expired"}, 1)
    assert held_per_lot(room, "NUT") == [("L0003", 51, 0)]
    room.reserve("B", [{"sku": "nut", "qty": 1}])
    clock.wait(60.5)
    room.low_stock()
    assert room.closed["B"] == "expired"
    room.reserve("C", [{"sku": "nut", "qty": 1}])
    clock.wait(61)
    room.report()
    assert room.closed["C"] == "expired"
    room.reserve("D", [{"sku": "bolt", "qty": 1}])
    clock.wait(61)
    with pytest.raises(StockError):
        room.reserve("D", [])
    assert "D" in room.holds
