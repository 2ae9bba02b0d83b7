"""indexer/timeline.py: buckets by day, ISO week and month on UTC days (the from/to filters' days), on
numpy arrays of publication times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.timeline import OTHERS, build, interval_for, next_start, start_of, starts_between


def ts(*args) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def test_the_interval_keeps_a_chart_between_a_few_and_sixty_bars():
    assert interval_for(date(2025, 8, 1), date(2025, 8, 31)) == "day"
    assert interval_for(date(2025, 1, 1), date(2025, 12, 31)) == "week"
    assert interval_for(date(2020, 1, 1), date(2025, 12, 31)) == "month"


def test_weeks_start_on_monday_and_months_on_the_first():
    assert start_of(date(2025, 9, 17), "week") == date(2025, 9, 15)
    assert start_of(date(2025, 9, 17), "month") == date(2025, 9, 1)
    assert next_start(date(2025, 12, 1), "month") == date(2026, 1, 1)
    assert starts_between(date(2025, 1, 30), date(2025, 3, 2), "month") == [date(2025, 1, 1), date(2025, 2, 1),
                                                                           date(2025, 3, 1)]


def test_every_time_lands_in_its_bucket_and_empty_buckets_are_kept():
    times = np.array([ts(2025, 1, 31, 23, 59), ts(2025, 3, 1), ts(2025, 3, 31, 12), -np.inf])
    t = build(times, "month")
    assert [s.isoformat() for s in t.starts] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert t.counts == [1, 0, 2] and t.undated == 1 and t.total == 4
    assert t.end(1) == date(2025, 2, 28)
    weekly = build(times[:3], "week")
    assert weekly.starts[0] == date(2025, 1, 27) and sum(weekly.counts) == 3
    assert weekly.counts[0] == 1 and weekly.counts[-1] == 1  # 2025-03-31 is a Monday: its own week


def test_a_time_a_hair_before_midnight_is_counted_on_its_own_day():
    """Found by the property below: 2029-12-31 23:59:59.9999998 rounds to 2030-01-01 as a datetime."""
    t = build(np.array([1893455999.9999998]), "day")
    assert t.starts == [date(2029, 12, 31)] and t.counts == [1]


def test_from_and_to_bound_the_bars_even_where_nothing_was_published():
    t = build(np.array([ts(2025, 6, 15)]), "month", date(2025, 1, 1), date(2025, 12, 31))
    assert len(t.starts) == 12 and t.counts[5] == 1 and sum(t.counts) == 1


def test_series_are_the_top_values_and_the_rest():
    times = np.array([ts(2025, 8, d) for d in (1, 1, 2, 3, 3, 3)])
    a = np.array([1, 1, 0, 1, 0, 0], dtype=bool)
    b = np.array([0, 0, 1, 1, 0, 0], dtype=bool)
    none = np.zeros(6, dtype=bool)
    t = build(times, "day", groups=[("b", "B", b), ("a", "A", a), ("n", "N", none)])
    assert [(s.key, s.counts) for s in t.series] == [("a", [2, 0, 1]), ("b", [0, 1, 1]), (OTHERS, [0, 0, 2])]


@given(st.lists(st.one_of(st.floats(ts(1990, 1, 1), ts(2030, 1, 1)), st.just(-np.inf)), max_size=200),
       st.sampled_from([None, "day", "week", "month"]))
def test_buckets_and_undated_always_add_up_to_what_was_counted(values, interval):
    times = np.array(values, dtype=np.float64)
    try:
        t = build(times, interval)
    except ValueError:  # more than MAX_BUCKETS days or weeks over decades: refused, never truncated
        assert interval in ("day", "week")
        return
    assert t.total == len(values)
    assert all(b == next_start(a, t.interval) for a, b in zip(t.starts, t.starts[1:], strict=False))
    days = [date(1970, 1, 1) + timedelta(days=int(np.floor(v / 86400))) for v in values if v != -np.inf]
    assert all(t.starts[0] <= d < next_start(t.starts[-1], t.interval) for d in days)
    assert timedelta(0) <= t.end(len(t.starts) - 1) - t.starts[-1] if t.starts else True
