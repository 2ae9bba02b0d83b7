"""Which documents match a query, without scoring: sorted docnum arrays, for totals, filters and facets.

The query tree becomes array algebra over cached posting lists (postings.py): AND intersects, OR
unites, -word subtracts. Phrases are checked last within an AND, on the documents its other words
already left, and only those candidates' positions are decoded. Queries of any other kind go through
Whoosh's own matcher.

A common word's postings run to a quarter of a million documents at a million articles; sorting their
concatenation (np.unique, np.intersect1d) cost more than everything else in a search. Big sets are
therefore united and intersected through a boolean mask over all docnums (linear, no sort), and a small
set is looked up in a big one by binary search.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
from whoosh.query import And, AndNot, NullQuery, Or, Phrase, Query, Term
from whoosh.query import Not as NotQuery

from indexer.postings import EMPTY, Postings

SMALL = 64  # a set this many times smaller than the universe of docnums is sorted or searched, not masked


def docs(query: Query, postings: Postings, searcher, live: np.ndarray) -> np.ndarray:
    """Sorted docnums of live documents that match query; live is a boolean mask by docnum."""
    found = _Sets(postings, searcher, live).of(query)
    return found[live[found]] if len(found) else found


def near(query: Query, postings: Postings, searcher, live: np.ndarray) -> np.ndarray:
    """Sorted docnums of live documents with all but one of an AND's positive parts (its words, phrases
    and groups) and none of its exclusions: what a search of several words offers when its full matches
    are few. Empty for a query that is not such an AND (one word, an OR)."""
    exclusions: list[Query] = []
    if isinstance(query, AndNot):
        query, exclusions = query.a, [query.b]
    if not isinstance(query, And):
        return EMPTY
    parts = [c for c in query.children() if not isinstance(c, NotQuery)]
    exclusions += [c.query for c in query.children() if isinstance(c, NotQuery)]
    if len(parts) < 2:
        return EMPTY
    sets = _Sets(postings, searcher, live)
    counts = np.zeros(len(live), dtype=np.int16)
    for part in parts:
        counts[sets.of(part)] += 1
    found = np.flatnonzero((counts == len(parts) - 1) & live)
    for exclusion in exclusions:
        found = sets.minus(found, sets.of(exclusion, found))
    return found


class _Sets:
    """One query's evaluation: the index's postings and the size of its docnum universe."""

    def __init__(self, postings: Postings, searcher, live: np.ndarray):
        self.postings, self.searcher, self.live, self.size = postings, searcher, live, len(live)

    def of(self, query: Query, within: np.ndarray | None = None) -> np.ndarray:
        """The documents matching query; with `within`, only those among them are needed (any outside may
        be left out), which is what lets a phrase decode the positions of a few candidates, not all."""
        if isinstance(query, type(NullQuery)):  # Whoosh's NullQuery is an instance, not a class
            return EMPTY
        if isinstance(query, Term):
            return self.postings.ids(query.fieldname, query.text)
        if isinstance(query, AndNot):
            kept = self.of(query.a, within)
            return self.minus(kept, self.of(query.b, kept))
        if isinstance(query, NotQuery):
            return self.minus(np.flatnonzero(self.live) if within is None else within, self.of(query.query, within))
        if isinstance(query, And):
            return self._and(query, within)
        if isinstance(query, Or):
            return self.union([self.of(c, within) for c in query.children()])
        if isinstance(query, Phrase):
            return self.phrase(query.fieldname, query.words, query.slop, within)
        return np.fromiter(query.docs(self.searcher), dtype=np.int64)

    def _and(self, query: And, within: np.ndarray | None) -> np.ndarray:
        children = list(query.children())
        negatives = [c.query for c in children if isinstance(c, NotQuery)]
        positives = [c for c in children if not isinstance(c, NotQuery)]
        plain = [c for c in positives if not _has_phrase(c)]
        phrases = [c for c in positives if _has_phrase(c)]
        out = within
        for part in sorted((self.of(c, out) for c in plain), key=len):
            out = part if out is None else self.intersect(out, part)
        for child in phrases:  # after the plain words: their positions are decoded for what is left
            part = self.of(child, out)
            out = part if out is None else self.intersect(out, part)
        if out is None:
            out = np.flatnonzero(self.live)
        for n in negatives:
            out = self.minus(out, self.of(n, out))
        return out

    def phrase(self, field: str, words: list[str], slop: int = 1, within: np.ndarray | None = None) -> np.ndarray:
        """Documents where the words follow each other, each within `slop` positions of the one before
        (the nearest such occurrence, as Whoosh's own phrase matcher takes it)."""
        if not words:
            return EMPTY
        parts = sorted((self.postings.ids(field, w) for w in words), key=len)
        candidates = reduce(self.intersect, parts if within is None else [within, *parts])
        if len(words) == 1 or not len(candidates):
            return candidates
        at = {w: self.postings.positions(field, w, candidates) for w in dict.fromkeys(words)}
        starts = at[words[0]]  # keys docnum << 32 | position, sorted
        for word in words[1:]:
            near = np.zeros(len(starts), dtype=bool)
            moved = np.zeros(len(starts), dtype=np.int64)
            for step in range(1, slop + 1):
                hit = ~near & _isin_sorted(starts + step, at[word])
                moved[hit] = starts[hit] + step
                near |= hit
            starts = moved[near]
        return np.unique(starts >> 32)

    def union(self, parts: list[np.ndarray]) -> np.ndarray:
        parts = [p for p in parts if len(p)]
        if len(parts) < 2:
            return parts[0] if parts else EMPTY
        if sum(map(len, parts)) * SMALL < self.size:
            return np.unique(np.concatenate(parts))
        mask = np.zeros(self.size, dtype=bool)
        for p in parts:
            mask[p] = True
        return np.flatnonzero(mask)

    def intersect(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a[self.contains(b, a)] if len(a) <= len(b) else b[self.contains(a, b)]

    def minus(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a[~self.contains(b, a)] if len(a) and len(b) else a

    def contains(self, group: np.ndarray, items: np.ndarray) -> np.ndarray:
        """For each of items, whether it is in group (both sorted docnum arrays)."""
        if not len(group) or not len(items):
            return np.zeros(len(items), dtype=bool)
        if len(items) * SMALL < len(group):  # a few lookups in a big set: binary search
            return _isin_sorted(items, group)
        mask = np.zeros(self.size, dtype=bool)
        mask[group] = True
        return mask[items]


def _has_phrase(query: Query) -> bool:
    return isinstance(query, Phrase) or any(_has_phrase(c) for c in query.children())


def _isin_sorted(items: np.ndarray, group: np.ndarray) -> np.ndarray:
    if not len(group) or not len(items):
        return np.zeros(len(items), dtype=bool)
    at = np.minimum(np.searchsorted(group, items), len(group) - 1)
    return group[at] == items
