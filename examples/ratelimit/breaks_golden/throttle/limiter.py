"""The limiter: one token bucket per client, strikes and bans, and the operator's tools.

Time comes only from the injected clock, so the replay tool can push a day of traffic
through in seconds.
"""

from . import bans
from .board import render_board
from .bucket import new_record, refill, tenths_up
from .errors import ThrottleError
from .plans import DEFAULT_PLAN, ENTERPRISE, build_plans, known_plan

DEFAULT_MAX_IDLE = 900  # seconds


class Throttle:
    def __init__(self, clock, plans=None, strike_limit=3, ban_seconds=60):
        self.clock = clock
        self.plans = build_plans(plans)
        if strike_limit < 1:
            raise ThrottleError("strike_limit must be at least 1")
        self.strike_limit = strike_limit
        self.ban_seconds = ban_seconds
        self.clients = {}
        self.log = []
        self.allowed_total = 0
        self.denied_total = 0

    # -- asking for tokens ------------------------------------------------------------------

    def check(self, client_id, cost=1, plan=None, dry_run=False, strict=False):
        """Ask whether the client may spend `cost` tokens now.

        Returns (allowed, info); info has reason, remaining and retry_after.
        """
        _check_request(client_id, cost)
        cid = _client_key(client_id)
        now = self.clock()
        record = self._record(cid, plan, now)
        capacity, rate = self.plans[record["plan"]]
        refill(record, capacity, rate, now)

        if bans.is_banned(record, now):
            self._deny(record, dry_run)
            return False, _info("banned", 0, tenths_up(record["banned_until"] - now))
        if bans.lift_expired_ban(record):
            self.log.append("%s unbanned at %.1f" % (cid, now))

        if cost > capacity:
            self._deny(record, dry_run)
            reason = "cost %d exceeds capacity %d" % (cost, capacity)
            return False, _info(reason, int(record["tokens"]), None)
        if record["tokens"] >= cost:
            if not dry_run:
                record["tokens"] = record["tokens"] - cost
                record["allowed"] += 1
                self.allowed_total += 1
            return True, _info("ok", int(record["tokens"]), 0.0)

        wait = (cost - record["tokens"]) / rate
        if not dry_run:
            self._deny(record, dry_run)
            if strict:
                self._strike(cid, record, now)
        return False, _info("rate limited", int(record["tokens"]), tenths_up(wait))

    def allow(self, client_id, cost=1, plan=None):
        allowed, _ = self.check(client_id, cost, plan)
        return allowed

    def check_many(self, requests, strict=False):
        """Check a batch of request dicts (client, cost, plan); marks each dict in place."""
        allowed = 0
        for request in requests:
            if "client" not in request:
                raise ThrottleError("request without a client")
            ok, info = self.check(
                request["client"], request.get("cost", 1), request.get("plan"), strict=strict
            )
            request["allowed"] = ok
            request["reason"] = info["reason"]
            allowed += ok
        return allowed

    def _record(self, cid, plan, now):
        """The client's record, created on first sight; a different plan moves it over."""
        record = self.clients.get(cid)
        if record is None:
            name = known_plan(self.plans, plan, plan.lower() if plan else DEFAULT_PLAN)
            record = new_record(name, self.plans[name][0], now)
            self.clients[cid] = record
        elif plan is not None and plan.lower() != record["plan"]:
            name = known_plan(self.plans, plan, plan.lower())
            record["plan"] = name
            capacity = self.plans[name][0]
            if record["tokens"] > capacity:
                record["tokens"] = float(capacity)
            self.log.append("%s moved to %s at %.1f" % (cid, name, now))
        return record

    def _deny(self, record, dry_run):
        if not dry_run:
            record["denied"] += 1
            self.denied_total += 1

    def _strike(self, cid, record, now):
        exempt = record["plan"] == ENTERPRISE
        length = bans.add_strike(record, now, self.strike_limit, self.ban_seconds, exempt)
        if length is None:
            return
        if exempt:
            self.log.append("%s would be banned (enterprise) at %.1f" % (cid, now))
        else:
            self.log.append("%s banned for %ds at %.1f" % (cid, length, now))

    # -- operators --------------------------------------------------------------------------

    def status(self, client_id):
        """The live record: operators edit it in place."""
        cid = _client_key(client_id)
        if cid not in self.clients:
            raise KeyError("unknown client: %s" % client_id)
        return self.clients[cid]

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

    def sweep(self, max_idle=DEFAULT_MAX_IDLE):
        """Forget clients idle for longer than max_idle seconds (banned ones are kept)."""
        now = self.clock()
        gone = sorted(
            cid
            for cid, record in self.clients.items()
            if not _still_banned(record, now) and now - record["updated"] > max_idle
        )
        for cid in gone:
            del self.clients[cid]
        if gone:
            plural = "" if len(gone) == 1 else "s"
            self.log.append("swept %d idle client%s" % (len(gone), plural))
        return gone

    def board(self, sort_by="denied", limit=None, show_bans=True):
        """The plain-text board: one row per client, worst offenders first."""
        return render_board(
            self.clients,
            self.clock(),
            self.allowed_total,
            self.denied_total,
            sort_by,
            limit,
            show_bans,
        )


def _check_request(client_id, cost):
    if not isinstance(client_id, str) or client_id.strip() == "":
        raise ThrottleError("client id must be a non-empty string")
    if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
        raise ThrottleError("cost must be a positive whole number, got %r" % (cost,))


def _client_key(client_id):
    """Client ids are case-insensitive and surrounding space does not count."""
    return client_id.strip().lower()


def _still_banned(record, now):
    return record["banned_until"] is not None and record["banned_until"] > now


def _info(reason, remaining, retry_after):
    return {"reason": reason, "remaining": remaining, "retry_after": retry_after}
