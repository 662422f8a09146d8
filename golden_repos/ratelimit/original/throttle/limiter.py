"""Request throttling for the public API gateway.

Token buckets per client, three plans, strikes and temporary bans for clients that keep
hammering us, and the plain-text board the on-call dashboard scrapes every minute.

Operational notes (read before touching anything):
  * The clock is injected (any callable returning seconds, e.g. time.monotonic) so that
    the replay tool can push a day of traffic through in a few seconds. Nothing in here
    may read the wall clock itself.
  * status() hands out the live client record: the admin console edits it in place.
  * Enterprise clients are never banned (contract clause 7.2), only throttled.
  * Client ids are case-insensitive; the gateway lower-cases them, we do it again anyway.
"""

import math

# plan -> (bucket capacity, tokens refilled per second)
PLANS = {
    "free": (10, 0.25),
    "pro": (60, 2.0),
    "enterprise": (500, 20.0),
}


class ThrottleError(Exception):
    """A request to the limiter itself makes no sense."""


class Throttle:
    def __init__(self, clock, plans=None, strike_limit=3, ban_seconds=60):
        self.clock = clock
        self.plans = dict(PLANS)
        if plans:
            for name in plans:
                cap, rate = plans[name]
                if cap <= 0 or rate <= 0:
                    raise ThrottleError("plan %s needs a positive capacity and rate" % name)
                self.plans[name.lower()] = (int(cap), float(rate))
        if strike_limit < 1:
            raise ThrottleError("strike_limit must be at least 1")
        self.strike_limit = strike_limit
        self.ban_seconds = ban_seconds
        self.clients = {}
        self.log = []
        self.allowed_total = 0
        self.denied_total = 0

    def check(self, client_id, cost=1, plan=None, dry_run=False, strict=False):
        """Ask whether the client may spend `cost` tokens now.

        Returns (allowed, info); info has reason, remaining and retry_after.
        """
        if not isinstance(client_id, str) or client_id.strip() == "":
            raise ThrottleError("client id must be a non-empty string")
        if isinstance(cost, bool) or not isinstance(cost, int) or cost <= 0:
            raise ThrottleError("cost must be a positive whole number, got %r" % (cost,))
        cid = client_id.strip().lower()
        now = self.clock()
        rec = self.clients.get(cid)
        if rec is None:
            p = plan.lower() if plan else "free"
            if p not in self.plans:
                raise ThrottleError("unknown plan: %s" % plan)
            rec = {
                "plan": p,
                "tokens": float(self.plans[p][0]),
                "updated": now,
                "first_seen": now,
                "strikes": [],
                "bans": 0,
                "banned_until": None,
                "allowed": 0,
                "denied": 0,
            }
            self.clients[cid] = rec
        elif plan is not None and plan.lower() != rec["plan"]:
            p = plan.lower()
            if p not in self.plans:
                raise ThrottleError("unknown plan: %s" % plan)
            rec["plan"] = p
            if rec["tokens"] > self.plans[p][0]:
                rec["tokens"] = float(self.plans[p][0])
            self.log.append("%s moved to %s at %.1f" % (cid, p, now))
        cap, rate = self.plans[rec["plan"]]
        elapsed = now - rec["updated"]
        if elapsed < 0:
            # the clock went backwards (NTP step); no refill, but do not go negative either
            elapsed = 0
        rec["tokens"] = min(float(cap), rec["tokens"] + elapsed * rate)
        rec["updated"] = now

        if rec["banned_until"] is not None:
            if now < rec["banned_until"]:
                left = rec["banned_until"] - now
                if not dry_run:
                    rec["denied"] += 1
                    self.denied_total += 1
                return False, {
                    "reason": "banned",
                    "remaining": 0,
                    "retry_after": math.ceil(left * 10) / 10,
                }
            else:
                rec["banned_until"] = None
                rec["strikes"] = []
                self.log.append("%s unbanned at %.1f" % (cid, now))

        if cost > cap:
            if not dry_run:
                rec["denied"] += 1
                self.denied_total += 1
            return False, {
                "reason": "cost %d exceeds capacity %d" % (cost, cap),
                "remaining": int(rec["tokens"]),
                "retry_after": None,
            }
        if rec["tokens"] >= cost:
            if not dry_run:
                rec["tokens"] = rec["tokens"] - cost
                rec["allowed"] += 1
                self.allowed_total += 1
            return True, {"reason": "ok", "remaining": int(rec["tokens"]), "retry_after": 0.0}
        else:
            wait = (cost - rec["tokens"]) / rate
            if not dry_run:
                rec["denied"] += 1
                self.denied_total += 1
                if strict:
                    # strikes older than a minute are forgiven
                    fresh = []
                    for s in rec["strikes"]:
                        if now - s < 60:
                            fresh.append(s)
                    fresh.append(now)
                    rec["strikes"] = fresh
                    if len(fresh) >= self.strike_limit:
                        if rec["plan"] == "enterprise":
                            self.log.append("%s would be banned (enterprise) at %.1f" % (cid, now))
                        else:
                            rec["bans"] += 1
                            # doubles with every ban, an hour at most
                            length = min(self.ban_seconds * 2 ** (rec["bans"] - 1), 3600)
                            rec["banned_until"] = now + length
                            self.log.append("%s banned for %ds at %.1f" % (cid, length, now))
            return False, {
                "reason": "rate limited",
                "remaining": int(rec["tokens"]),
                "retry_after": math.ceil(wait * 10) / 10,
            }

    def allow(self, client_id, cost=1, plan=None):
        ok, info = self.check(client_id, cost, plan)
        return ok

    def check_many(self, requests, strict=False):
        """Check a batch of request dicts (client, cost, plan); marks each dict in place."""
        allowed = 0
        for req in requests:
            if "client" not in req:
                raise ThrottleError("request without a client")
            ok, info = self.check(req["client"], req.get("cost", 1), req.get("plan"), strict=strict)
            req["allowed"] = ok
            req["reason"] = info["reason"]
            if ok:
                allowed += 1
        return allowed

    def status(self, client_id):
        cid = client_id.strip().lower()
        if cid not in self.clients:
            raise KeyError("unknown client: %s" % client_id)
        return self.clients[cid]

    def reset(self, client_id, keep_strikes=False):
        cid = client_id.strip().lower()
        rec = self.clients.get(cid)
        if rec is None:
            return False
        rec["tokens"] = float(self.plans[rec["plan"]][0])
        rec["updated"] = self.clock()
        rec["banned_until"] = None
        if not keep_strikes:
            rec["strikes"] = []
            rec["bans"] = 0
        self.log.append("%s reset%s" % (cid, " (strikes kept)" if keep_strikes else ""))
        return True

    def sweep(self, max_idle=900):
        """Forget clients idle for longer than max_idle seconds (banned ones are kept)."""
        now = self.clock()
        gone = []
        for cid in list(self.clients):
            rec = self.clients[cid]
            if rec["banned_until"] is not None and rec["banned_until"] > now:
                continue
            if now - rec["updated"] > max_idle:
                gone.append(cid)
                del self.clients[cid]
        gone.sort()
        if gone:
            self.log.append("swept %d idle client%s" % (len(gone), "" if len(gone) == 1 else "s"))
        return gone

    def board(self, sort_by="denied", limit=None, show_bans=True):
        """The plain-text board: one row per client, worst offenders first."""
        now = self.clock()
        rows = []
        for cid in self.clients:
            rec = self.clients[cid]
            total = rec["allowed"] + rec["denied"]
            if total > 0:
                pct = rec["denied"] * 100.0 / total
            else:
                pct = 0.0
            banned = ""
            if show_bans:
                if rec["banned_until"] is not None and rec["banned_until"] > now:
                    banned = "%ds" % math.ceil(rec["banned_until"] - now)
            rows.append((cid, rec["plan"], rec["allowed"], rec["denied"], pct, rec["tokens"], banned))
        if sort_by == "denied":
            rows.sort(key=lambda r: (-r[3], r[0]))
        elif sort_by == "allowed":
            rows.sort(key=lambda r: (-r[2], r[0]))
        elif sort_by == "client":
            rows.sort(key=lambda r: r[0])
        else:
            raise ThrottleError("cannot sort the board by %r" % sort_by)
        if limit is not None:
            rows = rows[:limit]
        lines = []
        header = "%-16s %-10s %7s %7s %6s %7s" % ("client", "plan", "allowed", "denied", "deny%", "tokens")
        if show_bans:
            header = header + " %6s" % "ban"
        lines.append(header)
        lines.append("-" * len(header))
        for r in rows:
            name = r[0]
            if len(name) > 16:
                name = name[:15] + "~"
            line = "%-16s %-10s %7d %7d %5.1f%% %7.2f" % (name, r[1], r[2], r[3], r[4], r[5])
            if show_bans:
                line = line + " %6s" % r[6]
            lines.append(line.rstrip())
        lines.append("-" * len(header))
        lines.append("total allowed %d, denied %d, clients %d" % (self.allowed_total, self.denied_total, len(self.clients)))
        return "\n".join(lines)
