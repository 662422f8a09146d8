import time
from decimal import Decimal

import pytest

from clock import HandClock
from stockroom import BadQuantity, StockError, Stockroom, normalise_sku, parse_quantity


def test_skus_are_stripped_upper_cased_and_dashed():
    cases = [
        (" ab c ", "AB-C"),
        ("ab\t  c", "AB-C"),
        ("x-1", "X-1"),
        ("bolt m8 x 40", "BOLT-M8-X-40"),
        ("abcdefghijkl", "ABCDEFGHIJKL"),
        ("  a  b  ", "A-B"),
        ("straße", "STRASSE"),
        ("é9", "É9"),
    ]
    for raw, sku in cases:
        assert normalise_sku(raw) == sku


def test_bad_skus_are_refused_with_what_was_given():
    for raw in ["", "   ", "abcdefghijklm", "a_b", "a/b", "a.b", "strasse-12345"]:
        with pytest.raises(StockError) as info:
            normalise_sku(raw)
        assert str(info.value) == "bad sku %r" % raw
    for raw in [12, None, b"ab"]:
        with pytest.raises(StockError) as info:
            normalise_sku(raw)
        assert str(info.value) == "sku must be text, got %r" % (raw,)


def test_quantities_are_positive_whole_numbers():
    for raw, n in [(3, 3), ("12", 12), (" 7 ", 7), (100000, 100000), ("1", 1), ("+4", 4)]:
        assert parse_quantity(raw) == n
        assert type(parse_quantity(raw)) is int
    cases = [
        (0, "quantity must be positive, got 0"),
        (-2, "quantity must be positive, got -2"),
        ("0", "quantity must be positive, got 0"),
        (100001, "quantity 100001 is more than one delivery"),
        ("1.5", "quantity '1.5' is not a whole number"),
        ("", "quantity '' is not a whole number"),
        ("ten", "quantity 'ten' is not a whole number"),
        (True, "quantity must be a whole number, got True"),
        (2.0, "quantity must be a whole number, got 2.0"),
        (None, "quantity must be a whole number, got None"),
        ([3], "quantity must be a whole number, got [3]"),
    ]
    for raw, message in cases:
        with pytest.raises(BadQuantity) as info:
            parse_quantity(raw)
        assert str(info.value) == message
        assert isinstance(info.value, ValueError)
    with pytest.raises(BadQuantity, match="^line 2 quantity 'x' is not a whole number$"):
        parse_quantity("x", "line 2 quantity")


def test_a_new_stockroom_is_empty():
    clock = HandClock()
    room = Stockroom(clock=clock)
    assert (room.hold_seconds, room.low_mark, room.next_lot, room.expired) == (900, 5, 1, 0)
    assert (room.lots, room.holds, room.closed) == ({}, {}, {})
    assert room.cogs == Decimal("0.00") and str(room.cogs) == "0.00"
    assert Stockroom().clock is time.monotonic
    assert Stockroom(clock, hold_seconds=0.5, low_mark=0).hold_seconds == 0.5


def test_the_hold_time_must_be_positive():
    for seconds in [0, -1, -0.5, float("nan")]:
        with pytest.raises(StockError, match="^hold_seconds must be positive$"):
            Stockroom(clock=HandClock(), hold_seconds=seconds)


def test_receiving_books_numbered_lots_oldest_first():
    clock = HandClock()
    room = Stockroom(clock=clock)
    assert room.receive("bolt m8", 40, "0.15") == "L0001"
    clock.wait(30)
    assert room.receive("nut-m8", "100", 2) == "L0002"
    assert room.receive(" Bolt  M8 ", 10, Decimal("0.17")) == "L0003"
    assert room.lots == {
        "BOLT-M8": [
            {"lot": "L0001", "qty": 40, "held": 0, "cost": Decimal("0.15"), "at": 5000.0},
            {"lot": "L0003", "qty": 10, "held": 0, "cost": Decimal("0.17"), "at": 5030.0},
        ],
        "NUT-M8": [{"lot": "L0002", "qty": 100, "held": 0, "cost": Decimal("2"), "at": 5030.0}],
    }
    assert room.next_lot == 4
    assert str(room.lots["NUT-M8"][0]["cost"]) == "2"


def test_a_named_lot_received_again_at_the_same_cost_grows_in_place():
    clock = HandClock()
    room = Stockroom(clock=clock)
    assert room.receive("gear", 5, "3.50", lot=" b7 ") == "B7"
    assert room.receive("gear", 5, "4.00") == "L0001"
    clock.wait(60)
    assert room.receive("GEAR", 2, "3.5", lot="B7") == "B7"
    assert room.lots["GEAR"] == [
        {"lot": "B7", "qty": 7, "held": 0, "cost": Decimal("3.50"), "at": 5000.0},
        {"lot": "L0001", "qty": 5, "held": 0, "cost": Decimal("4.00"), "at": 5000.0},
    ]
    with pytest.raises(StockError, match=r"^lot L0001 of GEAR came in at 4\.00, not 4\.10$"):
        room.receive("gear", 1, "4.10", lot="l0001")
    assert room.receive("other", 1, "4.10", lot="B7") == "B7"
    assert room.next_lot == 2
    assert [e["qty"] for e in room.lots["GEAR"]] == [7, 5]


def test_receiving_refuses_bad_costs_and_lots_and_books_nothing():
    room = Stockroom(clock=HandClock())
    cases = [
        (("gear", 1, "abc"), "bad unit cost 'abc'"),
        (("gear", 1, "-0.01"), "bad unit cost '-0.01'"),
        (("gear", 1, Decimal("-1")), "bad unit cost Decimal('-1')"),
        (("gear", 1, "NaN"), "bad unit cost 'NaN'"),
        (("gear", 1, "Infinity"), "bad unit cost 'Infinity'"),
        (("gear", 1, 2.5), "unit cost must be an int, a string or a Decimal, got 2.5"),
        (("gear", 1, True), "unit cost must be an int, a string or a Decimal, got True"),
        (("gear", 1, None), "unit cost must be an int, a string or a Decimal, got None"),
        (("gear", 1, "1", ""), "bad lot ''"),
        (("gear", 1, "1", "  "), "bad lot '  '"),
        (("gear", 1, "1", 7), "bad lot 7"),
        (("gear", 0, "1"), "quantity must be positive, got 0"),
        (("ge ar!", 1, "1"), "bad sku 'ge ar!'"),
    ]
    for args, message in cases:
        with pytest.raises(StockError) as info:
            room.receive(*args)
        assert str(info.value) == message
    assert (room.lots, room.next_lot) == ({}, 1)
    assert room.receive("gear", 1, "0") == "L0001"
    assert room.receive("gear", 1, " 1.25 ") == "L0002"
    assert [e["cost"] for e in room.lots["GEAR"]] == [Decimal("0"), Decimal("1.25")]
