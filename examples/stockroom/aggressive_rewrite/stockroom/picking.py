"""First in, first out: which lots an order's lines take their units from."""

from dataclasses import dataclass, field

from .errors import InsufficientStock


def spare_units(lots):
    return sum(lot["qty"] - lot["held"] for lot in lots)


def _oldest_first(spare, wanted):
    """Yield (position, units) until `wanted` units are found; takes them out of `spare`."""
    for position, units in enumerate(spare):
        if not wanted:
            return
        if units > 0:
            taken = min(units, wanted)
            spare[position] -= taken
            wanted -= taken
            yield position, taken


@dataclass
class Plan:
    """What each line of an order takes ({lot name: units}) and the units in all."""

    takes: list = field(default_factory=list)
    units: int = 0


def plan(lots_by_sku, wanted, partial):
    """Plan on a scratch copy of the spare units: nothing is held if a line cannot be met.

    A partial order takes what there is and fails only when that is nothing at all, naming
    its first line.
    """
    scratch = {}
    result = Plan()
    for sku, qty in wanted:
        lots = lots_by_sku[sku]
        spare = scratch.get(sku)
        if spare is None:
            spare = scratch[sku] = [lot["qty"] - lot["held"] for lot in lots]
        have = sum(spare)
        if not partial and have < qty:
            raise InsufficientStock(sku, qty, have)
        take = {lots[position]["lot"]: units for position, units in _oldest_first(spare, qty)}
        result.takes.append(take)
        result.units += sum(take.values())
    if not result.units:
        raise InsufficientStock(*wanted[0], 0)
    return result
