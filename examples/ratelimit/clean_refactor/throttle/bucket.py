"""A client's record and its token bucket.

The record is a plain dict on purpose: `Throttle.status()` hands it out and operators edit it
in place, so its keys are part of the interface.
"""

import math


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
    """Add the tokens earned since the last update; a clock that went back earns none."""
    elapsed = max(now - record["updated"], 0)
    record["tokens"] = min(float(capacity), record["tokens"] + elapsed * rate)
    record["updated"] = now


def tenths_up(seconds):
    """Seconds rounded up to the next tenth, as retry_after reports them."""
    return math.ceil(seconds * 10) / 10
