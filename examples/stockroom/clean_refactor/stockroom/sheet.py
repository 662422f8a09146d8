"""The fixed-width stock sheet purchasing prints every morning."""

from decimal import Decimal

from .money import to_cents

ROW = "%-12s %7d %6d %6d %10s"
LOT_ROW = "  %-10s %7d %6d %6s %10s"
HEADER = "%-12s %7s %6s %6s %10s" % ("SKU", "ON HAND", "HELD", "FREE", "VALUE")
RULE = "-" * 45


def stock_value(lots):
    """What the units on hand cost, to the cent."""
    return to_cents(sum((lot["qty"] * lot["cost"] for lot in lots), Decimal("0")))


def render(lots_by_sku, low_mark, show_lots=False):
    """The header, a row per SKU (and its lots), and the TOTAL row; the caller adds the footer.

    A SKU is marked LOW at or below low_mark (low_stock() lists only those strictly below).
    """
    out = [HEADER, RULE]
    if not lots_by_sku:
        out.append("(no stock)")
    all_qty = 0
    all_held = 0
    all_value = Decimal("0.00")
    for sku in sorted(lots_by_sku):
        lots = lots_by_sku[sku]
        qty = sum(lot["qty"] for lot in lots)
        held = sum(lot["held"] for lot in lots)
        value = stock_value(lots)
        row = ROW % (sku, qty, held, qty - held, value)
        if qty - held <= low_mark:
            row += " LOW"
        out.append(row)
        if show_lots:
            out.extend(
                LOT_ROW % (lot["lot"], lot["qty"], lot["held"], "@", lot["cost"]) for lot in lots
            )
        all_qty += qty
        all_held += held
        all_value += value
    out.append(RULE)
    out.append(ROW % ("TOTAL", all_qty, all_held, all_qty - all_held, all_value))
    return out


def footer(live, expired, shipped, cogs):
    return "holds: %d live, %d expired; %d shipped, cost of goods %s" % (
        live,
        expired,
        shipped,
        cogs,
    )
