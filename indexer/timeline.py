"""How coverage moved over time: a search's matches counted per day, week or month, as numpy arrays.

A timeline counts exactly what the search's `total` counts (stories when results are collapsed, each on the
day its first copy among the matches was published; articles otherwise), so its buckets plus `undated` add
up to `total`, always. Buckets are cut on the same UTC day boundaries as the `from`/`to` filters, so the
search narrowed to a bar's period finds exactly the bar's count. Empty buckets are kept: a month with
nothing is a bar of 0.

Publication times arrive as one array of Unix seconds (-inf: undated); a bucket is found for all of them at
once (day numbers, ISO week Mondays, year*12+month), never one hit at a time in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

INTERVALS = ("day", "week", "month")
MAX_BARS = 60
MAX_BUCKETS = 1000  # an explicit interval over a long span: more bars than any chart draws is refused
OTHERS = "lainnya"  # the series of everything outside the top ones
TOP_SERIES = 5
_EPOCH = date(1970, 1, 1)


class TooManyBuckets(ValueError):  # noqa: N818
    def __init__(self, buckets: int, interval: str):
        super().__init__(f"{buckets} {interval} buckets")
        self.buckets, self.interval = buckets, interval


@dataclass(frozen=True)
class Series:
    key: str  # what a filter takes (an outlet id, a region, a body)
    label: str  # what a person reads
    counts: list[int]


@dataclass(frozen=True)
class Timeline:
    interval: str
    starts: list[date]  # each bucket's first day
    counts: list[int]
    undated: int
    series: list[Series] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts) + self.undated

    def end(self, i: int) -> date:
        """The last day of bucket i (what `to` takes to narrow a search to it)."""
        return next_start(self.starts[i], self.interval) - timedelta(days=1)


def interval_for(first: date, last: date) -> str:
    """The finest interval that draws the span in at most MAX_BARS bars (month beyond five years)."""
    days = (last - first).days + 1
    if days <= MAX_BARS:
        return "day"
    if days <= MAX_BARS * 7:
        return "week"
    return "month"


def start_of(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if interval == "month":
        return day.replace(day=1)
    return day


def next_start(start: date, interval: str) -> date:
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def starts_between(first: date, last: date, interval: str) -> list[date]:
    """Every bucket from the one holding first to the one holding last."""
    out, at = [], start_of(first, interval)
    while at <= last:
        out.append(at)
        at = next_start(at, interval)
    return out


def bucket_index(times: np.ndarray, starts: list[date], interval: str) -> np.ndarray:
    """For each time (Unix seconds, finite), its bucket's position in starts; -1 outside them."""
    if not len(times):
        return np.zeros(0, dtype=np.int64)
    days = np.floor(times / 86400).astype(np.int64)  # UTC day numbers, as the from/to filters count days
    first = (starts[0] - _EPOCH).days
    if interval == "day":
        index = days - first
    elif interval == "week":
        monday = days - (days + 3) % 7  # 1970-01-01 was a Thursday
        index = (monday - first) // 7
    else:
        dt = days.astype("datetime64[D]")
        months = dt.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
        index = months - ((starts[0].year - 1970) * 12 + starts[0].month - 1)
    return np.where((index >= 0) & (index < len(starts)), index, -1)


def count(times: np.ndarray, starts: list[date], interval: str) -> list[int]:
    """How many of the (finite) times fall in each bucket."""
    index = bucket_index(times, starts, interval)
    return np.bincount(index[index >= 0], minlength=len(starts)).astype(int).tolist()


def build(times: np.ndarray, interval: str | None = None, first: date | None = None, last: date | None = None,
          groups: list[tuple[str, str, np.ndarray]] | None = None) -> Timeline:
    """The timeline of these publication times (one per story or article counted; -inf undated).

    first/last bound it (the search's from/to); without them it spans the dated times. groups, for a `by`
    timeline: (key, label, boolean mask over times) per candidate value; the TOP_SERIES with the most
    matches become series, the rest one OTHERS series (what none of the top ones holds).
    """
    dated = np.isfinite(times)
    undated = int(np.count_nonzero(~dated))
    when = times[dated]
    lo = hi = None
    if len(when):  # the day numbers bucket_index uses (fromtimestamp would round 23:59:59.9999998 up a day)
        lo, hi = (_EPOCH + timedelta(days=int(np.floor(t / 86400))) for t in (when.min(), when.max()))
    today = datetime.now(UTC).date()
    first, last = first or lo or today, last or hi or today
    last = max(last, first)
    chosen = interval or interval_for(first, last)
    starts = starts_between(first, last, chosen)
    if len(starts) > MAX_BUCKETS and lo is not None:  # a wide from/to: the bars where the matches are
        first, last = max(first, lo), max(min(last, hi), max(first, lo))
        chosen = interval or interval_for(first, last)
        starts = starts_between(first, last, chosen)
    if len(starts) > MAX_BUCKETS:
        raise TooManyBuckets(len(starts), chosen)
    interval = chosen
    series = []
    if groups is not None:
        ranked = sorted(((int(np.count_nonzero(mask[dated])), key, label, mask) for key, label, mask in groups),
                        key=lambda g: (-g[0], g[2].lower()))
        top = [g for g in ranked if g[0]][:TOP_SERIES]
        for _, key, label, mask in top:
            series.append(Series(key, label, count(times[dated & mask], starts, interval)))
        rest = dated & ~np.logical_or.reduce([g[3] for g in top]) if top else dated
        series.append(Series(OTHERS, OTHERS, count(times[rest], starts, interval)))
    # a dated time outside first..last cannot be: the search's own date filter bounds it
    return Timeline(interval, starts, count(when, starts, interval), undated, series)
