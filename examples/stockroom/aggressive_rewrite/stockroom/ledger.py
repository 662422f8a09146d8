"""Stockroom: a thin coordinator over plain-data state that callers may read.

State (public, plain data, as it always was):
    lots    {sku: [{"lot", "qty", "held", "cost", "at"}, ...]}  oldest lot first
    holds   {order: {"at", "units", "picks": [(sku, lot, units), ...]}}
    closed  {order: "released" | "expired" | "shipped"}
    next_lot, expired, cogs

Time is read from the injected clock once per call, by every method but on_hand(); holds
older than hold_seconds (exactly hold_seconds included) are let go right then.
"""

import time
from decimal import Decimal

from . import codes, picking, sheet
from .errors import StockError, UnknownOrder, UnknownSku


class Stockroom:
    def __init__(self, clock=time.monotonic, hold_seconds=900, low_mark=5):
        if not hold_seconds > 0:
            raise StockError("hold_seconds must be positive")
        self.clock, self.hold_seconds, self.low_mark = clock, hold_seconds, low_mark
        self.lots, self.holds, self.closed = {}, {}, {}
        self.next_lot, self.expired, self.cogs = 1, 0, Decimal("0.00")

    # ---------------------------------------------------------------- time

    def _tick(self):
        now = self.clock()
        stale = [
            order for order, hold in self.holds.items() if now - hold["at"] >= self.hold_seconds
        ]
        for order in stale:
            self._unhold(self.holds.pop(order))
            self.closed[order] = "expired"
        self.expired += len(stale)
        return now

    # ---------------------------------------------------------------- helpers

    def _lot(self, sku, name):
        return next((lot for lot in self.lots[sku] if lot["lot"] == name), None)

    def _unhold(self, hold):
        for sku, name, units in hold["picks"]:
            self._lot(sku, name)["held"] -= units

    def _take_hold(self, raw_order):
        order = codes.order_id(raw_order)
        self._tick()
        if order not in self.holds:
            ended = self.closed.get(order)
            raise UnknownOrder(
                f"order {order} was already {ended}"
                if ended is not None
                else f"no hold for order {order}"
            )
        return order, self.holds.pop(order)

    def _wanted(self, order, lines):
        for number, line in enumerate(lines, 1):
            if not isinstance(line, dict):
                raise StockError(f"line {number} of order {order} is not a dict")
            if "sku" not in line:
                raise StockError(f"line {number} of order {order} has no sku")
            line["sku"] = sku = codes.normalise_sku(line["sku"])
            line["qty"] = qty = codes.parse_quantity(line.get("qty", 1), f"line {number} quantity")
            if sku not in self.lots:
                raise UnknownSku(sku)
            yield sku, qty

    # ---------------------------------------------------------------- API

    def receive(self, sku, qty, unit_cost, lot=None):
        sku, qty, cost = (
            codes.normalise_sku(sku),
            codes.parse_quantity(qty),
            codes.unit_cost(unit_cost),
        )
        if lot is None:
            name, self.next_lot = f"L{self.next_lot:04d}", self.next_lot + 1
        else:
            name = codes.lot_name(lot)
        now = self._tick()
        shelf = self.lots.setdefault(sku, [])
        same = next((entry for entry in shelf if entry["lot"] == name), None)
        if same is None:
            shelf.append({"lot": name, "qty": qty, "held": 0, "cost": cost, "at": now})
        elif same["cost"] != cost:
            raise StockError(f"lot {name} of {sku} came in at {same['cost']}, not {cost}")
        else:
            same["qty"] += qty
        return name

    def reserve(self, order_id, lines, partial=False):
        order = codes.order_id(order_id)
        if not (isinstance(lines, list) and lines):
            raise StockError(f"order {order} has no lines")
        if len(lines) > 20:
            raise StockError(f"order {order} has {len(lines)} lines, at most 20 allowed")
        now = self._tick()
        if order in self.holds:
            raise StockError(f"order {order} is already held")
        if self.closed.get(order) == "shipped":
            raise StockError(f"order {order} has already shipped")
        wanted = list(self._wanted(order, lines))
        planned = picking.plan(self.lots, wanted, partial)
        picks = []
        for line, (sku, qty), take in zip(lines, wanted, planned.takes):
            for entry in self.lots[sku]:
                units = take.get(entry["lot"])
                if units is not None:
                    entry["held"] += units
                    picks.append((sku, entry["lot"], units))
            line["lots"] = take
            if partial:
                line["short"] = qty - sum(take.values())
        self.holds[order] = {"at": now, "units": planned.units, "picks": picks}
        self.closed.pop(order, None)
        return planned.units

    def release(self, order_id):
        order, hold = self._take_hold(order_id)
        self._unhold(hold)
        self.closed[order] = "released"
        return hold["units"]

    def ship(self, order_id):
        order, hold = self._take_hold(order_id)
        total = Decimal("0")
        for sku, name, units in hold["picks"]:
            entry = self._lot(sku, name)
            entry["held"] -= units
            entry["qty"] -= units
            total += entry["cost"] * units
        for sku in dict.fromkeys(sku for sku, _, _ in hold["picks"]):
            self.lots[sku] = [entry for entry in self.lots[sku] if entry["qty"] > 0]
        cost = sheet.cents(total)
        self.cogs += cost
        self.closed[order] = "shipped"
        return cost

    def available(self, sku):
        sku = codes.normalise_sku(sku)
        self._tick()
        if sku in self.lots:
            return picking.spare_units(self.lots[sku])
        raise UnknownSku(sku)

    def on_hand(self):
        return {sku: sum(entry["qty"] for entry in self.lots[sku]) for sku in sorted(self.lots)}

    def low_stock(self, threshold=None):
        limit = self.low_mark if threshold is None else threshold
        self._tick()
        spare = ((sku, picking.spare_units(lots)) for sku, lots in self.lots.items())
        return sorted(((sku, n) for sku, n in spare if n < limit), key=lambda row: (row[1], row[0]))

    def report(self, show_lots=False):
        self._tick()
        text = list(sheet.lines(self.lots, self.low_mark, show_lots))
        shipped = list(self.closed.values()).count("shipped")
        text.append(
            f"holds: {len(self.holds)} live, {self.expired} expired; {shipped} shipped, "
            f"cost of goods {self.cogs}"
        )
        return "\n".join(text) + "\n"
