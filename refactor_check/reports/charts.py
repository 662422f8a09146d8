"""The geometry of the report's small inline-SVG charts; the template draws them.

Charts are plain shapes with text labels beside them, so they read in print and without
colour; every bar also carries a ``<title>`` naming what it measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_HEIGHT = 11
GAP = 4
LABEL_ROOM = 70  # px right of the longest bar for its number


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    kind: str  # a CSS class: before, after, helper, killed, survived, ...
    title: str


@dataclass(frozen=True)
class Bar:
    y: float
    caption: str  # left of the bar: "before", "after"
    segments: tuple[Segment, ...]
    label: str  # right of the bar: the number
    label_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    description: str  # the whole chart in words (aria-label)


def before_after(
    name: str,
    before: int,
    after: int | None,
    helpers: Sequence[tuple[str, int]],
    scale: int,
    width: int = 230,
) -> Chart:
    """Complexity of one function before, and of what it became after (helpers stacked)."""
    caption_room = 40
    room = width - caption_room - LABEL_ROOM
    unit = room / max(scale, 1)
    top = Segment(caption_room, before * unit, "before", f"{name}: complexity {before}")
    x = float(caption_room)
    parts: list[Segment] = []
    if after is not None:
        parts.append(Segment(x, after * unit, "after", f"complexity {after}"))
        x += after * unit
    for helper, value in helpers:
        parts.append(Segment(x, value * unit, "helper", f"helper {helper}: complexity {value}"))
        x += value * unit
    helper_total = sum(v for _, v in helpers)
    after_label = "removed" if after is None and not helpers else str(after or 0)
    if helpers:
        after_label += f" + {helper_total}"
    bars = (
        Bar(0, "before", (top,), str(before), caption_room + before * unit + 4),
        Bar(BAR_HEIGHT + GAP, "after", tuple(parts), after_label, x + 4),
    )
    words = f"{name}: complexity {before} before, {after_label} after"
    if helpers:
        words += f" (the second number: {len(helpers)} helpers)"
    return Chart(width, 2 * BAR_HEIGHT + GAP, bars, words)


def stacked(parts: Sequence[tuple[str, int, str]], width: int = 320) -> Chart:
    """One bar split by counts (kind, count, title): mutants by fate."""
    total = sum(count for _, count, _ in parts) or 1
    x = 0.0
    segments = []
    for kind, count, title in parts:
        if count:
            segments.append(Segment(x, width * count / total, kind, f"{title}: {count}"))
            x += width * count / total
    words = ", ".join(f"{title} {count}" for _, count, title in parts if count)
    return Chart(width, BAR_HEIGHT + 4, (Bar(0, "", tuple(segments), "", width),), words)


def single(value: int, scale: int, kind: str, title: str, width: int = 150) -> Chart:
    """One bar scaled to the largest of its kind (``scale``), its number right of it:
    package lines one commit changed, beside the other commits'."""
    label_room = 40
    room = width - label_room
    length = room * max(value, 0) / max(scale, 1)
    segments = (Segment(0, length, kind, title),) if value > 0 else ()
    return Chart(width, BAR_HEIGHT + 2, (Bar(0, "", segments, str(value), length + 4),), title)
