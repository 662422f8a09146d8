"""The answers ``check`` gives: ``(allowed, {"reason", "remaining", "retry_after"})``."""

import math

OK = "ok"
BANNED = "banned"
RATE_LIMITED = "rate limited"


def tenths_up(seconds):
    """A wait rounded up to a tenth of a second, so a client that waits that long gets in."""
    return math.ceil(seconds * 10) / 10


def answer(allowed, reason, remaining, retry_after):
    return allowed, {"reason": reason, "remaining": remaining, "retry_after": retry_after}


def too_costly(cost, capacity):
    return "cost %d exceeds capacity %d" % (cost, capacity)
