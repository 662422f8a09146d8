"""Letters the desk sends: overdue notices and statements of account."""

from desk import FINE_CAP, FINE_PER_DAY, GRACE_DAYS
from members import BLOCK_AT, TIERS

WIDTH = 40


def money(cents):
    sign = ""
    if cents < 0:
        sign = "-"
        cents = -cents
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


def fine_if_returned(kind, days_late, tier):
    # the same rule as Desk.give_back: a notice must never promise a smaller fine
    if days_late <= GRACE_DAYS:
        return 0
    fine = days_late * FINE_PER_DAY.get(kind, 0)
    if fine > FINE_CAP:
        fine = FINE_CAP
    share = TIERS[tier][2]
    if share != 100:
        fine = fine * share // 100
    return fine


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
