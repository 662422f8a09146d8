"""The lending desk: loans, returns, renewals, holds and the fines they bring."""

# timedelta, TIERS and the fine constants are no longer used here; they stay importable
# from desk, where callers have always found them.
from datetime import timedelta  # noqa: F401

from catalog import REFERENCE_ONLY, Catalog
from due_dates import due_after
from fines import FINE_CAP, FINE_PER_DAY, GRACE_DAYS, fine_for  # noqa: F401
from members import BLOCKED, TIERS, Register, loan_multiplier  # noqa: F401

MAX_RENEWALS = 2

# A loan, as desk.loans holds it: [due date, times renewed], a list renew() updates in place.
_DUE, _RENEWALS = 0, 1


class LoanRefused(Exception):
    """The desk says no; the message says why."""


def _most_overdue_first(row):
    member_id, code, days = row
    return (-days, member_id, code)


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
        return due_after(start, item.loan_days() * loan_multiplier(member.tier))

    # -- lending and returning ---------------------------------------------------------------

    def lend(self, member_id, code, today):
        """Lend a copy; returns the due date or raises LoanRefused saying why not."""
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        allowed, why = member.can_borrow()
        if not allowed:
            self._log_refusal(item, member, why)
            raise LoanRefused(why)
        if item.loan_days() == REFERENCE_ONLY:
            self._log_refusal(item, member, "reference only")
            raise LoanRefused("reference only")
        if (member.member_id, item.code) in self.loans:
            raise LoanRefused("already on loan to " + member.member_id)
        self._serve_queue(item, member)
        if item.available() == 0:
            raise LoanRefused("none on the shelf")
        due = self.due_date(item.code, member.member_id, today)
        self.loans[(member.member_id, item.code)] = [due, 0]
        item.out = item.out + 1
        member.loans.append(item.code)
        self.log.append("lent %s to %s until %s" % (item.code, member.member_id, due.isoformat()))
        return due

    def _serve_queue(self, item, member):
        """Copies on the shelf are kept for the members queued first. The first in the queue
        leaves it when a copy is there for them (with none, they stay first); anyone else is
        refused unless there are more copies on the shelf than members queued."""
        if not item.holds:
            return
        first = item.holds[0]
        if first != member.member_id:
            # NOTE: a member further down the queue who gets a spare copy keeps their place
            if item.available() <= len(item.holds):
                self._log_refusal(item, member, "held")
                raise LoanRefused("held for " + first)
            return
        if item.available() > 0:
            item.holds.pop(0)

    def _log_refusal(self, item, member, reason):
        # NOTE: only these refusals go in the day book; "already on loan" and "none on the
        # shelf" never have
        self.log.append("refused %s %s: %s" % (item.code, member.member_id, reason))

    def give_back(self, member_id, code, today):
        """Take a loan back; returns the fine charged for it, in cents (0 when on time)."""
        member, item, key = self._loan(member_id, code)
        due = self.loans.pop(key)[_DUE]
        item.out = item.out - 1
        member.loans.remove(item.code)
        fine = fine_for(item.kind, (today - due).days, member.tier)
        if fine > 0:
            member.fines = member.fines + fine
            self.log.append("fined %s %d for %s" % (member.member_id, fine, item.code))
        self.log.append("returned %s from %s" % (item.code, member.member_id))
        if item.holds:
            self.log.append("tell %s: %s is in" % (item.holds[0], item.code))
        return fine

    def renew(self, member_id, code, today):
        """Renew a loan from its old due date (not from today); returns the new due date."""
        member, item, key = self._loan(member_id, code)
        loan = self.loans[key]
        why_not = self._why_not_renew(loan, item, member, today)
        if why_not is not None:
            raise LoanRefused(why_not)
        loan[_DUE] = self.due_date(item.code, member.member_id, loan[_DUE])
        loan[_RENEWALS] = loan[_RENEWALS] + 1
        # NOTE: the date is logged with str(), where lend() logs it with isoformat()
        self.log.append("renewed %s for %s until %s" % (item.code, member.member_id, loan[_DUE]))
        return loan[_DUE]

    def _why_not_renew(self, loan, item, member, today):
        """Why the loan may not be renewed, in the order the desk has always checked, or None.
        NOTE: a suspended member may still renew; only a blocked one may not."""
        if today > loan[_DUE]:
            return "overdue"
        if loan[_RENEWALS] >= MAX_RENEWALS:
            return "renewed too often"
        if len(item.holds) > 0:
            return "held for " + item.holds[0]
        if member.standing() == BLOCKED:
            return "blocked"
        return None

    def _loan(self, member_id, code):
        """The member, the item and the key of a loan, or KeyError when there is none."""
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        key = (member.member_id, item.code)
        if key not in self.loans:
            raise KeyError("%s has not borrowed %s" % key)
        return member, item, key

    # -- holds -------------------------------------------------------------------------------

    def hold(self, member_id, code):
        """Queue the member for the item; returns their place in the queue (from 1)."""
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        if item.loan_days() == REFERENCE_ONLY:
            raise LoanRefused("reference only")
        if member.member_id in item.holds:
            return item.holds.index(member.member_id) + 1
        if (member.member_id, item.code) in self.loans:
            raise LoanRefused("already on loan to " + member.member_id)
        item.holds.append(member.member_id)
        return len(item.holds)

    def cancel_hold(self, member_id, code):
        """Leave the queue; False when the member was not in it."""
        member = self.register.get(member_id)
        item = self.catalog.find(code)
        if member.member_id not in item.holds:
            return False
        item.holds.remove(member.member_id)
        return True

    # -- reports -----------------------------------------------------------------------------

    def overdue(self, today):
        """(member id, item code, days overdue) for every loan past its due date, the most
        overdue first, then by member and item."""
        rows = []
        for key, loan in self.loans.items():
            days = (today - loan[_DUE]).days
            if days > 0:
                rows.append((key[0], key[1], days))
        return sorted(rows, key=_most_overdue_first)

    def on_loan(self, member_id):
        """(item code, due date) for each item the member has out, oldest loan first."""
        member = self.register.get(member_id)
        return [(code, self.loans[(member.member_id, code)][_DUE]) for code in member.loans]
