"""The package's own exception."""


class ThrottleError(Exception):
    """A request to the limiter itself makes no sense."""
