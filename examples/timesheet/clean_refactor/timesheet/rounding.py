"""Billing rounds every entry to the nearest quarter hour.

Agreed with finance: 7.5 minutes past a quarter is billed as the next quarter.
"""

QUARTER_MINUTES = 15
ROUND_UP_FROM = 7.5  # minutes past a quarter


def round_quarter(minutes):
    """Round minutes to the nearest quarter hour (7.5 past a quarter rounds up)."""
    quarters = int(minutes // QUARTER_MINUTES)
    past = minutes - quarters * QUARTER_MINUTES
    if past >= ROUND_UP_FROM:
        quarters += 1
    return quarters * QUARTER_MINUTES
