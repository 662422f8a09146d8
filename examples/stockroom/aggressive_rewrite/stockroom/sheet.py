"""The morning stock sheet, 45 columns wide."""

from decimal import ROUND_HALF_UP, Decimal

WIDTH = 45


def cents(amount):
    """Half a cent goes up (the accounting package's rule)."""
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _row(label, qty, held, value):
    return f"{label:<12} {qty:>7d} {held:>6d} {qty - held:>6d} {value!s:>10}"


def _lot_row(lot):
    return f"  {lot['lot']:<10} {lot['qty']:>7d} {lot['held']:>6d} {'@':>6} {lot['cost']!s:>10}"


def lines(lots_by_sku, low_mark, show_lots):
    """Yield the sheet up to and including its TOTAL row."""
    yield f"{'SKU':<12} {'ON HAND':>7} {'HELD':>6} {'FREE':>6} {'VALUE':>10}"
    yield "-" * WIDTH
    if not lots_by_sku:
        yield "(no stock)"
    sums = [0, 0, Decimal("0.00")]
    for sku in sorted(lots_by_sku):
        lots = lots_by_sku[sku]
        qty = sum(lot["qty"] for lot in lots)
        held = sum(lot["held"] for lot in lots)
        value = cents(sum((lot["qty"] * lot["cost"] for lot in lots), Decimal("0")))
        row = _row(sku, qty, held, value)
        yield row + " LOW" if qty - held <= low_mark else row
        if show_lots:
            yield from map(_lot_row, lots)
        sums = [sums[0] + qty, sums[1] + held, sums[2] + value]
    yield "-" * WIDTH
    yield _row("TOTAL", *sums)
