"""The search page's timeline as plain geometry for an inline SVG: no script, every bar a link.

A bar narrows the search to its period (from/to of its bucket); with `by`, each bar is stacked from the
series (top values, then "lainnya"). The page also prints the counts as a table, for screen readers and for
anyone who wants the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from indexer.timeline import Timeline

WIDTH, HEIGHT = 720, 140  # the SVG's own units; CSS scales it to the column
BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass(frozen=True)
class Segment:
    y: float
    height: float
    series: int  # which series colours it (-1: the total, without `by`)
    count: int


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    start: date
    end: date
    count: int
    label: str  # the period, in Bahasa Indonesia
    segments: list[Segment]


def period(start: date, interval: str) -> str:
    if interval == "month":
        return f"{BULAN[start.month - 1]} {start.year}"
    if interval == "week":
        return f"pekan {start.day} {BULAN[start.month - 1]} {start.year}"
    return f"{start.day} {BULAN[start.month - 1]} {start.year}"


def bars(timeline: Timeline) -> list[Bar]:
    """One bar per bucket, scaled to the tallest; stacked segments per series when there are series."""
    n = len(timeline.starts)
    if not n:
        return []
    # a story may name several regions or bodies, so its series can add up to more than the bar's count
    top = max(max(c, sum(s.counts[i] for s in timeline.series)) for i, c in enumerate(timeline.counts)) or 1
    step = WIDTH / n
    gap = min(2.0, step * 0.2)
    out = []
    for i, (start, count) in enumerate(zip(timeline.starts, timeline.counts, strict=True)):
        parts = [(k, s.counts[i]) for k, s in enumerate(timeline.series)] or [(-1, count)]
        segments, base = [], HEIGHT
        for k, value in parts:
            h = HEIGHT * value / top
            if value:
                segments.append(Segment(round(base - h, 2), round(h, 2), k, value))
            base -= h
        out.append(Bar(round(i * step, 2), round(step - gap, 2), start, timeline.end(i), count,
                       period(start, timeline.interval), segments))
    return out
