"""Who may borrow, how many items at once, and what they owe."""

# tier: (items out at once, loan period multiplier, share of a fine charged in percent)
TIERS = {
    "standard": (5, 1, 100),
    "student": (8, 1, 50),
    "staff": (20, 2, 0),
    "guest": (2, 1, 100),
}
# The fields of a TIERS entry, by position. The entries stay plain tuples: the branch's
# scripts read and add to the table as it is.
_LIMIT, _LOAN_MULTIPLIER, _FINE_SHARE = range(3)

# unpaid fines, in cents, from which a member may not borrow
BLOCK_AT = 500

# What standing() answers.
GOOD = "good"
OWES = "owes"
BLOCKED = "blocked"
SUSPENDED = "suspended"


def loan_multiplier(tier):
    """How many times the item's loan period a member of this tier borrows for."""
    return TIERS[tier][_LOAN_MULTIPLIER]


def fine_share(tier):
    """The share of a fine, in percent, that a member of this tier is charged."""
    return TIERS[tier][_FINE_SHARE]


def _clean_id(member_id):
    """Member ids are compared lower case, without surrounding spaces."""
    return str(member_id).strip().lower()


class Member:
    def __init__(self, member_id, name, tier="standard", balance=0):
        member_id = _clean_id(member_id)
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
        return TIERS[self.tier][_LIMIT]

    def standing(self):
        if self.suspended:
            return SUSPENDED
        if self.fines == 0:
            return GOOD
        # NOTE: negative fines (only a caller setting them can make them) read as "owes"
        if self.fines <= BLOCK_AT:
            return OWES
        return BLOCKED

    def can_borrow(self):
        """(True, "ok"), or False and why not: the standing, or "limit"."""
        standing = self.standing()
        if standing in (SUSPENDED, BLOCKED):
            return False, standing
        if len(self.loans) >= self.limit():
            return False, "limit"
        return True, "ok"

    def pay(self, cents):
        """Pay towards the fines owed; returns the change, in cents."""
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
        member = Member(member_id, name, tier, balance)
        if member.member_id in self.members:
            raise ValueError("member %s has already joined" % member.member_id)
        self.members[member.member_id] = member
        return member

    def get(self, member_id):
        key = _clean_id(member_id)
        member = self.members.get(key)
        if member is None:
            raise KeyError("no member " + key)
        return member

    def suspend(self, member_id, flag=True):
        """Set (or, with a false flag, lift) a suspension; returns the flag it had."""
        member = self.get(member_id)
        was = member.suspended
        member.suspended = bool(flag)
        return was

    def owing(self):
        """The members who owe anything, the largest debt first, then by id."""
        owing = [member for member in self.members.values() if member.fines > 0]
        return sorted(owing, key=lambda member: (-member.fines, member.member_id))
