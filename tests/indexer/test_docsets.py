"""The set algebra that finds matches without Whoosh's matchers gives exactly the matches the query means.

Each generated query runs both ways on a real index on disk: docsets' arrays (masks for big sets,
binary search for small ones, phrases checked on the candidates their AND leaves) and a plain reference
that unites and intersects Python sets of what Whoosh's own matchers find for each word and each phrase.
The reference does not run Whoosh's whole matcher tree: its AndNot matcher keeps documents that hold the
excluded word ("pemko -banjir" returned a document with both words, on some segment layouts of this
index and not others). The vocabulary is
small, so words and phrases match many documents, as common words do at a million articles, and sets of
every size meet.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from whoosh.query import And, AndNot, Not, Or, Phrase, Term

from indexer import docsets
from indexer.docsets import docs
from indexer.index import update
from indexer.query import QueryError
from indexer.search import Searcher
from tests.indexer.test_searcher import WORDS, fill


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    data = tmp_path_factory.mktemp("docsets")
    fill(data, 600, seed=5)
    update(data / "index", data / "warta.sqlite3")
    searcher = Searcher(data / "index")
    yield searcher.catalog()
    searcher.close()


@pytest.fixture
def monkeypatch_small(monkeypatch):
    return lambda value: monkeypatch.setattr(docsets, "SMALL", value)


word = st.sampled_from(WORDS)
phrase = st.lists(word, min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"')
atom = st.one_of(word, word, phrase, word.map(lambda w: "-" + w), word.map(lambda w: "title:" + w))
queries = st.lists(atom, min_size=1, max_size=4).flatmap(
    lambda atoms: st.sampled_from((" ", " OR ")).map(lambda sep: sep.join(atoms)))


def reference(catalog, query) -> set[int]:
    """The matches by the book: Whoosh finds each word's and each phrase's documents, sets do the rest."""
    if isinstance(query, Term | Phrase):
        return set(query.docs(catalog.searcher))
    if isinstance(query, AndNot):
        return reference(catalog, query.a) - reference(catalog, query.b)
    if isinstance(query, Not):
        return set(np.flatnonzero(catalog.live).tolist()) - reference(catalog, query.query)
    if isinstance(query, And):
        positives = [reference(catalog, c) for c in query.children() if not isinstance(c, Not)]
        negatives = [reference(catalog, c.query) for c in query.children() if isinstance(c, Not)]
        found = set.intersection(*positives) if positives else set(np.flatnonzero(catalog.live).tolist())
        return found.difference(*negatives)
    if isinstance(query, Or):
        return set().union(*(reference(catalog, c) for c in query.children()))
    raise AssertionError(f"no reference for {query!r}")


@pytest.mark.parametrize("small", [1, docsets.SMALL, 10**9], ids=["sorted", "as-shipped", "masks"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=queries)
def test_matches_are_the_querys_meaning(catalog, small, text, monkeypatch_small):
    """At every threshold between sorted arrays and masks (1: binary search and sorting whenever one set is
    smaller; 10**9: masks always), so both paths are checked whatever sizes this small index has."""
    monkeypatch_small(small)
    try:
        parsed = catalog.analysis.parser.parse(text)
    except QueryError:  # only exclusions: refused before any search
        reject()
    with catalog.lock:
        ours = docs(parsed.query, catalog.postings, catalog.searcher, catalog.live).tolist()
        expected = sorted(d for d in reference(catalog, parsed.query) if catalog.live[d])
    assert ours == expected, parsed.query

