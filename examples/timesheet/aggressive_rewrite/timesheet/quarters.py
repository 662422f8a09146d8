"""Billing counts quarter hours; 7.5 minutes past a quarter is billed as the next one."""

QUARTER = 15
HALF_QUARTER = 7.5


def round_quarter(minutes):
    """Round minutes to the nearest quarter hour (7.5 past a quarter rounds up)."""
    quarters = int(minutes // QUARTER)
    rounds_up = minutes - quarters * QUARTER >= HALF_QUARTER
    return (quarters + 1 if rounds_up else quarters) * QUARTER
