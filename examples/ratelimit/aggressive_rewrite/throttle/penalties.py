"""Strikes and bans for clients that keep hitting the limit in strict mode.

Each refusal in strict mode is a strike; strikes older than a minute are forgiven; a
client with ``strike_limit`` fresh strikes is banned for ``ban_seconds``, doubled with
every ban and never more than an hour.  Enterprise clients are only logged.
"""

from .plans import UNBANNABLE_PLAN

STRIKE_MEMORY = 60  # seconds
LONGEST_BAN = 3600  # seconds


def ban_length(ban_seconds, bans):
    """The length of the ``bans``-th ban (1-based)."""
    return min(ban_seconds * 2 ** (bans - 1), LONGEST_BAN)


def strike(record, now, strike_limit, ban_seconds, cid):
    """Record a strike; returns the audit line it causes, if any.

    The strikes list is replaced, never edited in place (a caller may hold the old one).
    """
    fresh = [s for s in record["strikes"] if now - s < STRIKE_MEMORY]
    fresh.append(now)
    record["strikes"] = fresh
    if not len(fresh) >= strike_limit:  # (not "<": a NaN limit never bans)
        return None
    if record["plan"] == UNBANNABLE_PLAN:
        return "%s would be banned (enterprise) at %.1f" % (cid, now)
    record["bans"] += 1
    length = ban_length(ban_seconds, record["bans"])
    record["banned_until"] = now + length
    return "%s banned for %ds at %.1f" % (cid, length, now)


def lift_ban(record):
    record["banned_until"] = None
    record["strikes"] = []
