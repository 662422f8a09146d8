"""Request throttling for the public API gateway.

Rewritten from the single legacy ``limiter.py`` class:

* ``plans``     -- the built-in plans and how custom ones are merged in
* ``errors``    -- ``ThrottleError``
* ``bucket``    -- the client record (a plain dict: operators edit it) and its refill
* ``verdicts``  -- the ``(allowed, info)`` answers and their rounding
* ``penalties`` -- strikes and bans for clients that keep hitting the limit
* ``board``     -- the plain-text board the on-call dashboard reads
* ``limiter``   -- ``Throttle``, which ties them together
"""

from .errors import ThrottleError
from .limiter import Throttle
from .plans import PLANS

__all__ = ["PLANS", "Throttle", "ThrottleError"]
