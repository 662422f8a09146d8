"""The stock ledger of the back-room warehouse: lots received, holds for orders, shipments.

Goods arrive in lots (one delivery of one SKU at one unit cost) and leave first in, first
out. The web shop holds stock for an order while the customer pays, until the order ships,
is released, or the hold runs out.

Kept as they were (callers rely on them):
  * Time comes only from the injected clock. Holds that ran out are dropped lazily, by the
    next method that reads the clock; on_hand() does not read it.
  * A hold runs out once hold_seconds have passed since it was made: at exactly
    hold_seconds it is gone.
  * reserve() writes back into the order lines it is given (SKU tidied, quantity as an int,
    the lots picked, in partial mode what is missing), also when it then fails.
  * Money is rounded to the cent, half a cent up.
"""

import time
from decimal import Decimal

from . import sheet
from .allocation import free_units, plan_picks
from .errors import (
    BadQuantity,
    InsufficientStock,
    StockError,
    UnknownOrder,
    UnknownSku,
)
from .money import to_cents
from .parsing import (
    normalise_sku,
    parse_lot_name,
    parse_order_id,
    parse_quantity,
    parse_unit_cost,
)

__all__ = [
    "BadQuantity",
    "InsufficientStock",
    "StockError",
    "Stockroom",
    "UnknownOrder",
    "UnknownSku",
    "normalise_sku",
    "parse_quantity",
]

DEFAULT_HOLD_SECONDS = 900  # fifteen minutes, as the shop's payment page
DEFAULT_LOW_MARK = 5
MAX_ORDER_LINES = 20

RELEASED = "released"
EXPIRED = "expired"
SHIPPED = "shipped"


