"""Reading one line of the gateway's access log.

    2024-03-01 12:00:03 10.0.0.7 GET /api/users/42?x=1 200 123ms 5321

Archived lines from the old gateway have the method in lower case and the status written
as "HTTP/200"; both still parse.
"""

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
FIELDS = 8
_OLD_STATUS_PREFIX = "HTTP/"


class LogFormatError(ValueError):
    """A line of the access log cannot be read."""


class _BadField(Exception):
    """Internal: the message of a line that cannot be read."""


def parse_line(line, lineno=0, strict=False):
    """One log line as a dict; None for blank lines and comments.

    A line that cannot be read raises LogFormatError when strict, else comes back as
    {"error": message}.
    """
    line = line.strip()
    if line == "" or line.startswith("#"):
        return None
    try:
        return _fields(line.split(), lineno)
    except _BadField as problem:
        if strict:
            raise LogFormatError(str(problem)) from None
        return {"error": str(problem)}


def _fields(parts, lineno):
    if len(parts) != FIELDS:
        raise _BadField("line %d: expected 8 fields, found %d" % (lineno, len(parts)))
    day, clock, ip, method, path, status, took, size = parts
    if not _shaped(day, 10, "-", (4, 7)):
        _bad(lineno, "date", day)
    if not _shaped(clock, 8, ":", (2, 5)):
        _bad(lineno, "time", clock)
    method = method.upper()
    if method not in METHODS:
        _bad(lineno, "unknown method", method, prefix="")
    if status.startswith(_OLD_STATUS_PREFIX):
        status = status[len(_OLD_STATUS_PREFIX) :]
    if len(status) != 3 or not status.isdigit():
        _bad(lineno, "status", status)
    ms = _milliseconds(took, lineno)
    nbytes = _size(size, lineno)
    return {
        "ts": day + " " + clock,
        "ip": ip,
        "method": method,
        "path": path,
        "status": int(status),  # after the checks above, as the original did
        "ms": ms,
        "bytes": nbytes,
    }


def _shaped(text, length, separator, positions):
    """Digits of the given length with the separator at exactly the given positions."""
    return (
        len(text) == length
        and all(text[i] == separator for i in positions)
        and text.replace(separator, "").isdigit()
    )


def _milliseconds(took, lineno):
    """"123ms", "1.5s" or "-" (not measured: None)."""
    if took == "-":
        return None
    try:
        if took.endswith("ms"):
            return float(took[:-2])
        if took.endswith("s"):
            return float(took[:-1]) * 1000
    except ValueError:
        pass
    _bad(lineno, "duration", took)


def _size(size, lineno):
    if size == "-":
        return 0
    if size.isdigit():
        return int(size)
    _bad(lineno, "size", size)


def _bad(lineno, what, value, prefix="bad "):
    raise _BadField("line %d: %s%s %r" % (lineno, prefix, what, value))
