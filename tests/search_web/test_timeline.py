"""/api/timeline over HTTP (`warta serve` over crawled and indexed mirror articles): the buckets add up to the
search's total, a bar narrows the search to exactly its count, and the shape is the documented one."""

from __future__ import annotations

import pytest

from tests.search_web.test_api import conforms, get

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def openapi(web):
    return get(web, "/api/openapi.json")[1]


@pytest.mark.parametrize("collapse", ["true", "false"])
def test_buckets_and_undated_add_up_to_the_searchs_total(web, openapi, collapse):
    for q in ("pelayanan publik", "walikota siantar", "banjir"):
        status, t = get(web, "/api/timeline", q=q, collapse=collapse)
        assert status == 200, t
        conforms(openapi, "Timeline", t)
        total = get(web, "/api/search", q=q, collapse=collapse)[1]["total"]
        assert sum(b["count"] for b in t["buckets"]) + t["undated"] == t["total"] == total, q


def test_a_bar_narrows_the_search_to_exactly_its_count(web):
    _, t = get(web, "/api/timeline", q="pelayanan", interval="month")
    assert t["interval"] == "month" and any(b["count"] for b in t["buckets"])
    starts = [b["start"] for b in t["buckets"]]
    assert all(s.endswith("-01") for s in starts) and len(starts) == len(set(starts))
    for bar in t["buckets"]:
        narrowed = get(web, "/api/search", q="pelayanan", **{"from": bar["start"], "to": bar["end"]})[1]
        assert narrowed["total"] == bar["count"], bar


def test_a_blank_query_is_the_coverage_of_the_filters(web):
    _, everything = get(web, "/api/timeline")
    _, outlet = get(web, "/api/timeline", outlet="tri3news", interval="week")
    assert 0 < outlet["total"] < everything["total"]
    assert all(b["start"] < c["start"] for b, c in zip(outlet["buckets"], outlet["buckets"][1:], strict=False))


def test_by_draws_the_top_five_and_the_rest(web, openapi):
    _, t = get(web, "/api/timeline", q="pemerintah", by="outlet", interval="month")
    conforms(openapi, "Timeline", t)
    series = t["series"]
    assert 2 <= len(series) <= 6 and series[-1]["key"] == "lainnya"
    assert all(len(s["counts"]) == len(t["buckets"]) for s in series)
    named = [s for s in series if s["key"] != "lainnya"]
    assert [sum(s["counts"]) for s in named] == sorted((sum(s["counts"]) for s in named), reverse=True)
    # an outlet's series is that outlet's timeline (outlets do not overlap)
    first = named[0]
    _, alone = get(web, "/api/timeline", q="pemerintah", outlet=first["key"], interval="month",
                   **{"from": t["buckets"][0]["start"], "to": t["buckets"][-1]["end"]})
    assert [b["count"] for b in alone["buckets"]] == first["counts"]


@pytest.mark.parametrize("params, code", [
    ({"q": "banjir", "interval": "year"}, "not_one_of"),
    ({"q": "banjir", "by": "author"}, "not_one_of"),
    ({"interval": "day", "from": "1990-01-01", "to": "2200-01-01"}, "timeline_too_long"),  # all, over years
    ({"q": "banjir", "from": "2025-13-01"}, "date_format"),
])
def test_bad_parameters_are_a_clear_400(web, params, code):
    status, body = get(web, "/api/timeline", **params)
    assert status == 400 and body["code"] == code, body