class Stockroom:
    """One warehouse's lots per SKU and the holds of open orders.

    Public state, read by callers: ``lots`` (sku -> lot dicts, oldest first), ``holds``
    (order id -> {"at", "units", "picks"}), ``closed`` (order id -> how it ended),
    ``next_lot``, ``expired`` (holds that ran out) and ``cogs`` (cost of goods shipped).
    """

    def __init__(
        self, clock=time.monotonic, hold_seconds=DEFAULT_HOLD_SECONDS, low_mark=DEFAULT_LOW_MARK
    ):
        if not hold_seconds > 0:  # also refuses NaN
            raise StockError("hold_seconds must be positive")
        self.clock = clock
        self.hold_seconds = hold_seconds
        self.low_mark = low_mark
        self.lots = {}
        self.holds = {}
        self.closed = {}
        self.next_lot = 1
        self.expired = 0
        self.cogs = Decimal("0.00")

    # -- time and holds -------------------------------------------------------------------

    def _now(self):
        """Read the clock once and drop the holds that have run out by then."""
        now = self.clock()
        run_out = [
            order for order, hold in self.holds.items() if now - hold["at"] >= self.hold_seconds
        ]
        for order in run_out:
            self._give_back(self.holds.pop(order))
            self.closed[order] = EXPIRED
            self.expired += 1
        return now

    def _give_back(self, hold):
        for sku, name, units in hold["picks"]:
            for lot in self.lots[sku]:
                if lot["lot"] == name:
                    lot["held"] -= units

    def _check_held(self, order):
        if order in self.holds:
            return
        if order in self.closed:
            raise UnknownOrder("order %s was already %s" % (order, self.closed[order]))
        raise UnknownOrder("no hold for order %s" % order)

    # -- stock in --------------------------------------------------------------------------

    def _new_lot_name(self):
        name = "L%04d" % self.next_lot
        self.next_lot += 1
        return name

    def receive(self, sku, qty, unit_cost, lot=None):
        """Book a delivery in; returns the lot's name (L0001, L0002, ... unless given).

        A lot of that name already here grows in place, when the unit cost is the same.
        """
        sku = normalise_sku(sku)
        qty = parse_quantity(qty)
        cost = parse_unit_cost(unit_cost)
        name = self._new_lot_name() if lot is None else parse_lot_name(lot)
        now = self._now()
        lots = self.lots.setdefault(sku, [])
        for existing in lots:
            if existing["lot"] == name:
                if existing["cost"] != cost:
                    raise StockError(
                        "lot %s of %s came in at %s, not %s" % (name, sku, existing["cost"], cost)
                    )
                existing["qty"] += qty
                return name
        lots.append({"lot": name, "qty": qty, "held": 0, "cost": cost, "at": now})
        return name

    # -- orders ----------------------------------------------------------------------------

    def _read_lines(self, order, lines):
        """(sku, qty) per line, writing the tidied SKU and quantity back into each line."""
        wanted = []
        for number, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                raise StockError("line %d of order %s is not a dict" % (number, order))
            if "sku" not in line:
                raise StockError("line %d of order %s has no sku" % (number, order))
            sku = line["sku"] = normalise_sku(line["sku"])
            qty = line["qty"] = parse_quantity(line.get("qty", 1), "line %d quantity" % number)
            if sku not in self.lots:
                raise UnknownSku(sku)
            wanted.append((sku, qty))
        return wanted

    def _hold(self, lines, wanted, plans, partial):
        """Set the planned units aside; each line learns its lots (and, if partial, what is
        missing). Returns the picks as (sku, lot, units), oldest lot first per line."""
        picks = []
        for line, (sku, qty), take in zip(lines, wanted, plans):
            got = 0
            for lot in self.lots[sku]:
                if lot["lot"] in take:
                    units = take[lot["lot"]]
                    lot["held"] += units
                    picks.append((sku, lot["lot"], units))
                    got += units
            line["lots"] = take
            if partial:
                line["short"] = qty - got
        return picks

    def reserve(self, order_id, lines, partial=False):
        """Hold stock for an order; returns how many units are held."""
        order = parse_order_id(order_id)
        if not isinstance(lines, list) or len(lines) == 0:
            raise StockError("order %s has no lines" % order)
        if len(lines) > MAX_ORDER_LINES:
            raise StockError(
                "order %s has %d lines, at most %d allowed" % (order, len(lines), MAX_ORDER_LINES)
            )
        now = self._now()
        if order in self.holds:
            raise StockError("order %s is already held" % order)
        if self.closed.get(order) == SHIPPED:
            raise StockError("order %s has already shipped" % order)
        wanted = self._read_lines(order, lines)
        plans, total = plan_picks(self.lots, wanted, partial)
        picks = self._hold(lines, wanted, plans, partial)
        self.holds[order] = {"at": now, "units": total, "picks": picks}
        self.closed.pop(order, None)
        return total

    def release(self, order_id):
        """Give an order's held units back; returns how many."""
        order = parse_order_id(order_id)
        self._now()
        self._check_held(order)
        hold = self.holds.pop(order)
        self._give_back(hold)
        self.closed[order] = RELEASED
        return hold["units"]

    def ship(self, order_id):
        """Take an order's held units out of stock; returns their cost to the cent."""
        order = parse_order_id(order_id)
        self._now()
        self._check_held(order)
        hold = self.holds.pop(order)
        total = Decimal("0")
        touched = []
        for sku, name, units in hold["picks"]:
            for lot in self.lots[sku]:
                if lot["lot"] == name:
                    lot["held"] -= units
                    lot["qty"] -= units
                    total += lot["cost"] * units
            if sku not in touched:
                touched.append(sku)
        for sku in touched:  # lots shipped empty are gone; the SKU stays
            self.lots[sku] = [lot for lot in self.lots[sku] if lot["qty"] > 0]
        cost = to_cents(total)
        self.cogs += cost
        self.closed[order] = SHIPPED
        return cost

    # -- what is there ---------------------------------------------------------------------

    def available(self, sku):
        """Units of a SKU not held for any order."""
        sku = normalise_sku(sku)
        self._now()
        if sku not in self.lots:
            raise UnknownSku(sku)
        return free_units(self.lots[sku])

    def on_hand(self):
        """Units in the building per SKU, held ones included, by SKU."""
        return {sku: sum(lot["qty"] for lot in self.lots[sku]) for sku in sorted(self.lots)}

    def low_stock(self, threshold=None):
        """(sku, free units) for every SKU below the threshold, fewest first, then by SKU."""
        if threshold is None:
            threshold = self.low_mark
        self._now()
        rows = []
        for sku, lots in self.lots.items():
            free = free_units(lots)
            if free < threshold:
                rows.append((sku, free))
        return sorted(rows, key=lambda row: (row[1], row[0]))

    def report(self, show_lots=False):
        """The fixed-width stock sheet purchasing prints every morning."""
        self._now()
        out = sheet.render(self.lots, self.low_mark, show_lots)
        shipped = sum(1 for state in self.closed.values() if state == SHIPPED)
        out.append(sheet.footer(len(self.holds), self.expired, shipped, self.cogs))
        return "\n".join(out) + "\n"
