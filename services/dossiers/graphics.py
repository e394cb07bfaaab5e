"""Geometry for the dossier's drawings: the timeline and the network of co-involved officials.

Pure functions from facts to coordinates; the templates turn them into SVG (no script, no
inline style, so the page keeps its strict Content-Security-Policy). Partial dates are drawn
as what they are: a tenure known to the year starts somewhere in that year, so the uncertain
stretch is drawn apart from the certain one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from models.partial_date import PartialDate

TIMELINE_WIDTH = 960
LABEL_WIDTH = 260
ROW_HEIGHT = 22
AXIS_HEIGHT = 28
MARK_ROW_HEIGHT = 26


@dataclass(frozen=True)
class TimelineBar:
    label: str
    tier: str
    start: PartialDate
    end: PartialDate | None  # None: still in office


@dataclass(frozen=True)
class TimelineMark:
    label: str
    when: PartialDate
    url: str | None = None


@dataclass(frozen=True)
class Segment:
    x: float
    width: float


@dataclass(frozen=True)
class DrawnBar:
    label: str
    tier: str
    y: float
    certain: Segment | None  # the stretch certainly in office
    uncertain: tuple[Segment, ...]  # stretches where the dates only possibly reach
    open_end: bool
    clipped: bool  # starts before the temporal scope


@dataclass(frozen=True)
class DrawnMark:
    label: str
    url: str | None
    x: float
    width: float  # 0 for a day; the interval for a month or a year
    precise: bool


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    plot_left: int
    plot_right: int
    bars: tuple[DrawnBar, ...]
    marks: tuple[DrawnMark, ...]
    marks_y: float
    ticks: tuple[Tick, ...]
    scope_start: dt.date
    scope_end: dt.date
    left_out: int  # facts entirely before the temporal scope, not drawn


Scale = Callable[[dt.date], float]


def _scale(start: dt.date, end: dt.date, left: float, right: float) -> Scale:
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        day = min(max(day, start), end)
        return round(left + (right - left) * (day - start).days / span, 1)

    return x


def _segment(x: Scale, a: dt.date, b: dt.date) -> Segment | None:
    if b < a:
        return None
    left, right = x(a), x(b + dt.timedelta(days=1))
    return Segment(left, max(right - left, 1.0)) if right > left else None


def draw_timeline(
    bars: Sequence[TimelineBar], marks: Sequence[TimelineMark], *, scope_start: dt.date, today: dt.date
) -> Timeline:
    """Tenures as bars and decisions as marks, from the temporal scope's start to today."""
    scope_end = max(today, scope_start + dt.timedelta(days=365))
    left, right = LABEL_WIDTH, TIMELINE_WIDTH - 10
    x = _scale(scope_start, scope_end, left, right)
    drawn: list[DrawnBar] = []
    left_out = 0
    for bar in bars:
        last_day = bar.end.end if bar.end else scope_end
        if last_day < scope_start:
            left_out += 1
            continue
        # certainly in office from the end of the start interval to the start of the end interval
        certain_from = bar.start.end
        certain_to = bar.end.start if bar.end else scope_end
        uncertain = [s for s in (_segment(x, bar.start.start, certain_from - dt.timedelta(days=1)),) if s]
        if bar.end is not None and bar.end.precision != "day":
            tail = _segment(x, bar.end.start + dt.timedelta(days=1), bar.end.end)
            if tail:
                uncertain.append(tail)
        y = AXIS_HEIGHT + len(drawn) * ROW_HEIGHT
        drawn.append(
            DrawnBar(
                label=bar.label,
                tier=bar.tier,
                y=y,
                certain=_segment(x, certain_from, certain_to),
                uncertain=tuple(uncertain),
                open_end=bar.end is None,
                clipped=bar.start.start < scope_start,
            )
        )
    marks_y = AXIS_HEIGHT + len(drawn) * ROW_HEIGHT + 6
    drawn_marks: list[DrawnMark] = []
    for mark in sorted(marks, key=lambda m: m.when):
        if mark.when.end < scope_start:
            left_out += 1
            continue
        start, end = x(mark.when.start), x(mark.when.end + dt.timedelta(days=1))
        precise = mark.when.precision == "day"
        drawn_marks.append(DrawnMark(mark.label, mark.url, start, 0 if precise else end - start, precise))
    ticks = tuple(
        Tick(x(dt.date(year, 1, 1)), str(year))
        for year in range(scope_start.year + 1, scope_end.year + 1)
        if dt.date(year, 1, 1) <= scope_end
    )
    height = int(marks_y + MARK_ROW_HEIGHT + 6)
    return Timeline(
        TIMELINE_WIDTH, height, left, right, tuple(drawn), tuple(drawn_marks), marks_y, ticks,
        scope_start, scope_end, left_out,
    )  # fmt: skip


# --- network --------------------------------------------------------------------------------

NETWORK_SIZE = 520
NETWORK_LIMIT = 40  # beyond this, the busiest links are drawn and the rest listed


@dataclass(frozen=True)
class Peer:
    official_id: int
    name: str
    shared: int  # decisions both took part in
    url: str


@dataclass(frozen=True)
class Node:
    peer: Peer
    x: float
    y: float
    label_anchor: str  # "start" or "end": labels point away from the centre
    label_x: float
    weight: float  # stroke width of the link to the centre


@dataclass(frozen=True)
class Network:
    size: int
    centre: float
    nodes: tuple[Node, ...]
    not_drawn: tuple[Peer, ...]


def draw_network(peers: Sequence[Peer]) -> Network:
    """The official at the centre, co-involved officials around, the busiest first."""
    ordered = sorted(peers, key=lambda p: (-p.shared, p.name, p.official_id))
    shown, rest = ordered[:NETWORK_LIMIT], ordered[NETWORK_LIMIT:]
    centre = NETWORK_SIZE / 2
    radius = centre - 120
    most = max((p.shared for p in shown), default=1)
    nodes = []
    for index, peer in enumerate(shown):
        angle = 2 * math.pi * index / max(len(shown), 1) - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        right_side = math.cos(angle) >= 0
        nodes.append(
            Node(
                peer=peer,
                x=round(x, 1),
                y=round(y, 1),
                label_anchor="start" if right_side else "end",
                label_x=round(x + (9 if right_side else -9), 1),
                weight=round(1 + 4 * peer.shared / most, 1),
            )
        )
    return Network(NETWORK_SIZE, centre, tuple(nodes), tuple(rest))
