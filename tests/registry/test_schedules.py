"""Schedules and the scheduler's rule for when an outlet is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from monitor.status import MAX_BACKOFF, due
from registry.schedules import WIB, Schedule, ScheduleError, jitter
from store import CrawlRun

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def run(result: str, minutes_ago: float, now: datetime = T0) -> CrawlRun:
    started = now - timedelta(minutes=minutes_ago)
    return CrawlRun(outlet="x", started=started, finished=started + timedelta(seconds=30), result=result)


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("2h", 7200), ("1d", 86400), ("45s", 45)])
def test_intervals(text, seconds):
    assert Schedule.parse(text).period == timedelta(seconds=seconds)
    assert Schedule.parse(text).next_after(T0) == T0 + timedelta(seconds=seconds)


def test_cron_lines_are_read_in_wib():
    every_two_hours = Schedule.parse("0 */2 * * *")
    nxt = every_two_hours.next_after(datetime(2026, 11, 23, 9, 30, tzinfo=WIB))
    assert nxt == datetime(2026, 11, 23, 10, 0, tzinfo=WIB)
    assert every_two_hours.period == timedelta(hours=2)
    weekdays_at_seven = Schedule.parse("0 7 * * 1-5")
    saturday = datetime(2026, 11, 21, 8, 0, tzinfo=WIB)
    assert weekdays_at_seven.next_after(saturday) == datetime(2026, 11, 23, 7, 0, tzinfo=WIB)  # Monday
    assert Schedule.parse("15 6 1 * *").next_after(saturday) == datetime(2026, 12, 1, 6, 15, tzinfo=WIB)


@pytest.mark.parametrize("bad", ["0m", "often", "* * * *", "61 * * * *", "*/0 * * * *", "1-x * * * *",
                                 "0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *", "99999999999999d", "367d"])
def test_bad_schedules_are_refused(bad):
    with pytest.raises(ScheduleError):
        Schedule.parse(bad)


def test_rare_cron_lines_fire_and_have_a_period():
    leap_day = Schedule.parse("0 0 29 2 *")
    assert leap_day.next_after(datetime(2097, 3, 1, tzinfo=WIB)) == datetime(2104, 2, 29, tzinfo=WIB)  # 2100 is not
    assert leap_day.period >= timedelta(days=365)
    either = Schedule.parse("0 0 31 2 1")  # day 31 never comes in February, but Mondays do (cron's OR rule)
    assert either.next_after(datetime(2026, 11, 28, tzinfo=WIB)) == datetime(2027, 2, 1, tzinfo=WIB)


def test_jitter_is_fixed_per_outlet_and_small():
    s = Schedule.parse("30m")
    assert jitter("waspada", s) == jitter("waspada", s)
    assert jitter("waspada", s) != jitter("sumutpos", s)
    assert timedelta(0) <= jitter("waspada", s) <= timedelta(minutes=3)


def test_never_crawled_and_unfinished_crawls_are_due_now():
    s = Schedule.parse("30m")
    assert due("x", s, [], T0).at == T0
    assert due("x", s, [run("interrupted", 1)], T0).at == T0
    assert due("x", s, [run("running", 1)], T0).at == T0


def test_missed_slots_make_one_run_not_many():
    s = Schedule.parse("30m")
    plan = due("x", s, [run("ok", 60 * 24 * 3)], T0)  # asleep for three days
    assert plan.at < T0  # due now, once: after this run the next slot is 30 minutes on
    assert due("x", s, [run("ok", 0)], T0).at > T0 + timedelta(minutes=29)


def test_failures_back_off_exponentially_up_to_a_cap():
    s = Schedule.parse("10m")
    gaps = []
    for n in range(1, 8):
        plan = due("x", s, [run("failed", 0)] * n + [run("ok", 500)], T0)
        assert plan.failures == n
        gaps.append(plan.at - T0 - jitter("x", s))
    assert gaps[:3] == [timedelta(minutes=20), timedelta(minutes=40), timedelta(minutes=80)]
    assert gaps[-1] == MAX_BACKOFF
    assert due("x", s, [run("ok", 0), run("failed", 10)], T0).failures == 0


_field = st.one_of(st.just("*"), st.integers(0, 70).map(str), st.integers(1, 40).map(lambda n: f"*/{n}"),
                   st.tuples(st.integers(0, 35), st.integers(0, 35)).map(lambda ab: f"{ab[0]}-{ab[1]}"),
                   st.lists(st.integers(0, 35), min_size=2, max_size=3).map(lambda xs: ",".join(map(str, xs))))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.lists(_field, min_size=5, max_size=5).map(" ".join), st.text(max_size=20),
                      st.tuples(st.integers(-5, 10**12), st.sampled_from("smhd")).map(lambda t: f"{t[0]}{t[1]}")),
       when=st.datetimes(datetime(2000, 1, 1), datetime(2090, 1, 1), timezones=st.just(UTC)))
@example(text="0 0 31 2 *", when=T0)
@example(text="0 0 29 2 *", when=datetime(2096, 3, 1, tzinfo=UTC))
def test_a_schedule_that_parses_always_has_a_next_slot(text, when):
    """What the registry accepts, the scheduler and /status can use: a next slot after any time, a period."""
    try:
        schedule = Schedule.parse(text)
    except ScheduleError:
        return
    nxt = schedule.next_after(when)
    assert when < nxt <= when + timedelta(days=366 * 9)
    assert timedelta(0) < schedule.period <= timedelta(days=366 * 9)
    assert timedelta(0) <= jitter("x", schedule) <= timedelta(minutes=5)
