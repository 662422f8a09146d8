"""The lending desk: what the library owns (items, their copies and holds), and the loans,
returns, renewals and fines of its members. catalog.py was too small to be a module of its
own: its items live here now, beside the desk that lends them."""

from datetime import timedelta

from members import TIERS, Register

# Loan period in days for each kind of item. 0 means it never leaves the building.
KINDS = {"book": 21, "dvd": 7, "magazine": 7, "reference": 0}


class Item:
    def __init__(self, code, title, kind="book", copies=1):
        code = str(code).strip().upper()
        if code == "" or " " in code:
            raise ValueError("bad item code: %r" % code)
        if kind not in KINDS:
            raise ValueError("unknown kind: %s" % kind)
        if type(copies) is not int or copies < 1:
            raise ValueError("copies must be a positive whole number")
        self.code = code
        self.title = title.strip()
        self.kind = kind
        self.copies = copies
        self.out = 0
        # member ids, first come first served (the desk reads and pops this list)
        self.holds = []

    def available(self):
        n = self.copies - self.out
        if n < 0:
            n = 0
        return n

    def loan_days(self):
        return KINDS[self.kind]

    def __repr__(self):
        return "Item(%r, %r, %s, %d/%d)" % (
            self.code,
            self.title,
            self.kind,
            self.available(),
            self.copies,
        )


class Catalog:
    def __init__(self, items=None):
        self.items = {}
        if items:
            for item in items:
                self.add(item)

    def add(self, item):
        if not isinstance(item, Item):
            raise TypeError("only items can be catalogued")
        if item.code in self.items:
            old = self.items[item.code]
            if old.title.lower() != item.title.lower() or old.kind != item.kind:
                raise ValueError("code %s is already used for %r" % (item.code, old.title))
            # a second delivery of the same title: more copies of the item we have
            old.copies = old.copies + item.copies
            return old
        self.items[item.code] = item
        return item

    def find(self, code):
        key = str(code).strip().upper()
        if key not in self.items:
            raise KeyError("no item " + key)
        return self.items[key]

    def search(self, text, kind=None, available_only=False):
        words = text.lower().split()
        found = []
        for item in self.items.values():
            title = item.title.lower()
            ok = True
            for w in words:
                if w not in title:
                    ok = False
                    break
            if not ok:
                continue
            if kind is not None:
                if item.kind != kind:
                    continue
            if available_only:
                if item.available() == 0:
                    continue
            found.append(item)
        found.sort(key=lambda i: (i.title.lower(), i.code))
        return found

    def withdraw(self, code, copies=1):
        item = self.find(code)
        if copies < 1:
            raise ValueError("withdraw at least one copy")
        if copies > item.copies - item.out:
            raise ValueError(
                "only %d copies of %s are on the shelf" % (item.copies - item.out, item.code)
            )
        item.copies = item.copies - copies
        if item.copies == 0:
            del self.items[item.code]
        return item.copies


GRACE_DAYS = 2
# cents per day late, by kind of item
FINE_PER_DAY = {"book": 20, "dvd": 100, "magazine": 10}
FINE_CAP = 1000
MAX_RENEWALS = 2


class LoanRefused(Exception):
    pass


