"""Strikes and bans: a client that keeps hitting the limit in strict mode is shut out."""

STRIKE_WINDOW = 60  # seconds a strike counts
MAX_BAN = 3600  # seconds; bans double each time up to this


def is_banned(record, now):
    return record["banned_until"] is not None and now < record["banned_until"]


def lift_expired_ban(record):
    """Clear a ban whose time is up (with its strikes); True when there was one."""
    if record["banned_until"] is None:
        return False
    record["banned_until"] = None
    record["strikes"] = []
    return True


def add_strike(record, now, strike_limit, ban_seconds, exempt):
    """Record a strike; returns the ban length when it ends in a ban, else None.

    An exempt client reaching the limit is not banned: the caller logs that (returns 0).
    """
    record["strikes"] = [s for s in record["strikes"] if now - s < STRIKE_WINDOW] + [now]
    if len(record["strikes"]) < strike_limit:
        return None
    if exempt:
        return 0
    record["bans"] += 1
    length = min(ban_seconds * 2 ** (record["bans"] - 1), MAX_BAN)
    record["banned_until"] = now + length
    return length
