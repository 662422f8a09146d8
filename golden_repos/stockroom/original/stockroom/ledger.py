"""The stock ledger of the back-room warehouse: lots received, holds for orders, shipments.

Goods arrive in lots (one delivery of one SKU at one unit cost) and leave first in, first
out. The web shop holds stock for an order while the customer pays, until the order ships,
is released, or the hold runs out.

Operational notes (read before touching anything):
  * Time comes only from the injected clock (time.monotonic in production). Holds that ran
    out are dropped lazily, by the next method that reads the clock (on_hand() does not).
  * A hold runs out once hold_seconds have passed since it was made: at exactly
    hold_seconds it is gone (the shop's payment page counts the same way).
  * reserve() writes back into the order lines it is given (SKU tidied, quantity as an int,
    the lots picked, in partial mode what is missing): the pick-list printer reads them.
  * Money is rounded to the cent, half a cent up (what the accounting package does).
  * report() marks a SKU LOW at or below low_mark, low_stock() lists those strictly below
    its threshold. Purchasing relies on both.
"""

import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class StockError(Exception):
    """Something the stock room refuses to do."""


class UnknownSku(StockError, KeyError):
    """A SKU that was never received."""


class UnknownOrder(StockError, LookupError):
    """An order with no hold to release or ship."""


class BadQuantity(StockError, ValueError):
    """A quantity that is not a positive whole number."""


class InsufficientStock(StockError):
    """Not enough free units of a SKU for an order."""

    def __init__(self, sku, wanted, available):
        StockError.__init__(self, "%s: wanted %d, only %d available" % (sku, wanted, available))
        self.sku = sku
        self.wanted = wanted
        self.available = available


def normalise_sku(raw):
    """A SKU as the ledger keys it: stripped, upper case, inner spaces as one dash."""
    if not isinstance(raw, str):
        raise StockError("sku must be text, got %r" % (raw,))
    sku = raw.strip().upper()
    sku = "-".join(sku.split())
    if sku == "" or len(sku) > 12:
        raise StockError("bad sku %r" % raw)
    for ch in sku:
        if not (ch.isalnum() or ch == "-"):
            raise StockError("bad sku %r" % raw)
    return sku


