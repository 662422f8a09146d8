"""Picking an order's units from the lots of each SKU, oldest lot first."""

from .errors import InsufficientStock


def free_units(lots):
    """Units of these lots not held for any order."""
    return sum(lot["qty"] - lot["held"] for lot in lots)


def plan_picks(lots_by_sku, wanted, partial):
    """For each (sku, qty) wanted, the units to take per lot ({lot name: units}) and the total.

    Planned on a scratch copy of the free units, so nothing is held when a line cannot be met.
    A partial order takes what there is; it fails only when there is nothing at all, naming
    its first line.
    """
    spare_by_sku = {}
    plans = []
    total = 0
    for sku, qty in wanted:
        lots = lots_by_sku[sku]
        if sku not in spare_by_sku:
            spare_by_sku[sku] = [lot["qty"] - lot["held"] for lot in lots]
        spare = spare_by_sku[sku]
        have = sum(spare)
        if have < qty and not partial:
            raise InsufficientStock(sku, qty, have)
        take = {}
        left = qty
        for index, units in enumerate(spare):
            if left == 0:
                break
            if units > 0:
                taken = min(units, left)
                spare[index] = units - taken
                left -= taken
                take[lots[index]["lot"]] = taken
        plans.append(take)
        total += qty - left
    if total == 0:
        first_sku, first_qty = wanted[0]
        raise InsufficientStock(first_sku, first_qty, 0)
    return plans, total
