"""Times of day as written in a timesheet: H:MM, HH:MM or HH:MM:SS."""

from .errors import SheetError

SECONDS_PER_DAY = 86400


def _fields(text):
    """The hour, minute and second fields, or None when the text is not a time's shape."""
    fields = text.split(":")
    if len(fields) not in (2, 3):
        return None
    if len(fields[0]) > 2:
        return None
    for position, field in enumerate(fields):
        if not field.isascii() or not field.isdigit():
            return None
        if position > 0 and len(field) != 2:
            return None
    hours, minutes = int(fields[0]), int(fields[1])
    seconds = int(fields[2]) if len(fields) == 3 else 0
    return hours, minutes, seconds


def parse_clock(text, lineno, end_of_day_allowed=False):
    """Seconds since midnight; "24:00" only where `end_of_day_allowed` (an entry's end)."""
    fields = _fields(text)
    if fields is None:
        raise SheetError("line %d: bad time %r" % (lineno, text))
    hours, minutes, seconds = fields
    if end_of_day_allowed and fields == (24, 0, 0):
        return SECONDS_PER_DAY
    if hours > 23 or minutes > 59 or seconds > 59:
        raise SheetError("line %d: bad time %r" % (lineno, text))
    return hours * 3600 + minutes * 60 + seconds


def seconds_of(text):
    """Seconds since midnight of a time the parser already accepted (24:00 is 86400)."""
    fields = text.split(":")
    seconds = int(fields[2]) if len(fields) == 3 else 0
    return int(fields[0]) * 3600 + int(fields[1]) * 60 + seconds
