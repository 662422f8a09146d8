"""Reading one access-log line.

Each field that needs checking has a reader in ``_READERS``; the readers run in field
order and the first that rejects its field names the problem.  Readers signal a rejection
with the private ``_Rejected``; any other exception (for instance ``int()`` refusing a
superscript digit that ``str.isdigit`` accepted) escapes unchanged, as it always did.
"""

from .errors import LogFormatError
from .vocabulary import FIELD_NAMES, LEGACY_STATUS_PREFIX, METHODS

# suffix -> milliseconds per unit; "ms" must be tried before "s"
_DURATION_UNITS = (("ms", 1), ("s", 1000))
_NOT_MEASURED = "-"


class _Rejected(Exception):
    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


def _digits_with_separators(text, length, separator, positions):
    """``text`` is ``length`` long, has ``separator`` at ``positions`` and only digits
    once every separator is removed (wherever it is: the legacy check never minded)."""
    return (
        len(text) == length
        and all(text[i] == separator for i in positions)
        and text.replace(separator, "").isdigit()
    )


def _date(day):
    if not _digits_with_separators(day, 10, "-", (4, 7)):
        raise _Rejected("bad date %r" % day)
    return day


def _time(clock):
    if not _digits_with_separators(clock, 8, ":", (2, 5)):
        raise _Rejected("bad time %r" % clock)
    return clock


def _method(method):
    canonical = method.upper()
    if canonical not in METHODS:
        raise _Rejected("unknown method %r" % canonical)
    return canonical


def _status(status):
    # kept as text here: the conversion to int happens last, after the size is read
    code = status.removeprefix(LEGACY_STATUS_PREFIX)
    if len(code) != 3 or not code.isdigit():
        raise _Rejected("bad status %r" % code)
    return code


def _duration(took):
    if took == _NOT_MEASURED:
        return None
    for suffix, scale in _DURATION_UNITS:
        if took.endswith(suffix):
            try:
                return float(took[: -len(suffix)]) * scale
            except ValueError:
                break
    raise _Rejected("bad duration %r" % took)


def _size(size):
    if size == _NOT_MEASURED:
        return 0
    if not size.isdigit():
        raise _Rejected("bad size %r" % size)
    return int(size)


_READERS = (
    ("day", _date),
    ("clock", _time),
    ("method", _method),
    ("status", _status),
    ("took", _duration),
    ("size", _size),
)


def _read_fields(text):
    parts = text.split()
    if len(parts) != len(FIELD_NAMES):
        raise _Rejected("expected %d fields, found %d" % (len(FIELD_NAMES), len(parts)))
    fields = dict(zip(FIELD_NAMES, parts))
    for name, reader in _READERS:
        fields[name] = reader(fields[name])
    return {
        "ts": fields["day"] + " " + fields["clock"],
        "ip": fields["ip"],
        "method": fields["method"],
        "path": fields["path"],
        "status": int(fields["status"]),
        "ms": fields["took"],
        "bytes": fields["size"],
    }


def parse_line(line, lineno=0, strict=False):
    """One log line as a dict; None for blank lines and comments.

    A line that cannot be read raises LogFormatError when strict, else comes back as
    {"error": message}.
    """
    text = line.strip()
    if text == "" or text.startswith("#"):
        return None
    try:
        return _read_fields(text)
    except _Rejected as rejected:
        message = "line %d: %s" % (lineno, rejected.detail)
    if strict:
        raise LogFormatError(message)
    return {"error": message}
