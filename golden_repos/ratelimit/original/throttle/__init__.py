"""Request throttling for the public API gateway (see throttle.limiter)."""

from .limiter import PLANS, Throttle, ThrottleError

__all__ = ["PLANS", "Throttle", "ThrottleError"]
