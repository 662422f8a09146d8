"""Request throttling for the public API gateway."""

from .errors import ThrottleError
from .limiter import Throttle
from .plans import PLANS

__all__ = ["PLANS", "Throttle", "ThrottleError"]
