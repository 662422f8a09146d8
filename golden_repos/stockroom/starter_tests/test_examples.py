# Examples of how the web shop uses the stock room; the starter repo ships these.
from decimal import Decimal

from clock import HandClock
from stockroom import Stockroom


def test_received_units_are_available():
    room = Stockroom(clock=HandClock())
    assert room.receive("bolt m8", 40, "0.15") == "L0001"
    assert room.available("BOLT-M8") == 40


def test_an_order_is_held_then_shipped_at_cost():
    room = Stockroom(clock=HandClock())
    room.receive("nut", 10, "0.20")
    room.receive("nut", 10, "0.25")
    assert room.reserve("order-1", [{"sku": "nut", "qty": 12}]) == 12
    assert room.available("nut") == 8
    assert room.ship("order-1") == Decimal("2.50")
    assert room.on_hand() == {"NUT": 8}


def test_a_hold_runs_out():
    clock = HandClock()
    room = Stockroom(clock=clock, hold_seconds=60)
    room.receive("nut", 10, "0.20")
    room.reserve("order-2", [{"sku": "nut", "qty": 10}])
    clock.wait(90)
    assert room.available("nut") == 10