def parse_quantity(raw, what="quantity"):
    """A whole number of units from an int or a numeric string (1 to 100000)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise BadQuantity("%s must be a whole number, got %r" % (what, raw))
    if isinstance(raw, str):
        try:
            n = int(raw)
        except ValueError as exc:
            raise BadQuantity("%s %r is not a whole number" % (what, raw)) from exc
    else:
        n = raw
    if n <= 0:
        raise BadQuantity("%s must be positive, got %d" % (what, n))
    if n > 100000:
        raise BadQuantity("%s %d is more than one delivery" % (what, n))
    return n


def _unit_cost(raw):
    if isinstance(raw, (bool, float)) or not isinstance(raw, (int, str, Decimal)):
        raise StockError("unit cost must be an int, a string or a Decimal, got %r" % (raw,))
    try:
        cost = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise StockError("bad unit cost %r" % (raw,)) from exc
    if not cost.is_finite() or cost < 0:
        raise StockError("bad unit cost %r" % (raw,))
    return cost


class Stockroom:
    """One warehouse's lots per SKU and the holds of open orders."""

    def __init__(self, clock=time.monotonic, hold_seconds=900, low_mark=5):
        if not hold_seconds > 0:
            raise StockError("hold_seconds must be positive")
        self.clock = clock
        self.hold_seconds = hold_seconds
        self.low_mark = low_mark
        self.lots = {}  # sku -> [{"lot", "qty", "held", "cost", "at"}, ...] oldest first
        self.holds = {}  # order id -> {"at", "units", "picks": [(sku, lot, n), ...]}
        self.closed = {}  # order id -> "released", "expired" or "shipped"
        self.next_lot = 1
        self.expired = 0
        self.cogs = Decimal("0.00")

    def _sweep(self, now):
        gone = []
        for oid in self.holds:
            if now - self.holds[oid]["at"] >= self.hold_seconds:
                gone.append(oid)
        for oid in gone:
            hold = self.holds.pop(oid)
            for sku, lot, n in hold["picks"]:
                for entry in self.lots[sku]:
                    if entry["lot"] == lot:
                        entry["held"] = entry["held"] - n
            self.closed[oid] = "expired"
            self.expired = self.expired + 1

    def receive(self, sku, qty, unit_cost, lot=None):
        """Book a delivery in; returns the lot's name (L0001, L0002, ... unless given)."""
        sku = normalise_sku(sku)
        n = parse_quantity(qty)
        cost = _unit_cost(unit_cost)
        if lot is None:
            name = "L%04d" % self.next_lot
            self.next_lot = self.next_lot + 1
        elif isinstance(lot, str) and lot.strip() != "":
            name = lot.strip().upper()
        else:
            raise StockError("bad lot %r" % (lot,))
        now = self.clock()
        self._sweep(now)
        if sku not in self.lots:
            self.lots[sku] = []
        for entry in self.lots[sku]:
            if entry["lot"] == name:
                if entry["cost"] != cost:
                    msg = "lot %s of %s came in at %s, not %s" % (name, sku, entry["cost"], cost)
                    raise StockError(msg)
                entry["qty"] = entry["qty"] + n
                return name
        self.lots[sku].append({"lot": name, "qty": n, "held": 0, "cost": cost, "at": now})
        return name

    def reserve(self, order_id, lines, partial=False):
        """Hold stock for an order; returns how many units are held."""
        if not isinstance(order_id, str) or order_id.strip() == "":
            raise StockError("order id must be a non-empty string")
        oid = order_id.strip()
        if not isinstance(lines, list) or len(lines) == 0:
            raise StockError("order %s has no lines" % oid)
        if len(lines) > 20:
            raise StockError("order %s has %d lines, at most 20 allowed" % (oid, len(lines)))
        now = self.clock()
        self._sweep(now)
        if oid in self.holds:
            raise StockError("order %s is already held" % oid)
        if self.closed.get(oid) == "shipped":
            raise StockError("order %s has already shipped" % oid)
        wanted = []
        for i in range(len(lines)):
            line = lines[i]
            if not isinstance(line, dict):
                raise StockError("line %d of order %s is not a dict" % (i + 1, oid))
            if "sku" not in line:
                raise StockError("line %d of order %s has no sku" % (i + 1, oid))
            sku = normalise_sku(line["sku"])
            line["sku"] = sku
            n = parse_quantity(line.get("qty", 1), "line %d quantity" % (i + 1))
            line["qty"] = n
            if sku not in self.lots:
                raise UnknownSku(sku)
            wanted.append((sku, n))
        free = {}
        plan = []
        total = 0
        for i in range(len(wanted)):
            sku, n = wanted[i]
            if sku not in free:
                free[sku] = [entry["qty"] - entry["held"] for entry in self.lots[sku]]
            have = sum(free[sku])
            if have < n and not partial:
                raise InsufficientStock(sku, n, have)
            take = {}
            left = n
            for j in range(len(free[sku])):
                if left == 0:
                    break
                if free[sku][j] > 0:
                    k = min(free[sku][j], left)
                    free[sku][j] = free[sku][j] - k
                    left = left - k
                    take[self.lots[sku][j]["lot"]] = k
            plan.append(take)
            total = total + (n - left)
        if total == 0:
            raise InsufficientStock(wanted[0][0], wanted[0][1], 0)
        picks = []
        for i in range(len(wanted)):
            sku, n = wanted[i]
            got = 0
            for entry in self.lots[sku]:
                if entry["lot"] in plan[i]:
                    entry["held"] = entry["held"] + plan[i][entry["lot"]]
                    picks.append((sku, entry["lot"], plan[i][entry["lot"]]))
                    got = got + plan[i][entry["lot"]]
            lines[i]["lots"] = plan[i]
            if partial:
                lines[i]["short"] = n - got
        self.holds[oid] = {"at": now, "units": total, "picks": picks}
        self.closed.pop(oid, None)
        return total

    def release(self, order_id):
        """Give an order's held units back; returns how many."""
        if not isinstance(order_id, str) or order_id.strip() == "":
            raise StockError("order id must be a non-empty string")
        oid = order_id.strip()
        now = self.clock()
        self._sweep(now)
        if oid not in self.holds:
            if oid in self.closed:
                raise UnknownOrder("order %s was already %s" % (oid, self.closed[oid]))
            raise UnknownOrder("no hold for order %s" % oid)
        hold = self.holds.pop(oid)
        for sku, lot, n in hold["picks"]:
            for entry in self.lots[sku]:
                if entry["lot"] == lot:
                    entry["held"] = entry["held"] - n
        self.closed[oid] = "released"
        return hold["units"]

    def ship(self, order_id):
        """Take an order's held units out of stock; returns their cost to the cent."""
        if not isinstance(order_id, str) or order_id.strip() == "":
            raise StockError("order id must be a non-empty string")
        oid = order_id.strip()
        now = self.clock()
        self._sweep(now)
        if oid not in self.holds:
            if oid in self.closed:
                raise UnknownOrder("order %s was already %s" % (oid, self.closed[oid]))
            raise UnknownOrder("no hold for order %s" % oid)
        hold = self.holds.pop(oid)
        total = Decimal("0")
        touched = []
        for sku, lot, n in hold["picks"]:
            for entry in self.lots[sku]:
                if entry["lot"] == lot:
                    entry["held"] = entry["held"] - n
                    entry["qty"] = entry["qty"] - n
                    total = total + entry["cost"] * n
            if sku not in touched:
                touched.append(sku)
        for sku in touched:
            keep = []
            for entry in self.lots[sku]:
                if entry["qty"] > 0:
                    keep.append(entry)
            self.lots[sku] = keep
        cost = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        self.cogs = self.cogs + cost
        self.closed[oid] = "shipped"
        return cost

    def available(self, sku):
        """Units of a SKU not held for any order."""
        sku = normalise_sku(sku)
        now = self.clock()
        self._sweep(now)
        if sku not in self.lots:
            raise UnknownSku(sku)
        free = 0
        for entry in self.lots[sku]:
            free = free + entry["qty"] - entry["held"]
        return free

    def on_hand(self):
        """Units in the building per SKU, held ones included, by SKU."""
        out = {}
        for sku in sorted(self.lots):
            total = 0
            for entry in self.lots[sku]:
                total = total + entry["qty"]
            out[sku] = total
        return out

    def low_stock(self, threshold=None):
        """(sku, free units) for every SKU below the threshold, fewest first, then by SKU."""
        if threshold is None:
            threshold = self.low_mark
        now = self.clock()
        self._sweep(now)
        rows = []
        for sku in self.lots:
            free = 0
            for entry in self.lots[sku]:
                free = free + entry["qty"] - entry["held"]
            if free < threshold:
                rows.append((sku, free))
        rows.sort(key=lambda r: r[0])
        rows.sort(key=lambda r: r[1])
        return rows

    def report(self, show_lots=False):
        """The fixed-width stock sheet purchasing prints every morning."""
        now = self.clock()
        self._sweep(now)
        out = ["%-12s %7s %6s %6s %10s" % ("SKU", "ON HAND", "HELD", "FREE", "VALUE")]
        out.append("-" * 45)
        if len(self.lots) == 0:
            out.append("(no stock)")
        all_qty = 0
        all_held = 0
        all_value = Decimal("0.00")
        for sku in sorted(self.lots):
            qty = 0
            held = 0
            value = Decimal("0")
            for entry in self.lots[sku]:
                qty = qty + entry["qty"]
                held = held + entry["held"]
                value = value + entry["qty"] * entry["cost"]
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            line = "%-12s %7d %6d %6d %10s" % (sku, qty, held, qty - held, value)
            if qty - held <= self.low_mark:
                line = line + " LOW"
            out.append(line)
            if show_lots:
                for e in self.lots[sku]:
                    row = (e["lot"], e["qty"], e["held"], "@", e["cost"])
                    out.append("  %-10s %7d %6d %6s %10s" % row)
            all_qty = all_qty + qty
            all_held = all_held + held
            all_value = all_value + value
        out.append("-" * 45)
        out.append(
            "%-12s %7d %6d %6d %10s" % ("TOTAL", all_qty, all_held, all_qty - all_held, all_value)
        )
        shipped = len([oid for oid in self.closed if self.closed[oid] == "shipped"])
        out.append(
            "holds: %d live, %d expired; %d shipped, cost of goods %s"
            % (len(self.holds), self.expired, shipped, self.cogs)
        )
        return "\n".join(out) + "\n"
