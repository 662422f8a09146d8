"""The three timing figures both formats show for an endpoint."""

from ..stats import percentile

TIMING_PERCENTILE = 95


def timing_figures(times):
    """Mean, 95th percentile and maximum, computed one at a time as they are formatted."""
    yield sum(times) / len(times)
    yield percentile(times, TIMING_PERCENTILE)
    yield max(times)


def formatted_timings(times, pattern):
    return [pattern % figure for figure in timing_figures(times)]
