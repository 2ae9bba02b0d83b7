"""monitor/yields.py: an outlet's recent article pages against its own history, on yields made here (the
crawl-level test, a mirror outlet redesigned mid-run, is test_source_alert.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from monitor.yields import BLOCKED, STRUCTURE, RunYield, check, windows

GOOD = RunYield(stored=4, rejected={}, chars=4 * 2500, dated=4)


def test_a_steady_outlet_raises_nothing():
    assert check([GOOD] * 8) is None


def test_article_pages_turned_into_non_articles_flag_a_changed_structure():
    alert = check([RunYield(0, {"too-short": 3, "no-title": 1}), *[GOOD] * 5])
    assert alert.flag == STRUCTURE
    assert "0 of 4 article pages stored" in alert.evidence and "too-short 3" in alert.evidence
    assert "20 of 20" in alert.evidence


def test_challenges_and_refusals_flag_a_block():
    alert = check([RunYield(0, {"challenge": 2}), RunYield(1, {"http-403": 2}), *[GOOD] * 5])
    assert alert.flag == BLOCKED and "challenge 2" in alert.evidence and "http-403 2" in alert.evidence


def test_shorter_or_undated_articles_flag_a_changed_structure():
    short = RunYield(stored=4, rejected={}, chars=4 * 300, dated=4)
    assert check([short, *[GOOD] * 5]).evidence.startswith("stored articles average 300 characters")
    undated = RunYield(stored=4, rejected={}, chars=4 * 2500, dated=0)
    assert "0 of 4 stored articles have a date" in check([undated, *[GOOD] * 5]).evidence


def test_too_little_to_judge_says_nothing():
    assert check([RunYield(0, {"too-short": 2}), *[GOOD] * 5]) is None  # two pages are no evidence
    assert check([RunYield(0, {"too-short": 5}), GOOD]) is None  # four pages of history are none either
    assert check([RunYield(0, {"too-short": 5})]) is None  # a first crawl has no history


def test_runs_that_fetched_no_article_page_are_skipped_and_network_errors_do_not_count():
    quiet = RunYield(0, {"timeout": 3, "http-404": 2})  # incremental runs with nothing new, dead links
    recent, before = windows([quiet, RunYield(0, {"too-short": 3}), quiet, *[GOOD] * 3])
    assert (recent.runs, recent.pages, before.runs, before.pages) == (1, 3, 3, 12)


@given(st.lists(st.builds(RunYield, st.integers(0, 20), st.dictionaries(
    st.sampled_from(["too-short", "challenge", "http-403", "timeout", "no-title"]), st.integers(0, 20)),
    st.integers(0, 10**6), st.integers(0, 20)), max_size=30))
def test_a_flag_always_comes_with_its_evidence(yields):
    alert = check(yields)
    assert alert is None or (alert.flag in (BLOCKED, STRUCTURE) and alert.evidence)
