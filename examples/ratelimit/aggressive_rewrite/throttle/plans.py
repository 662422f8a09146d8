"""Plans: bucket capacity and refill rate.

``PLANS`` is public; every ``Throttle`` starts from a copy of it as it is at that moment.
"""

from .errors import ThrottleError

# plan -> (bucket capacity, tokens refilled per second)
PLANS = {
    "free": (10, 0.25),
    "pro": (60, 2.0),
    "enterprise": (500, 20.0),
}

DEFAULT_PLAN = "free"
UNBANNABLE_PLAN = "enterprise"  # contract clause 7.2: throttled, never banned


def plan_table(custom):
    """The built-in plans with ``custom`` ones added or overriding (by lower-cased name)."""
    table = dict(PLANS)
    for name in custom or ():
        capacity, rate = custom[name]
        if capacity <= 0 or rate <= 0:
            raise ThrottleError("plan %s needs a positive capacity and rate" % name)
        table[name.lower()] = (int(capacity), float(rate))
    return table


def checked_plan(table, plan):
    """The lower-cased plan name, which must be in ``table``."""
    name = plan.lower()
    if name not in table:
        raise ThrottleError("unknown plan: %s" % plan)
    return name
