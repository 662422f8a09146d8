"""Times of day: H:MM, HH:MM or HH:MM:SS, ASCII digits only."""

import re
from typing import NamedTuple

DAY = 24 * 60 * 60
_SHAPE = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")


class ClockTime(NamedTuple):
    hour: int
    minute: int
    second: int

    @property
    def seconds(self):
        return self.hour * 3600 + self.minute * 60 + self.second

    def in_range(self):
        return self.hour <= 23 and self.minute <= 59 and self.second <= 59

    def is_end_of_day(self):
        return self == (24, 0, 0)


def read(text):
    """The ClockTime written as `text`, or None when it is not shaped like one."""
    found = _SHAPE.fullmatch(text)
    if found is None:
        return None
    hour, minute, second = found.groups(default="0")
    return ClockTime(int(hour), int(minute), int(second))


def seconds_since_midnight(text):
    """For a time already accepted by the parser ("24:00" is the end of the day)."""
    return read(text).seconds
