"""Throttle: token buckets per client, strikes and bans, the audit log and the board.

The clock is injected (any callable returning seconds) and read exactly once per call
that needs the time; nothing here reads the wall clock.  The public attributes
(``clock``, ``plans``, ``strike_limit``, ``ban_seconds``, ``clients``, ``log``,
``allowed_total``, ``denied_total``) are read live, so an operator's edit takes effect.
"""

from . import penalties
from .board import render_board
from .bucket import is_banned, new_record, refill
from .errors import ThrottleError
from .plans import DEFAULT_PLAN, checked_plan, plan_table
from .verdicts import BANNED, OK, RATE_LIMITED, answer, tenths_up, too_costly


def _client_key(client_id):
    return client_id.strip().lower()


def _validate(client_id, cost):
    if not isinstance(client_id, str) or client_id.strip() == "":
        raise ThrottleError("client id must be a non-empty string")
    if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
        raise ThrottleError("cost must be a positive whole number, got %r" % (cost,))


class Throttle:
    def __init__(self, clock, plans=None, strike_limit=3, ban_seconds=60):
        self.clock = clock
        self.plans = plan_table(plans)
        if strike_limit < 1:
            raise ThrottleError("strike_limit must be at least 1")
        self.strike_limit = strike_limit
        self.ban_seconds = ban_seconds
        self.clients = {}
        self.log = []
        self.allowed_total = 0
        self.denied_total = 0

    # -- bookkeeping -----------------------------------------------------------------

    def _record_for(self, cid, plan, now):
        """The client's record, created or moved to ``plan`` as asked."""
        record = self.clients.get(cid)
        if record is None:
            name = checked_plan(self.plans, plan) if plan else DEFAULT_PLAN
            if name not in self.plans:  # only when "free" itself was removed from plans
                raise ThrottleError("unknown plan: %s" % plan)
            record = self.clients[cid] = new_record(name, self.plans[name][0], now)
        elif plan is not None and plan.lower() != record["plan"]:
            self._move(cid, record, checked_plan(self.plans, plan), now)
        return record

    def _move(self, cid, record, name, now):
        record["plan"] = name
        capacity = self.plans[name][0]
        if record["tokens"] > capacity:
            record["tokens"] = float(capacity)
        self.log.append("%s moved to %s at %.1f" % (cid, name, now))

    def _deny(self, record, dry_run):
        if not dry_run:
            record["denied"] += 1
            self.denied_total += 1

    # -- the decision ----------------------------------------------------------------

    def check(self, client_id, cost=1, plan=None, dry_run=False, strict=False):
        """Ask whether the client may spend `cost` tokens now.

        Returns (allowed, info); info has reason, remaining and retry_after.
        """
        _validate(client_id, cost)
        cid = _client_key(client_id)
        now = self.clock()
        record = self._record_for(cid, plan, now)
        capacity, rate = self.plans[record["plan"]]
        refill(record, capacity, rate, now)

        if record["banned_until"] is not None:
            if now < record["banned_until"]:
                self._deny(record, dry_run)
                return answer(False, BANNED, 0, tenths_up(record["banned_until"] - now))
            # the ban is over (also on a dry run)
            penalties.lift_ban(record)
            self.log.append("%s unbanned at %.1f" % (cid, now))

        if cost > capacity:
            self._deny(record, dry_run)
            return answer(False, too_costly(cost, capacity), int(record["tokens"]), None)
        if record["tokens"] >= cost:
            if not dry_run:
                record["tokens"] = record["tokens"] - cost
                record["allowed"] += 1
                self.allowed_total += 1
            return answer(True, OK, int(record["tokens"]), 0.0)

        wait = (cost - record["tokens"]) / rate
        self._deny(record, dry_run)
        if strict and not dry_run:
            line = penalties.strike(record, now, self.strike_limit, self.ban_seconds, cid)
            if line is not None:
                self.log.append(line)
        return answer(False, RATE_LIMITED, int(record["tokens"]), tenths_up(wait))

    def allow(self, client_id, cost=1, plan=None):
        allowed, _info = self.check(client_id, cost, plan)
        return allowed

    def check_many(self, requests, strict=False):
        """Check a batch of request dicts (client, cost, plan); marks each dict in place."""
        allowed = 0
        for request in requests:
            if "client" not in request:
                raise ThrottleError("request without a client")
            ok, info = self.check(request["client"], request.get("cost", 1), request.get("plan"), strict=strict)
            request["allowed"] = ok
            request["reason"] = info["reason"]
            allowed += ok
        return allowed

    # -- operators -------------------------------------------------------------------

    def status(self, client_id):
        cid = _client_key(client_id)
        if cid not in self.clients:
            raise KeyError("unknown client: %s" % client_id)
        return self.clients[cid]  # the live record: the admin console edits it

    def reset(self, client_id, keep_strikes=False):
        record = self.clients.get(_client_key(client_id))
        if record is None:
            return False
        cid = _client_key(client_id)
        record["tokens"] = float(self.plans[record["plan"]][0])
        record["updated"] = self.clock()
        record["banned_until"] = None
        if not keep_strikes:
            record["strikes"] = []
            record["bans"] = 0
        self.log.append("%s reset%s" % (cid, " (strikes kept)" if keep_strikes else ""))
        return True

    def sweep(self, max_idle=900):
        """Forget clients idle for longer than max_idle seconds (banned ones are kept)."""
        now = self.clock()
        gone = []
        for cid, record in list(self.clients.items()):
            if not is_banned(record, now) and now - record["updated"] > max_idle:
                del self.clients[cid]
                gone.append(cid)
        gone.sort()
        if gone:
            self.log.append("swept %d idle client%s" % (len(gone), "" if len(gone) == 1 else "s"))
        return gone

    def board(self, sort_by="denied", limit=None, show_bans=True):
        """The plain-text board: one row per client, worst offenders first."""
        return render_board(
            self.clients, self.clock(), self.allowed_total, self.denied_total, sort_by, limit, show_bans
        )
