"""Characterization tests, written against the original before refactoring.

They pin what callers can see: return values and their types, exception types, messages and
causes, the stock sheet, the Stockroom's public state, and corners found by reading the code
(a hold is gone at exactly hold_seconds; half a cent rounds up; reserve() writes into
the lines it is given, also when it fails; low_stock breaks ties by SKU).
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
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def room_with_bolts(**kwargs):
    clock = Clock()
    room = Stockroom(clock=clock, **kwargs)
    room.receive("bolt", 4, "0.10")
    room.receive("bolt", 6, "0.12")
    room.receive("nut", 20, "0.05")
    return room, clock


def test_skus_and_quantities():
    assert normalise_sku("  bolt  m8 x ") == "BOLT-M8-X"
    assert parse_quantity(" 12 ") == 12 and parse_quantity(100000) == 100000
    for raw, message in [("", "bad sku ''"), ("abcdefghijklm", "bad sku 'abcdefghijklm'")]:
        with pytest.raises(StockError, match="^%s$" % message):
            normalise_sku(raw)
    with pytest.raises(StockError, match="^sku must be text, got 5$"):
        normalise_sku(5)
    with pytest.raises(BadQuantity, match="^quantity 100001 is more than one delivery$"):
        parse_quantity(100001)
    with pytest.raises(BadQuantity, match="^quantity must be a whole number, got False$"):
        parse_quantity(False)


def test_a_bad_quantity_string_keeps_the_int_error_as_its_cause():
    with pytest.raises(BadQuantity) as info:
        parse_quantity("2.5")
    assert str(info.value) == "quantity '2.5' is not a whole number"
    assert type(info.value.__cause__) is ValueError
    assert str(info.value.__cause__) == "invalid literal for int() with base 10: '2.5'"
    with pytest.raises(StockError) as info:
        Stockroom(clock=Clock()).receive("bolt", 1, "two")
    assert str(info.value) == "bad unit cost 'two'"
    assert info.value.__cause__ is not None


def test_receiving_numbers_lots_and_merges_a_named_one():
    room, clock = room_with_bolts()
    clock.now = 130.0
    assert room.receive("bolt", 2, "0.1", lot="l0001") == "L0001"
    assert room.receive("bolt", 1, 3, lot="x") == "X"
    assert room.lots["BOLT"] == [
        {"lot": "L0001", "qty": 6, "held": 0, "cost": Decimal("0.10"), "at": 100.0},
        {"lot": "L0002", "qty": 6, "held": 0, "cost": Decimal("0.12"), "at": 100.0},
        {"lot": "X", "qty": 1, "held": 0, "cost": Decimal("3"), "at": 130.0},
    ]
    assert room.next_lot == 4
    with pytest.raises(StockError, match="^lot X of BOLT came in at 3, not 4$"):
        room.receive("bolt", 1, "4", lot="X")
    with pytest.raises(StockError, match="^unit cost must be an int, a string or a Decimal"):
        room.receive("bolt", 1, 0.5)


def test_reserve_writes_what_it_did_into_the_lines():
    room, _ = room_with_bolts()
    lines = [{"sku": " bolt", "qty": "7", "note": "kept"}, {"sku": "nut"}]
    assert room.reserve("A", lines) == 8
    assert lines == [
        {"sku": "BOLT", "qty": 7, "note": "kept", "lots": {"L0001": 4, "L0002": 3}},
        {"sku": "NUT", "qty": 1, "lots": {"L0003": 1}},
    ]
    assert room.holds == {
        "A": {
            "at": 100.0,
            "units": 8,
            "picks": [("BOLT", "L0001", 4), ("BOLT", "L0002", 3), ("NUT", "L0003", 1)],
        }
    }


def test_a_failed_reserve_leaves_the_lines_it_read_tidied():
    room, _ = room_with_bolts()
    lines = [{"sku": "bolt", "qty": "11"}, {"sku": "nut", "qty": 2}]
    with pytest.raises(InsufficientStock, match="^BOLT: wanted 11, only 10 available$"):
        room.reserve("A", lines)
    assert lines == [{"sku": "BOLT", "qty": 11}, {"sku": "NUT", "qty": 2}]
    lines = [{"sku": "nut"}, {"sku": "washer", "qty": "x"}]
    with pytest.raises(BadQuantity, match="^line 2 quantity 'x' is not a whole number$"):
        room.reserve("A", lines)
    assert lines == [{"sku": "NUT", "qty": 1}, {"sku": "WASHER", "qty": "x"}]
    with pytest.raises(UnknownSku) as info:
        room.reserve("A", [{"sku": "washer"}])
    assert str(info.value) == "'WASHER'"
    assert (room.holds, room.closed) == ({}, {})


def test_a_partial_reserve_says_what_is_short():
    room, _ = room_with_bolts()
    lines = [{"sku": "bolt", "qty": 12}, {"sku": "nut", "qty": 2}]
    assert room.reserve("A", lines, partial=True) == 12
    assert [(line["lots"], line["short"]) for line in lines] == [
        ({"L0001": 4, "L0002": 6}, 2),
        ({"L0003": 2}, 0),
    ]
    lines = [{"sku": "bolt", "qty": 3}]
    with pytest.raises(InsufficientStock, match="^BOLT: wanted 3, only 0 available$"):
        room.reserve("B", lines, partial=True)
    assert lines == [{"sku": "BOLT", "qty": 3}]


def test_order_checks():
    room, _ = room_with_bolts()
    with pytest.raises(StockError, match="^order id must be a non-empty string$"):
        room.reserve(" ", [{"sku": "nut"}])
    with pytest.raises(StockError, match="^order A has 21 lines, at most 20 allowed$"):
        room.reserve("A", [{"sku": "nut"}] * 21)
    with pytest.raises(StockError, match="^line 1 of order A is not a dict$"):
        room.reserve("A", ["nut"])
    room.reserve("A", [{"sku": "nut"}])
    with pytest.raises(StockError, match="^order A is already held$"):
        room.reserve("A", [{"sku": "nut"}])
    with pytest.raises(UnknownOrder, match="^no hold for order B$"):
        room.ship("B")
    assert room.ship("A") == Decimal("0.05")
    with pytest.raises(StockError, match="^order A has already shipped$"):
        room.reserve("A", [{"sku": "nut"}])
    with pytest.raises(UnknownOrder, match="^order A was already shipped$"):
        room.release("A")


def test_release_and_reserve_again():
    room, _ = room_with_bolts()
    room.reserve("A", [{"sku": "bolt", "qty": 5}])
    assert room.release("A") == 5
    assert room.closed == {"A": "released"}
    assert room.reserve("A", [{"sku": "bolt", "qty": 10}]) == 10
    assert room.closed == {}
    assert room.available("bolt") == 0


def test_a_hold_is_gone_at_exactly_hold_seconds():
    room, clock = room_with_bolts(hold_seconds=60)
    room.reserve("A", [{"sku": "nut", "qty": 20}])
    clock.now = 159.999
    assert room.available("nut") == 0
    clock.now = 160.0
    assert room.available("nut") == 20
    assert (room.holds, room.closed, room.expired) == ({}, {"A": "expired"}, 1)
    with pytest.raises(UnknownOrder, match="^order A was already expired$"):
        room.ship("A")


def test_the_default_hold_is_900_seconds_and_on_hand_does_not_drop_it():
    room, clock = room_with_bolts()
    room.reserve("A", [{"sku": "nut", "qty": 20}])
    clock.now = 1100.0
    assert room.on_hand() == {"BOLT": 10, "NUT": 20}
    assert list(room.holds) == ["A"]
    clock.now = 999.5
    assert room.low_stock() == [("NUT", 0)]
    clock.now = 1000.0
    room.report()
    assert room.holds == {} and room.expired == 1


def test_shipping_costs_fifo_and_rounds_half_a_cent_up():
    room, _ = room_with_bolts()
    room.reserve("A", [{"sku": "bolt", "qty": 7}])
    cost = room.ship("A")
    assert (cost, str(cost)) == (Decimal("0.76"), "0.76")
    assert room.lots["BOLT"] == [
        {"lot": "L0002", "qty": 3, "held": 0, "cost": Decimal("0.12"), "at": 100.0}
    ]
    for sku, unit_cost, shipped in [("h1", "0.125", "0.13"), ("h2", "0.135", "0.14")]:
        room.receive(sku, 1, unit_cost)
        room.reserve(sku, [{"sku": sku}])
        assert str(room.ship(sku)) == shipped
    assert str(room.cogs) == "1.03"


def test_low_stock_ties_are_listed_by_sku():
    clock = Clock()
    room = Stockroom(clock=clock)
    for sku, qty in [("zeta", 2), ("alpha", 2), ("mid", 1), ("full", 5)]:
        room.receive(sku, qty, "1")
    assert room.low_stock() == [("MID", 1), ("ALPHA", 2), ("ZETA", 2)]
    assert room.low_stock(2) == [("MID", 1)]


def test_the_stock_sheet():
    room, clock = room_with_bolts(low_mark=10)
    room.receive("washer", 5, "0.005")
    room.reserve("A", [{"sku": "bolt", "qty": 1}])
    room.reserve("B", [{"sku": "nut", "qty": 3}])
    room.ship("B")
    assert room.report(show_lots=True) == (
        "SKU          ON HAND   HELD   FREE      VALUE\n"
        "---------------------------------------------\n"
        "BOLT              10      1      9       1.12 LOW\n"
        "  L0001            4      1      @       0.10\n"
        "  L0002            6      0      @       0.12\n"
        "NUT               17      0     17       0.85\n"
        "  L0003           17      0      @       0.05\n"
        "WASHER             5      0      5       0.03 LOW\n"
        "  L0004            5      0      @      0.005\n"
        "---------------------------------------------\n"
        "TOTAL             32      1     31       2.00\n"
        "holds: 1 live, 0 expired; 1 shipped, cost of goods 0.15\n"
    )
    assert Stockroom(clock=clock).report().splitlines()[2] == "(no stock)"


def test_the_constructor():
    with pytest.raises(StockError, match="^hold_seconds must be positive$"):
        Stockroom(clock=Clock(), hold_seconds=0)
    room = Stockroom(clock=Clock())
    assert (room.hold_seconds, room.low_mark, room.next_lot, room.expired) == (900, 5, 1, 0)
    assert (room.lots, room.holds, room.closed, str(room.cogs)) == ({}, {}, {}, "0.00")
