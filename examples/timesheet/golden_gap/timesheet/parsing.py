"""One timesheet line into an entry dict:

    2024-03-04 09:00-12:30 acme:design   # workshop with their ops team

An end before the start means the work went on past midnight; the entry still belongs to
the day it started.
"""

import datetime

from .clocktime import SECONDS_PER_DAY, parse_clock
from .errors import SheetError
from .rounding import round_quarter

DEFAULT_TASK = "general"
LONGEST_ENTRY_SECONDS = 16 * 3600


def _split_comment(line):
    """(the line before the first '#', the comment after it, stripped)."""
    if "#" not in line:
        return line, ""
    before, _, after = line.partition("#")
    return before, after.strip()


def _parse_date(text, lineno):
    shaped = len(text) == 10 and text[4] == "-" and text[7] == "-"
    if not shaped or not (text[:4] + text[5:7] + text[8:]).isdigit():
        raise SheetError("line %d: bad date %r" % (lineno, text))
    try:
        return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        raise SheetError("line %d: no such day %s" % (lineno, text))


def _parse_range(text, lineno):
    """(start text, end text, start seconds, end seconds, overnight)."""
    ends = text.split("-")
    if len(ends) != 2:
        raise SheetError("line %d: bad time range %r" % (lineno, text))
    start = parse_clock(ends[0], lineno)
    end = parse_clock(ends[1], lineno, end_of_day_allowed=True)
    if end == start:
        raise SheetError("line %d: empty time range %s" % (lineno, text))
    overnight = end < start
    if overnight:
        end += SECONDS_PER_DAY
    if end - start > LONGEST_ENTRY_SECONDS:
        raise SheetError("line %d: entry longer than 16 hours" % lineno)
    return ends[0], ends[1], start, end, overnight


def _parse_client_task(words, lineno):
    client, _, task = " ".join(words).partition(":")
    client = client.strip().lower()
    task = task.strip().lower()
    if client == "":
        raise SheetError("line %d: missing client" % lineno)
    return client, task or DEFAULT_TASK


def parse_line(line, lineno=1):
    """Parse one line of a timesheet.

    Returns the entry as a dict, or None for a blank or comment-only line.
    """
    line, comment = _split_comment(line)
    fields = line.split()
    if not fields:
        return None
    if len(fields) < 3:
        raise SheetError("line %d: expected a date, a time range and a client" % lineno)
    day = _parse_date(fields[0], lineno)
    start_text, end_text, start, end, overnight = _parse_range(fields[1], lineno)
    client, task = _parse_client_task(fields[2:], lineno)
    return {
        "line": lineno,
        "date": day.isoformat(),
        "start": start_text,
        "end": end_text,
        "overnight": overnight,
        "client": client,
        "task": task,
        "minutes": round_quarter((end - start) / 60),
        "comment": comment,
    }


def parse_sheet(text):
    """Parse a whole timesheet; the entries in file order."""
    entries = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        entry = parse_line(line, lineno)
        if entry is not None:
            entries.append(entry)
    return entries