class Desk:
    def __init__(self, catalog=None, register=None):
        if catalog is None:
            catalog = Catalog()
        if register is None:
            register = Register()
        self.catalog = catalog
        self.register = register
        # (member id, item code) -> [due date, times renewed]
        self.loans = {}
        # the desk's day book, read by the branch manager
        self.log = []

    def due_date(self, code, member_id, start):
        item = self.catalog.find(code)
        member = self.register.get(member_id)
        days = item.loan_days() * TIERS[member.tier][1]
        due = start + timedelta(days=days)
        # the library is shut on Sundays: a loan falls due on the Monday instead
        if due.weekday() == 6:
            due = due + timedelta(days=1)
        return due

    def lend(self, member_id, code, today):
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        ok, why = member.can_borrow()
        if not ok:
            self.log.append("refused %s %s: %s" % (item.code, member.member_id, why))
            raise LoanRefused(why)
        if item.loan_days() == 0:
            self.log.append("refused %s %s: reference only" % (item.code, member.member_id))
            raise LoanRefused("reference only")
        if (member.member_id, item.code) in self.loans:
            raise LoanRefused("already on loan to " + member.member_id)
        if item.holds:
            if item.holds[0] != member.member_id:
                # copies on the shelf are kept for the members queued first
                if item.available() <= len(item.holds):
                    self.log.append("refused %s %s: held" % (item.code, member.member_id))
                    raise LoanRefused("held for " + item.holds[0])
            else:
                if item.available() > 0:
                    item.holds.pop(0)
        if item.available() == 0:
            raise LoanRefused("none on the shelf")
        due = self.due_date(item.code, member.member_id, today)
        self.loans[(member.member_id, item.code)] = [due, 0]
        item.out = item.out + 1
        member.loans.append(item.code)
        self.log.append("lent %s to %s until %s" % (item.code, member.member_id, due.isoformat()))
        return due

    def give_back(self, member_id, code, today):
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        key = (member.member_id, item.code)
        if key not in self.loans:
            raise KeyError("%s has not borrowed %s" % key)
        due = self.loans.pop(key)[0]
        item.out = item.out - 1
        member.loans.remove(item.code)
        fine = 0
        late = (today - due).days
        if late > GRACE_DAYS:
            # once past the grace period, every day late is charged, the grace days too
            fine = late * FINE_PER_DAY.get(item.kind, 0)
            if fine > FINE_CAP:
                fine = FINE_CAP
            share = TIERS[member.tier][2]
            if share != 100:
                fine = fine * share // 100
        if fine > 0:
            member.fines = member.fines + fine
            self.log.append("fined %s %d for %s" % (member.member_id, fine, item.code))
        self.log.append("returned %s from %s" % (item.code, member.member_id))
        if item.holds:
            self.log.append("tell %s: %s is in" % (item.holds[0], item.code))
        return fine

    def renew(self, member_id, code, today):
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        key = (member.member_id, item.code)
        if key not in self.loans:
            raise KeyError("%s has not borrowed %s" % key)
        entry = self.loans[key]
        if today > entry[0]:
            raise LoanRefused("overdue")
        if entry[1] >= MAX_RENEWALS:
            raise LoanRefused("renewed too often")
        if len(item.holds) > 0:
            raise LoanRefused("held for " + item.holds[0])
        if member.standing() == "blocked":
            raise LoanRefused("blocked")
        # a renewal runs from the old due date, not from today
        entry[0] = self.due_date(item.code, member.member_id, entry[0])
        entry[1] = entry[1] + 1
        self.log.append("renewed %s for %s until %s" % (item.code, member.member_id, entry[0]))
        return entry[0]

    def hold(self, member_id, code):
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        if item.loan_days() == 0:
            raise LoanRefused("reference only")
        if member.member_id in item.holds:
            return item.holds.index(member.member_id) + 1
        if (member.member_id, item.code) in self.loans:
            raise LoanRefused("already on loan to " + member.member_id)
        item.holds.append(member.member_id)
        return len(item.holds)

    def cancel_hold(self, member_id, code):
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        if member.member_id not in item.holds:
            return False
        item.holds.remove(member.member_id)
        return True

    def overdue(self, today):
        rows = []
        for key, entry in self.loans.items():
            days = (today - entry[0]).days
            if days > 0:
                rows.append((key[0], key[1], days))
        rows.sort(key=lambda r: (-r[2], r[0], r[1]))
        return rows

    def on_loan(self, member_id):
        member = self.register.get(member_id)
        out = []
        for code in member.loans:
            out.append((code, self.loans[(member.member_id, code)][0]))
        return out
