"""Errors, always naming the line they are about."""


class SheetError(Exception):
    """A timesheet line that cannot be read."""


def at_line(lineno, what, *args):
    """A SheetError for line `lineno`: "line <lineno>: <what % args>" (formatted in one go)."""
    template = "line %d: " + what
    return SheetError(template % ((lineno,) + args) if args else template % lineno)
