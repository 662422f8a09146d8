"""Who may borrow, how many items at once, and what they owe."""

# tier: (items out at once, loan period multiplier, share of a fine charged in percent)
TIERS = {
    "standard": (5, 1, 100),
    "student": (8, 1, 50),
    "staff": (20, 2, 0),
    "guest": (2, 1, 100),
}
# unpaid fines, in cents, from which a member may not borrow
BLOCK_AT = 500


class Member:
    def __init__(self, member_id, name, tier="standard", balance=0):
        member_id = str(member_id).strip().lower()
        if not member_id:
            raise ValueError("member id is empty")
        tier = tier.lower()
        if tier not in TIERS:
            raise ValueError("unknown tier: " + tier)
        if balance < 0:
            raise ValueError("an opening balance cannot be negative")
        self.member_id = member_id
        self.name = name
        self.tier = tier
        # fines owed in cents; the balance is what the old system carried over
        self.fines = balance
        # codes of the items out, oldest first
        self.loans = []
        self.suspended = False

    def limit(self):
        return TIERS[self.tier][0]

    def standing(self):
        if self.suspended:
            return "suspended"
        if self.fines == 0:
            return "good"
        if self.fines < BLOCK_AT:
            return "owes"
        return "blocked"

    def can_borrow(self):
        s = self.standing()
        if s == "suspended" or s == "blocked":
            return False, s
        if len(self.loans) >= self.limit():
            return False, "limit"
        return True, "ok"

    def pay(self, cents):
        if type(cents) is not int:
            raise TypeError("pay in whole cents")
        if cents <= 0:
            raise ValueError("nothing to pay")
        if cents >= self.fines:
            change = cents - self.fines
            self.fines = 0
            return change
        self.fines = self.fines - cents
        return 0

    def __repr__(self):
        return "Member(%r, %s, owes %d)" % (self.member_id, self.tier, self.fines)


class Register:
    def __init__(self):
        self.members = {}

    def join(self, member_id, name, tier="standard", balance=0):
        m = Member(member_id, name, tier, balance)
        if m.member_id in self.members:
            raise ValueError("member %s has already joined" % m.member_id)
        self.members[m.member_id] = m
        return m

    def get(self, member_id):
        key = str(member_id).strip().lower()
        m = self.members.get(key)
        if m is None:
            raise KeyError("no member " + key)
        return m

    def suspend(self, member_id, flag=True):
        m = self.get(member_id)
        was = m.suspended
        m.suspended = bool(flag)
        return was

    def owing(self):
        rows = []
        for m in self.members.values():
            if m.fines > 0:
                rows.append(m)
        rows.sort(key=lambda m: (-m.fines, m.member_id))
        return rows
