"""SearchRequest.match_all: "everything, newest first" (the home page) without changing what a blank query does."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from indexer.search import Searcher, SearchError, SearchRequest

NEWEST = SearchRequest("", match_all=True, sort="newest", per_page=50)


@pytest.fixture(scope="module")
def searcher(search_data):
    return Searcher(search_data.index)


def test_a_blank_query_is_still_refused_without_match_all(searcher):
    for blank in ("", "   "):
        with pytest.raises(SearchError, match="no words") as caught:
            searcher.search(SearchRequest(blank))
        assert caught.value.code == "query_no_words"


def test_match_all_finds_every_article_newest_first(searcher):
    every = searcher.search(replace(NEWEST, collapse=False))
    assert every.total == searcher.doc_count() and every.suggestion is None
    dates = [h.article.published for h in every.hits if h.article.published]
    assert dates == sorted(dates, reverse=True)
    stories = searcher.search(NEWEST)  # collapsed, as the home page asks: one hit per story
    assert stories.total <= every.total
    assert len({h.article.story for h in stories.hits}) == len(stories.hits)


def test_match_all_honours_filters_and_counts_facets(searcher):
    one = searcher.search(replace(NEWEST, outlets=("waspada",), collapse=False))
    assert one.total and {h.article.outlet for h in one.hits} == {"waspada"}
    every = searcher.search(replace(NEWEST, collapse=False))
    counts = {c.value: c.count for c in every.facets["outlet"]}
    assert counts == searcher.outlet_counts() and counts["waspada"] == one.total


def test_match_all_leaves_a_query_with_words_alone(searcher):
    plain = searcher.search(SearchRequest("banjir", per_page=50))
    flagged = searcher.search(SearchRequest("banjir", per_page=50, match_all=True))
    assert [h.article.id for h in flagged.hits] == [h.article.id for h in plain.hits]
    assert flagged.total == plain.total < searcher.doc_count()


def test_errors_carry_their_code_and_values_through_search(searcher):
    with pytest.raises(SearchError) as caught:
        searcher.search(SearchRequest("x" * 301))
    error = caught.value
    assert (error.code, error.params) == ("query_too_long", {"length": 301, "max": 300})
    assert str(error) == "query is too long (301 characters; at most 300)"
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.code, str(copy)) == (SearchError, error.code, str(error))
