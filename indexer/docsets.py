"""Which documents match a query, without scoring: sorted docnum arrays, for totals, filters and facets.

The query tree becomes array algebra over cached posting lists (postings.py): AND intersects, OR
unites, -word subtracts. Phrases intersect their words' documents first and only then decode positions,
for the candidates alone. Queries of any other kind go through Whoosh's own matcher.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
from whoosh.query import And, AndNot, NullQuery, Or, Phrase, Query, Term
from whoosh.query import Not as NotQuery

from indexer.postings import EMPTY, Postings


def docs(query: Query, postings: Postings, searcher, live: np.ndarray) -> np.ndarray:
    """Sorted docnums of live documents that match query; live is a boolean mask by docnum."""
    found = _docs(query, postings, searcher, live)
    return found[live[found]] if len(found) else found


def _docs(query: Query, postings: Postings, searcher, live: np.ndarray) -> np.ndarray:
    if isinstance(query, type(NullQuery)):  # Whoosh's NullQuery is an instance, not a class
        return EMPTY
    if isinstance(query, Term):
        return postings.ids(query.fieldname, query.text)
    if isinstance(query, AndNot):
        return np.setdiff1d(_docs(query.a, postings, searcher, live), _docs(query.b, postings, searcher, live),
                            assume_unique=True)
    if isinstance(query, NotQuery):
        return np.setdiff1d(np.flatnonzero(live), _docs(query.query, postings, searcher, live), assume_unique=True)
    if isinstance(query, And):
        positives = [c for c in query.children() if not isinstance(c, NotQuery)]
        negatives = [c.query for c in query.children() if isinstance(c, NotQuery)]
        parts = sorted((_docs(c, postings, searcher, live) for c in positives), key=len)
        out = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), parts) if parts else np.flatnonzero(live)
        for n in negatives:
            out = np.setdiff1d(out, _docs(n, postings, searcher, live), assume_unique=True)
        return out
    if isinstance(query, Or):
        parts = [_docs(c, postings, searcher, live) for c in query.children()]
        return np.unique(np.concatenate(parts)) if parts else EMPTY
    if isinstance(query, Phrase):
        return phrase_docs(postings, query.fieldname, query.words, query.slop)
    return np.fromiter(query.docs(searcher), dtype=np.int64)


def phrase_docs(postings: Postings, field: str, words: list[str], slop: int = 1) -> np.ndarray:
    """Documents where the words follow each other, each within `slop` positions of the one before."""
    if not words:
        return EMPTY
    candidates = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True),
                        sorted((postings.ids(field, w) for w in words), key=len))
    if len(words) == 1 or not len(candidates):
        return candidates
    where = [postings.positions(field, w, candidates) for w in dict.fromkeys(words)]
    by_word = dict(zip(dict.fromkeys(words), where, strict=True))
    keep = [d for d in candidates.tolist() if _in_order([by_word[w].get(d, ()) for w in words], slop)]
    return np.asarray(keep, dtype=np.int64)


def _in_order(positions: list, slop: int) -> bool:
    later = [set(p) for p in positions[1:]]
    for start in positions[0]:
        at = start
        for pos in later:
            nxt = next((q for q in range(at + 1, at + slop + 1) if q in pos), None)
            if nxt is None:
                break
            at = nxt
        else:
            return True
    return False
