"""The client record and its token bucket.

The record stays a plain dict with these keys, in this order: ``status()`` hands out the
live record and the admin console edits it in place.
"""


def new_record(plan, capacity, now):
    return {
        "plan": plan,
        "tokens": float(capacity),
        "updated": now,
        "first_seen": now,
        "strikes": [],
        "bans": 0,
        "banned_until": None,
        "allowed": 0,
        "denied": 0,
    }


def refill(record, capacity, rate, now):
    """Add the tokens earned since the last update, up to the capacity.

    A clock that went backwards (an NTP step) earns nothing, and takes nothing either.
    """
    elapsed = max(now - record["updated"], 0)
    record["tokens"] = min(float(capacity), record["tokens"] + elapsed * rate)
    record["updated"] = now


def is_banned(record, now):
    """Still serving a ban at ``now`` (the instant it ends is already free)."""
    return record["banned_until"] is not None and record["banned_until"] > now
