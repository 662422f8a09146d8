"""Numbers for the report: percentiles and byte counts."""

import math

_KIB = 1024
_MIB = _KIB * _KIB

# (upper bound or None, format, how many times the count is divided by 1024)
_SIZE_SCALES = (
    (_KIB, "%d B", 0),
    (_MIB, "%.1f kB", 1),
    (None, "%.1f MB", 2),
)


def percentile(values, pct):
    """Nearest-rank percentile (the one the SLO document uses); None for no values."""
    if not values:
        return None
    ranked = sorted(values)
    rank = int(math.ceil(pct / 100.0 * len(ranked)))
    return ranked[max(rank - 1, 0)]


def human_bytes(n):
    for bound, pattern, divisions in _SIZE_SCALES:
        if bound is None or n < bound:
            scaled = n
            for _ in range(divisions):
                scaled = scaled / 1024.0
            return pattern % scaled
