"""Timesheet lines:

    2024-03-04 09:00-12:30 acme:design   # workshop with their ops team

Whitespace-separated date, start-end and client[:task]; a '#' starts a comment. An end
before the start runs past midnight (an end equal to it is an error), and the entry stays
on the day it started.
"""

import datetime

from . import clock
from .errors import at_line
from .quarters import round_quarter

GENERAL = "general"
LONGEST = 16 * 3600  # seconds


def _date(word, lineno):
    digits = word[:4] + word[5:7] + word[8:]
    if len(word) != 10 or word[4] != "-" or word[7] != "-" or not digits.isdigit():
        raise at_line(lineno, "bad date %r", word)
    try:
        return datetime.date(int(word[:4]), int(word[5:7]), int(word[8:]))
    except ValueError:
        raise at_line(lineno, "no such day %s", word) from None


def _time(text, lineno, may_end_the_day):
    found = clock.read(text)
    if found is not None and may_end_the_day and found.is_end_of_day():
        return clock.DAY
    if found is None or not found.in_range():
        raise at_line(lineno, "bad time %r", text)
    return found.seconds


def _span(word, lineno):
    """(start, end, overnight) in seconds, end past midnight when overnight."""
    if word.count("-") != 1:
        raise at_line(lineno, "bad time range %r", word)
    start_text, end_text = word.split("-")
    start = _time(start_text, lineno, False)
    end = _time(end_text, lineno, True)
    if start == end:
        raise at_line(lineno, "empty time range %s", word)
    overnight = end < start
    end += clock.DAY * overnight
    if end - start > LONGEST:
        raise at_line(lineno, "entry longer than 16 hours")
    return start, end, overnight


def parse_line(line, lineno=1):
    """Parse one line of a timesheet.

    Returns the entry as a dict, or None for a blank or comment-only line.
    """
    body, _, note = line.partition("#") if "#" in line else (line, "", "")
    words = body.split()
    if not words:
        return None
    if len(words) < 3:
        raise at_line(lineno, "expected a date, a time range and a client")
    day = _date(words[0], lineno)
    start, end, overnight = _span(words[1], lineno)
    client, _, task = " ".join(words[2:]).partition(":")
    client, task = client.strip().lower(), task.strip().lower()
    if not client:
        raise at_line(lineno, "missing client")
    start_text, end_text = words[1].split("-")
    return {
        "line": lineno,
        "date": day.isoformat(),
        "start": start_text,
        "end": end_text,
        "overnight": overnight,
        "client": client,
        "task": task or GENERAL,
        "minutes": round_quarter((end - start) / 60),
        "comment": note.strip(),
    }


def parse_sheet(text):
    """Parse a whole timesheet; the entries in file order."""
    parsed = (parse_line(line, number) for number, line in enumerate(text.splitlines(), 1))
    return [entry for entry in parsed if entry is not None]
