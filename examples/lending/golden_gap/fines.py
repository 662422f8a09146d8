"""The fine for a late return: one rule, charged by the desk and quoted by the notices."""

from members import fine_share

GRACE_DAYS = 2
# cents per day late, by kind of item (a kind not listed is never fined)
FINE_PER_DAY = {"book": 20, "dvd": 100, "magazine": 10}
FINE_CAP = 1000
FULL_SHARE = 100  # percent


def fine_for(kind, days_late, tier):
    """The fine, in cents, for an item of this kind returned days_late days after it was due
    by a member of this tier."""
    if days_late <= GRACE_DAYS:
        return 0
    # once past the grace period, every day late is charged, the grace days too
    fine = min(days_late * FINE_PER_DAY.get(kind, 0), FINE_CAP)
    share = fine_share(tier)
    if share == FULL_SHARE:
        return fine
    # whole cents, rounded down (a fine a member pays part of stays an int)
    return fine * share // FULL_SHARE
