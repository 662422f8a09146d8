"""render_report(): the weekly report in one of its formats."""

from .table import render_csv
from .text import render_text


def _csv(summary, title, top):
    return render_csv(summary)


# Tried in order with ==, so any value of `fmt` (even an unhashable one) gets the
# ValueError below rather than a TypeError from a dict lookup.
_RENDERERS = (
    ("csv", _csv),
    ("text", render_text),
)


def render_report(s, title="Access log", fmt="text", top=3):
    """The weekly report as text (fixed width) or CSV (one row per endpoint)."""
    for name, render in _RENDERERS:
        if fmt == name:
            return render(s, title, top)
    raise ValueError("unknown report format: %r" % (fmt,))
