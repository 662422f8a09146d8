"""The one exception the package raises on purpose."""


class SheetError(Exception):
    """A timesheet line that cannot be read."""
