"""render_invoice(): the 48-column text invoice emailed to customers."""

from .money import format_money

WIDTH = 48
HEAVY_RULE = "=" * WIDTH
LIGHT_RULE = "-" * WIDTH
VOID_BANNER = "*** VOID ***".center(WIDTH)
DESCRIPTION_WIDTH = 18
_ELLIPSIS = "..."
_COLUMN_HEADINGS = "%-10s %-18s %5s %12s" % ("SKU", "DESCRIPTION", "QTY", "AMOUNT")
_LINE_ROW = "%-10s %-18s %5d %12s"
_DISCOUNT_ROW = " " * 10 + "   volume discount %d%%"
_TOTAL_ROW = "%34s %13s"


def _heading(number, issued):
    head = "INVOICE %s" % (number or "DRAFT")
    if issued is None:
        return head
    date_text = issued if isinstance(issued, str) else issued.isoformat()
    return head + date_text.rjust(WIDTH - len(head))


def _bill_to(customer):
    yield "Bill to: %s (%s)" % (customer.get("name", "?"), customer["id"])
    if customer.get("region"):
        yield "Region: %s" % customer["region"]


def _short(description):
    if len(description) > DESCRIPTION_WIDTH:
        return description[: DESCRIPTION_WIDTH - len(_ELLIPSIS)] + _ELLIPSIS
    return description


def _line_rows(line):
    description = _short(line["description"])
    yield _LINE_ROW % (line["sku"], description, line["qty"], format_money(line["amount"]))
    if line["discount_rate"] > 0:
        yield _DISCOUNT_ROW % int(line["discount_rate"] * 100)


def _deduction(amount):
    return "-" + format_money(amount)


def _totals(invoice):
    yield _TOTAL_ROW % ("Subtotal:", format_money(invoice["subtotal"]))
    if invoice["tier_discount"]:
        yield _TOTAL_ROW % ("Tier discount:", _deduction(invoice["tier_discount"]))
    if invoice["coupon_discount"]:
        yield _TOTAL_ROW % ("Coupon %s:" % invoice["coupon"], _deduction(invoice["coupon_discount"]))
    yield _TOTAL_ROW % ("Tax:", format_money(invoice["tax"]))
    yield _TOTAL_ROW % ("TOTAL:", format_money(invoice["total"], invoice["currency"]))


def render_invoice(invoice, customer, number=None, issued=None):
    """Fixed-width (48 column) text invoice, as emailed to customers."""
    out = [HEAVY_RULE, _heading(number, issued)]
    if invoice.get("void"):
        out.append(VOID_BANNER)
    out.extend(_bill_to(customer))
    out += [LIGHT_RULE, _COLUMN_HEADINGS]
    for line in invoice["lines"]:
        out.extend(_line_rows(line))
    out.append(LIGHT_RULE)
    out.extend(_totals(invoice))
    out.append(HEAVY_RULE)
    return "\n".join(out) + "\n"
