"""The one exception the package defines."""


class LogFormatError(ValueError):
    """A line of the access log cannot be read."""
