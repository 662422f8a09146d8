from decimal import Decimal

import pytest

from clock import HandClock
from stockroom import StockError, Stockroom, UnknownSku


def warehouse():
    clock = HandClock()
    room = Stockroom(clock=clock)
    room.receive("bolt", 4, "0.10")
    room.receive("bolt", 6, "0.12")
    room.receive("nut", 50, "0.031")
    room.receive("bolt", 10, "0.13")
    clock.wait(10)
    room.receive("washer", 5, Decimal("0.02"))
    room.receive("gear box", 7, Decimal("12.499"))
    room.reserve("A", [{"sku": "bolt", "qty": 15}, {"sku": "gear box", "qty": 1}])
    return room, clock


SHEET = """\
SKU          ON HAND   HELD   FREE      VALUE
---------------------------------------------
BOLT              20     15      5       2.42 LOW
GEAR-BOX           7      1      6      87.49
NUT               50      0     50       1.55
WASHER             5      0      5       0.10 LOW
---------------------------------------------
TOTAL             82     16     66      91.56
holds: 1 live, 0 expired; 0 shipped, cost of goods 0.00
"""


def test_the_stock_sheet():
    room, _ = warehouse()
    assert room.report() == SHEET


def test_the_stock_sheet_with_its_lots():
    room, _ = warehouse()
    assert room.report(show_lots=True) == """\
SKU          ON HAND   HELD   FREE      VALUE
---------------------------------------------
BOLT              20     15      5       2.42 LOW
  L0001            4      4      @       0.10
  L0002            6      6      @       0.12
  L0004           10      5      @       0.13
GEAR-BOX           7      1      6      87.49
  L0006            7      1      @     12.499
NUT               50      0     50       1.55
  L0003           50      0      @      0.031
WASHER             5      0      5       0.10 LOW
  L0005            5      0      @       0.02
---------------------------------------------
TOTAL             82     16     66      91.56
holds: 1 live, 0 expired; 0 shipped, cost of goods 0.00
"""


def test_an_empty_stock_sheet():
    assert Stockroom(clock=HandClock()).report(show_lots=True) == (
        "SKU          ON HAND   HELD   FREE      VALUE\n"
        "---------------------------------------------\n"
        "(no stock)\n"
        "---------------------------------------------\n"
        "TOTAL              0      0      0       0.00\n"
        "holds: 0 live, 0 expired; 0 shipped, cost of goods 0.00\n"
    )


def test_the_sheet_after_shipping_and_expiry():
    room, clock = warehouse()
    room.reserve("B", [{"sku": "washer", "qty": 5}])
    room.reserve("C", [{"sku": "nut", "qty": 3}])
    assert (room.ship("B"), room.ship("C")) == (Decimal("0.10"), Decimal("0.09"))
    clock.wait(1000)
    assert room.report(show_lots=True).splitlines()[2:] == [
        "BOLT              20      0     20       2.42",
        "  L0001            4      0      @       0.10",
        "  L0002            6      0      @       0.12",
        "  L0004           10      0      @       0.13",
        "GEAR-BOX           7      0      7      87.49",
        "  L0006            7      0      @     12.499",
        "NUT               47      0     47       1.46",
        "  L0003           47      0      @      0.031",
        "WASHER             0      0      0       0.00 LOW",
        "---------------------------------------------",
        "TOTAL             74      0     74      91.37",
        "holds: 0 live, 1 expired; 2 shipped, cost of goods 0.19",
    ]


def test_on_hand_counts_held_units_too():
    room, _ = warehouse()
    room.reserve("B", [{"sku": "washer", "qty": 5}])
    room.ship("B")
    assert room.on_hand() == {"BOLT": 20, "GEAR-BOX": 7, "NUT": 50, "WASHER": 0}
    assert list(room.on_hand()) == ["BOLT", "GEAR-BOX", "NUT", "WASHER"]
    assert Stockroom(clock=HandClock()).on_hand() == {}


def test_available_units():
    room, _ = warehouse()
    assert [room.available(s) for s in ["bolt", " Gear Box", "NUT", "washer"]] == [5, 6, 50, 5]
    with pytest.raises(UnknownSku) as info:
        room.available("gearbox")
    assert info.value.args == ("GEARBOX",)
    with pytest.raises(StockError, match="^sku must be text, got None$"):
        room.available(None)


def test_low_stock_lists_skus_below_the_threshold_fewest_first():
    clock = HandClock()
    room = Stockroom(clock=clock, low_mark=4)
    for sku, qty in [("a", 3), ("b", 1), ("c", 5), ("d", 2), ("e", 12)]:
        room.receive(sku, qty, "1")
    room.reserve("X", [{"sku": "d", "qty": 2}, {"sku": "e", "qty": 2}])
    room.ship("X")
    assert room.low_stock() == [("D", 0), ("B", 1), ("A", 3)]
    assert room.low_stock(3) == [("D", 0), ("B", 1)]
    assert room.low_stock(threshold=11) == [("D", 0), ("B", 1), ("A", 3), ("C", 5), ("E", 10)]
    assert room.low_stock(0) == []
    room.reserve("Y", [{"sku": "e", "qty": 8}])
    assert room.low_stock() == [("D", 0), ("B", 1), ("E", 2), ("A", 3)]
    assert Stockroom(clock=clock).low_stock() == []
