"""Percentiles and byte counts as the report shows them."""

import math

KIB = 1024
MIB = KIB * KIB


def percentile(values, pct):
    """Nearest-rank percentile (the one the SLO document uses); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(pct / 100.0 * len(ordered))
    return ordered[max(int(rank) - 1, 0)]


def human_bytes(n):
    if n < KIB:
        return "%d B" % n
    if n < MIB:
        return "%.1f kB" % (n / float(KIB))
    return "%.1f MB" % (n / float(KIB) / float(KIB))
