"""Letters the desk sends: overdue notices and statements of account."""

# The fine constants and TIERS are no longer used here; they stay importable from notices,
# where callers have always found them.
from fines import FINE_CAP, FINE_PER_DAY, GRACE_DAYS, fine_for  # noqa: F401
from members import BLOCK_AT, GOOD, OWES, TIERS  # noqa: F401

WIDTH = 40
# The columns of a notice: a title, the days late and an amount, or a label and an amount.
TITLE_WIDTH = 22
LABEL_WIDTH = 28
AMOUNT_WIDTH = 11
SHORTENED = "~"  # ends a title cut to fit its column
BLOCK_WARNING = "Borrowing stops until fines are paid."


def money(cents):
    """Cents written as pounds and pence: 123456 -> "1234.56", -75 -> "-0.75"."""
    sign = ""
    if cents < 0:
        sign = "-"
        cents = -cents
    pounds, pence = divmod(cents, 100)
    return "%s%d.%02d" % (sign, pounds, pence)


def fine_if_returned(kind, days_late, tier):
    """The fine the desk would charge were the item returned today: the desk's own rule, so a
    notice never promises a smaller fine."""
    return fine_for(kind, days_late, tier)


def overdue_notice(desk, member_id, today):
    """The notice for a member with loans past their due date (None when there are none):
    each late item with what it would cost if returned today, and the total."""
    member = desk.register.get(member_id)
    rows = [row for row in desk.overdue(today) if row[0] == member.member_id]
    if not rows:
        return None
    lines = _heading(member, today)
    total = 0
    for _, code, days in rows:
        item = desk.catalog.find(code)
        fine = fine_if_returned(item.kind, days, member.tier)
        total = total + fine
        lines.append(_item_line(item.title, days, fine))
    lines.append("-" * WIDTH)
    lines += _totals(member, total)
    return "\n".join(lines)


def _heading(member, today):
    return [
        "OVERDUE NOTICE".center(WIDTH),
        "=" * WIDTH,
        "To: %s (%s)" % (member.name, member.member_id),
        "On: %s" % today.isoformat(),
        "-" * WIDTH,
    ]


def _totals(member, total):
    lines = [_amount_line("If returned today", total)]
    # NOTE: the warning is only given to a member who already owes something, however large
    # the fines of this notice alone would be
    if member.fines > 0:
        lines.append(_amount_line("Already owed", member.fines))
        if member.fines + total >= BLOCK_AT:
            lines.append(BLOCK_WARNING)
    return lines


def _item_line(title, days, fine):
    if len(title) > TITLE_WIDTH:
        title = title[: TITLE_WIDTH - len(SHORTENED)] + SHORTENED
    return "%-*s %4dd %*s" % (TITLE_WIDTH, title, days, AMOUNT_WIDTH, money(fine))


def _amount_line(label, cents):
    return "%-*s %*s" % (LABEL_WIDTH, label, AMOUNT_WIDTH, money(cents))


def statement(member, loans=None):
    """A member's account: what they owe and, when given (code, due date) pairs, what they
    have out."""
    lines = [
        "STATEMENT FOR %s" % member.name.upper(),
        "member: %s   tier: %s" % (member.member_id, member.tier),
        _owed_line(member),
    ]
    if loans:
        lines.append("on loan:")
        for code, due in loans:
            lines.append("  %-10s due %s" % (code, due.isoformat()))
    else:
        lines.append("on loan: none")
    return "\n".join(lines)


def _owed_line(member):
    standing = member.standing()
    if standing == GOOD:
        return "nothing owed"
    if standing == OWES:
        return "owed: %s" % money(member.fines)
    # NOTE: suspended is shown the same way, as "owed: 0.00 (SUSPENDED)" when nothing is owed
    return "owed: %s (%s)" % (money(member.fines), standing.upper())
