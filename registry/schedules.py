"""Crawl schedules from the registry: an interval ("30m", "2h", "1d") or a 5-field cron line, in WIB.

Jitter is derived from the outlet id, so outlets on the same schedule do not all start in the same
second, and a restarted scheduler keeps each outlet's slot instead of reshuffling them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # longest each month can be
MAX_INTERVAL = timedelta(days=366)
# A cron line that can fire at all fires within 8 years (29 February, with 2100 not a leap year).
HORIZON = timedelta(days=366 * 9)


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Schedule:
    text: str
    interval: timedelta | None = None  # for "30m"-style schedules
    cron: tuple[frozenset[int], ...] | None = None  # minute, hour, day, month, weekday (0 = Sunday)
    cron_restricted: tuple[bool, bool] = (False, False)  # day-of-month, day-of-week given (cron's OR rule)

    @classmethod
    def parse(cls, text: str) -> Schedule:
        m = _INTERVAL.match(text)
        if m:
            seconds = int(m.group(1)) * _UNITS[m.group(2)]
            if seconds <= 0:
                raise ScheduleError(f"schedule {text!r}: the interval must be more than zero")
            if seconds > MAX_INTERVAL.total_seconds():
                raise ScheduleError(f"schedule {text!r}: the interval must be at most {MAX_INTERVAL.days} days")
            return cls(text, interval=timedelta(seconds=seconds))
        fields = text.split()
        if len(fields) != 5:
            raise ScheduleError(f"schedule {text!r}: expected an interval like '30m' or a 5-field cron line")
        sets = tuple(_cron_field(f, low, high, text) for f, (low, high) in zip(fields, _RANGES, strict=True))
        weekdays = frozenset(d % 7 for d in sets[4])
        schedule = cls(text, cron=(*sets[:4], weekdays), cron_restricted=(fields[2] != "*", fields[4] != "*"))
        if not schedule._can_fire():
            raise ScheduleError(f"schedule {text!r} never fires: no month in it has that day")
        return schedule

    def _can_fire(self) -> bool:
        """Whether some day of the year matches (minutes and hours always do once parsed)."""
        _, _, days, months, _ = self.cron
        dom, dow = self.cron_restricted
        if dow:  # every month has every weekday; with both given, cron fires on either
            return True
        return any(day <= _MONTH_DAYS[month - 1] for month in months for day in days)

    @property
    def period(self) -> timedelta:
        """The usual gap between two runs (for cron: between the next two slots from now)."""
        if self.interval:
            return self.interval
        first = self.next_after(datetime.now(WIB))
        return self.next_after(first) - first

    def next_after(self, when: datetime) -> datetime:
        """The first slot strictly after when (aware datetimes; cron slots are read in WIB)."""
        if self.interval:
            return when + self.interval
        t = when.astimezone(WIB).replace(second=0, microsecond=0) + timedelta(minutes=1)
        minutes, hours, days, months, weekdays = self.cron
        limit = t + HORIZON
        while t < limit:
            if t.month not in months:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            elif not self._day_matches(t, days, weekdays):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
            elif t.hour not in hours:
                t = t.replace(minute=0) + timedelta(hours=1)
            elif t.minute not in minutes:
                t += timedelta(minutes=1)
            else:
                return t
        raise ScheduleError(f"schedule {self.text!r} never fires")

    def _day_matches(self, t: datetime, days: frozenset[int], weekdays: frozenset[int]) -> bool:
        in_month, in_week = t.day in days, (t.isoweekday() % 7) in weekdays
        dom, dow = self.cron_restricted
        if dom and dow:  # cron: when both are given, either may match
            return in_month or in_week
        return in_month and in_week


def _cron_field(field: str, low: int, high: int, text: str) -> frozenset[int]:
    out: set[int] = set()
    for part in field.split(","):
        m = re.fullmatch(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?", part)
        if not m:
            raise ScheduleError(f"schedule {text!r}: cannot read {part!r}")
        span, step = m.group(1), int(m.group(2) or 1)
        if span == "*":
            start, end = low, high
        elif "-" in span:
            start, end = (int(x) for x in span.split("-"))
        else:
            start = int(span)
            end = high if m.group(2) else start
        if not (low <= start <= end <= high) or step < 1:
            raise ScheduleError(f"schedule {text!r}: {part!r} is outside {low}-{high}")
        out.update(range(start, end + 1, step))
    return frozenset(out)


def jitter(outlet_id: str, schedule: Schedule) -> timedelta:
    """A fixed per-outlet offset: up to a tenth of the period, at most five minutes."""
    fraction = int(hashlib.sha1(outlet_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return timedelta(seconds=fraction * min(schedule.period.total_seconds() / 10, 300))
