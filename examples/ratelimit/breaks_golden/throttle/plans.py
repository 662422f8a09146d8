"""The plans a client can be on: bucket capacity and refill rate."""

from .errors import ThrottleError

DEFAULT_PLAN = "free"
ENTERPRISE = "enterprise"  # never banned (contract clause 7.2)

# plan -> (bucket capacity, tokens refilled per second)
PLANS = {
    "free": (10, 0.25),
    "pro": (60, 2.0),
    ENTERPRISE: (500, 20.0),
}


def build_plans(custom):
    """The built-in plans plus `custom` ones (names are case-insensitive)."""
    plans = dict(PLANS)
    for name, (capacity, rate) in (custom or {}).items():
        if capacity <= 0 or rate <= 0:
            raise ThrottleError("plan %s needs a positive capacity and rate" % name)
        plans[name.lower()] = (int(capacity), float(rate))
    return plans


def known_plan(plans, requested, name):
    """`name` (already lower-cased) when it is a plan; the error names what was asked for."""
    if name not in plans:
        raise ThrottleError("unknown plan: %s" % (requested,))
    return name
