"""Plain-text (48 column) invoice layout, as emailed to customers."""

WIDTH = 48
LINE_FORMAT = "%-10s %-18s %5s %12s"
ITEM_FORMAT = "%-10s %-18s %5d %12s"
SUMMARY_FORMAT = "%34s %13s"
DESCRIPTION_WIDTH = 18
ELLIPSIS = "..."


def format_money(amount, currency=None):
    text = "{:,.2f}".format(amount)
    return currency + " " + text if currency else text


def render_invoice(invoice, customer, number=None, issued=None):
    """Fixed-width (48 column) text invoice, as emailed to customers."""
    out = ["=" * WIDTH, _header(number, issued)]
    if invoice.get("void"):
        out.append("*** VOID ***".center(WIDTH))
    out.append("Bill to: %s (%s)" % (customer.get("name", "?"), customer["id"]))
    if customer.get("region"):
        out.append("Region: %s" % customer["region"])
    out.append("-" * WIDTH)
    out.append(LINE_FORMAT % ("SKU", "DESCRIPTION", "QTY", "AMOUNT"))
    for line in invoice["lines"]:
        out.extend(_item_rows(line))
    out.append("-" * WIDTH)
    out.extend(_summary_rows(invoice))
    out.append("=" * WIDTH)
    return "\n".join(out) + "\n"


def _header(number, issued):
    head = "INVOICE %s" % (number or "DRAFT")
    if issued is None:
        return head
    date_text = issued if isinstance(issued, str) else issued.isoformat()
    return head + date_text.rjust(WIDTH - len(head))


def _shorten(description):
    if len(description) > DESCRIPTION_WIDTH:
        return description[: DESCRIPTION_WIDTH - len(ELLIPSIS)] + ELLIPSIS
    return description


def _item_rows(line):
    rows = [ITEM_FORMAT % (line["sku"], _shorten(line["description"]), line["qty"], format_money(line["amount"]))]
    if line["discount_rate"] > 0:
        rows.append("%-10s   volume discount %d%%" % ("", int(line["discount_rate"] * 100)))
    return rows


def _summary_rows(invoice):
    rows = [("Subtotal:", format_money(invoice["subtotal"]))]
    if invoice["tier_discount"]:
        rows.append(("Tier discount:", "-" + format_money(invoice["tier_discount"])))
    if invoice["coupon_discount"]:
        rows.append(("Coupon %s:" % invoice["coupon"], "-" + format_money(invoice["coupon_discount"])))
    rows.append(("Tax:", format_money(invoice["tax"])))
    rows.append(("TOTAL:", format_money(invoice["total"], invoice["currency"])))
    return [SUMMARY_FORMAT % row for row in rows]
