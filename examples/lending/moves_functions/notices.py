"""Letters the desk sends: overdue notices and statements of account."""

# money and fine_if_returned moved to the modules whose rules they are; callers that import
# them from here keep working.
from desk import fine_if_returned
from members import BLOCK_AT, money

__all__ = ["WIDTH", "fine_if_returned", "money", "overdue_notice", "statement"]

WIDTH = 40


def overdue_notice(desk, member_id, today):
    member = desk.register.get(member_id)
    rows = []
    for row in desk.overdue(today):
        if row[0] == member.member_id:
            rows.append(row)
    if len(rows) == 0:
        return None
    lines = ["OVERDUE NOTICE".center(WIDTH), "=" * WIDTH]
    lines.append("To: %s (%s)" % (member.name, member.member_id))
    lines.append("On: %s" % today.isoformat())
    lines.append("-" * WIDTH)
    total = 0
    for _, code, days in rows:
        item = desk.catalog.find(code)
        fine = fine_if_returned(item.kind, days, member.tier)
        total = total + fine
        title = item.title
        if len(title) > 22:
            title = title[:21] + "~"
        lines.append("%-22s %4dd %11s" % (title, days, money(fine)))
    lines.append("-" * WIDTH)
    lines.append("%-28s %11s" % ("If returned today", money(total)))
    if member.fines > 0:
        lines.append("%-28s %11s" % ("Already owed", money(member.fines)))
        if member.fines + total >= BLOCK_AT:
            lines.append("Borrowing stops until fines are paid.")
    return "\n".join(lines)


def statement(member, loans=None):
    lines = ["STATEMENT FOR %s" % member.name.upper()]
    lines.append("member: %s   tier: %s" % (member.member_id, member.tier))
    s = member.standing()
    if s == "good":
        lines.append("nothing owed")
    elif s == "owes":
        lines.append("owed: %s" % money(member.fines))
    else:
        lines.append("owed: %s (%s)" % (money(member.fines), s.upper()))
    if loans:
        lines.append("on loan:")
        for code, due in loans:
            lines.append("  %-10s due %s" % (code, due.isoformat()))
    else:
        lines.append("on loan: none")
    return "\n".join(lines)
