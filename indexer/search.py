"""The one search function both front ends call: request in, SearchResult out.

Whoosh stores and analyzes; the work that touches every match runs on numpy arrays instead (see
BENCHMARKS.md for what that buys at 100,000 articles):
- Per index commit, a `Catalog` (catalog.py, which also keeps the index open across commits) holds boolean
  masks per facet value (outlet, region, year), publication times and field lengths by docnum, and a
  cache of posting lists (postings.py).
- The query becomes a sorted array of matching docnums (docsets.py); filters are masks over it, facet
  counts are mask sums, no scoring involved.
- Relevance is BM25 over title and body computed for all candidates at once (ranking.py); newest/oldest
  is a partial sort of the date array. Only the page's hits are read from Whoosh and given snippets.

Facet counts are "disjunctive": the outlet counts ignore the outlet filter (but honour the others), so
a user who picked one outlet still sees how many hits the other outlets have.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

import numpy as np
from whoosh.query import Every

from indexer import timeline
from indexer.analysis import STEMS, terms
from indexer.catalog import Catalog, LiveIndex
from indexer.docsets import docs, near
from indexer.generations import IndexMissingError as IndexMissingError  # what the front ends catch
from indexer.lexicon import Lexicon
from indexer.query import FIELD_BOOSTS, ParsedQuery, QueryError, UserError, positive_terms
from indexer.ranking import bm25, smallest
from indexer.schema import IndexedArticle
from indexer.snippets import Snippet, mark_all, snippet
from indexer.stories import StoryMap
from indexer.suggest import correct
from indexer.timeline import Timeline

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 50
MAX_COPIES = 20  # copies listed under a hit; a release carried by more outlets lists the first 20
MAX_DEPTH = 1000  # page * per_page: deeper pages cost a full sort for results nobody reads
FACETS = ("outlet", "region", "actor", "year")


class SearchError(UserError):
    """A request warta will not run (HTTP 400, exit status 2); a query the parser refused keeps its code."""

    messages: ClassVar[dict[str, str]] = {
        "sort_unknown": "sort must be one of {choices}, not {value!r}",
        "per_page_range": "per_page must be between 1 and {max}",
        "page_range": "page must be 1 or more",
        "too_deep": "results beyond the first {max} are not served; narrow the search instead",
        "dates_reversed": "the 'from' date is after the 'to' date",
        "timeline_too_long": "a timeline of {buckets} {interval} bars is more than {max}; choose a longer interval "
                             "or a shorter period",
        **QueryError.messages,
    }


@dataclass(frozen=True)
class SearchRequest:
    query: str
    outlets: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # a province matches its kabupaten/kota too (articles carry both)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    actors: tuple[str, ...] = ()  # government bodies: "Pemerintah Kota Binjai", "DPRD Kota Medan"
    collapse: bool = True  # one hit per story (syndicated copies of one release), its copies listed under it
    # A blank query matches every article instead of being refused: "the newest stories" is a search too
    # (filters, sort, collapsing and facets as usual). A query with words is unaffected.
    match_all: bool = False

    @property
    def matches_all(self) -> bool:
        return self.match_all and not self.query.strip()

    def check(self) -> None:
        if self.sort not in SORTS:
            raise SearchError("sort_unknown", choices=", ".join(SORTS), value=self.sort)
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchError("per_page_range", max=MAX_PER_PAGE)
        if self.page < 1:
            raise SearchError("page_range")
        if self.page * self.per_page > MAX_DEPTH:
            raise SearchError("too_deep", max=MAX_DEPTH)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SearchError("dates_reversed")


@dataclass(frozen=True)
class Copy:
    """Another outlet's copy of a hit's story: enough to name and link it."""

    id: str
    url: str
    outlet: str
    outlet_name: str
    title: str
    published: datetime | None

    @classmethod
    def from_stored(cls, fields: dict) -> Copy:
        return cls(fields["id"], fields["url"], fields["outlet"], fields.get("outlet_name") or fields["outlet"],
                   fields.get("title", ""), fields.get("published"))


@dataclass(frozen=True)
class Hit:
    article: IndexedArticle
    title: Snippet
    snippet: Snippet
    score: float | None
    copies: tuple[Copy, ...] = ()  # with collapsed results: the story's other copies, oldest first


@dataclass(frozen=True)
class ExportRow:
    """One match of an export: the article (for collapsed results, its story's head), how many other copies
    its story has, and its snippet as plain text."""
    article: IndexedArticle
    copies: int
    snippet: str


@dataclass(frozen=True)
class FacetCount:
    value: str  # what a filter takes (an outlet id, a region, a year)
    label: str  # what a person reads (the outlet's name)
    count: int


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None
    took_ms: float
    parsed: str = ""
    fallback: bool = False  # the query's syntax could not be used; it ran as plain words
    # When every full match fits on the first page: hits with all but one of the query's words, after them
    # (a relevant story often lacks one word of a three-word query: "warga miskin" and an article on
    # "kemiskinan"). Not counted in total, timelines, facets or exports, which stay the full matches.
    partial: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_DEPTH) // self.request.per_page))


EVERYTHING = ParsedQuery(Every(), "", False)  # what a match_all request with a blank query searches for


class Searcher:
    """The one search function over the live index (catalog.LiveIndex follows it as it is updated or
    rebuilt). One per process: the web app shares it across its threads."""

    def __init__(self, root: Path, lexicon: Lexicon | None = None):
        self.root = Path(root)
        self.index = LiveIndex(self.root, lexicon)

    @property
    def lexicon(self) -> Lexicon:
        return self.index.lexicon

    def catalog(self) -> Catalog:
        """The catalog of the index as it is now (opened if the index moved on); not held for a request."""
        return self.index.catalog()

    def close(self) -> None:
        self.index.close()

    def doc_count(self) -> int:
        return self.catalog().n_docs

    def outlet_counts(self) -> dict[str, int]:
        """Articles in the index per outlet id."""
        with self.index.using() as catalog:
            return {value: int(np.count_nonzero(catalog.masks["outlet"][key] & catalog.live))
                    for key, (value, _) in catalog.labels["outlet"].items()}

    def facet_values(self, facet: str) -> list[str]:
        """The values of a facet (region, actor, outlet) that articles in the index carry (the catalog holds a
        label only for a value some live article has)."""
        with self.index.using() as catalog:
            return [value for value, _ in catalog.labels[facet].values()]

    def generation(self) -> str | None:
        return self.index.generation()

    # -- search -------------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        request.check()
        with self.index.using() as catalog:
            parsed = self._parse(catalog, request)
            with catalog.lock:
                return self._search(catalog, request, parsed, started)

    def timeline(self, request: SearchRequest, interval: str | None = None, by: str | None = None) -> Timeline:
        """The request's matches over time (indexer/timeline.py); by (outlet, region, actor) adds series."""
        request.check()
        with self.index.using() as catalog:
            parsed = self._parse(catalog, request)
            with catalog.lock:
                counted = self._counted(catalog, request, self._matches(catalog, request, parsed)[2])
                groups = None
                if by:
                    groups = [(*catalog.labels[by][key], mask[counted]) for key, mask in catalog.masks[by].items()]
                try:
                    return timeline.build(catalog.times[counted], interval, request.date_from, request.date_to,
                                          groups)
                except timeline.TooManyBuckets as exc:
                    raise SearchError("timeline_too_long", buckets=exc.buckets, interval=exc.interval,
                                      max=timeline.MAX_BUCKETS) from None

    def export(self, request: SearchRequest, chunk: int = 500) -> Iterator[ExportRow]:
        """Every match, in the search's order, as rows: no page and no cap. Lazy: the order is worked out once
        (an array of docnums), the rows are read a chunk at a time, and the index generation stays held
        until the iteration ends or is closed (a client that goes away frees it)."""
        request.check()
        with self.index.using() as catalog:
            parsed = self._parse(catalog, request)
            with catalog.lock:
                order, found = self._order(catalog, request, parsed)
            words = tuple(w for w in re.findall(r"\w+", request.query.lower()) if len(w) > 2)
            for at in range(0, len(order), chunk):
                with catalog.lock:
                    rows = [self._row(catalog, int(d), words, found) for d in order[at:at + chunk]]
                yield from rows

    def _order(self, catalog: Catalog, request: SearchRequest, parsed: ParsedQuery
               ) -> tuple[np.ndarray, np.ndarray | None]:
        """All the docnums the search would list, in its order (one per story when collapsed), and the
        matches a collapsed story's head is chosen among (None when not collapsed)."""
        final = self._matches(catalog, request, parsed)[2]
        if request.sort == "relevance" and parsed is not EVERYTHING:
            keys = -bm25(catalog.postings, catalog.lengths, positive_terms(parsed.query), FIELD_BOOSTS,
                         catalog.n_docs)[final]
        else:
            keys = _time_keys(catalog.times, final, request.sort != "oldest")
        stories = catalog.stories if request.collapse else None
        if stories is not None:
            kept = stories.best(final, keys if request.sort == "relevance" else
                                _time_keys(catalog.times, final, newest=False))
            return final[kept][smallest(keys[kept], final[kept], len(kept))], final
        return final[smallest(keys, final, len(final))], None

    @staticmethod
    def _row(catalog: Catalog, docnum: int, words: tuple[str, ...], found: np.ndarray | None) -> ExportRow:
        if found is not None:
            docnum = _head(catalog, docnum, found)[0]
        article = IndexedArticle.from_stored(catalog.searcher.stored_fields(docnum))
        return ExportRow(article=article, copies=int(catalog.stories.size[docnum]) - 1,
                         snippet=lead_snippet(article.body, words))

    @staticmethod
    def _parse(catalog: Catalog, request: SearchRequest) -> ParsedQuery:
        try:
            return EVERYTHING if request.matches_all else catalog.analysis.parser.parse(request.query)
        except QueryError as exc:
            raise SearchError(exc.code, **exc.params) from exc

    def _matches(self, catalog: Catalog, request: SearchRequest, parsed: ParsedQuery
                 ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """(what the query matches, the filters' masks, what passes them), as sorted docnums."""
        if parsed is EVERYTHING:
            matched = np.flatnonzero(catalog.live)
        else:
            matched = docs(parsed.query, catalog.postings, catalog.searcher, catalog.live)
        filters = self._filters(request, catalog)
        allowed = _all(filters.values())
        return matched, filters, (matched if allowed is None else matched[allowed[matched]])

    @staticmethod
    def _counted(catalog: Catalog, request: SearchRequest, final: np.ndarray) -> np.ndarray:
        """The documents `total` counts: with collapsing, one per story, its first published copy among the
        matches (the date a timeline files the story under); else every match."""
        if not request.collapse:
            return final
        return final[catalog.stories.best(final, _time_keys(catalog.times, final, newest=False))]

    def _search(self, catalog: Catalog, request: SearchRequest, parsed: ParsedQuery, started: float) -> SearchResult:
        matched, filters, final = self._matches(catalog, request, parsed)
        offset, limit = (request.page - 1) * request.per_page, request.page * request.per_page
        terms = frozenset(t for _, t in positive_terms(parsed.query))
        everywhere = None  # BM25 by docnum, for the full matches and any near ones
        if request.sort == "relevance":
            everywhere = bm25(catalog.postings, catalog.lengths, positive_terms(parsed.query), FIELD_BOOSTS,
                              catalog.n_docs)
            scores = everywhere[final]
            keys = -scores
        else:
            scores, keys = None, _time_keys(catalog.times, final, request.sort == "newest")
        stories = catalog.stories if request.collapse else None
        if stories is not None:
            # one document per story: the best-ranked copy for relevance, the first published for dates
            choice = keys if scores is not None else _time_keys(catalog.times, final, newest=False)
            kept = stories.best(final, choice)
            ranked = [int(kept[i]) for i in smallest(keys[kept], final[kept], limit)[offset:limit]]
            total = len(kept)
        else:
            ranked = [int(i) for i in smallest(keys, final, limit)[offset:limit]]
            total = len(final)
        hits = [self._hit(catalog, int(final[i]), None if scores is None else float(scores[i]), terms,
                          final if stories is not None else None) for i in ranked]
        suggestion = self._suggest(catalog, parsed) if len(final) < 3 else None
        partial = []
        if everywhere is not None and request.page == 1 and total < request.per_page and parsed is not EVERYTHING:
            partial = self._partial(catalog, parsed, filters, terms, request.per_page - len(hits), stories, final,
                                    everywhere)
        return SearchResult(request=request, total=total, hits=hits,
                            facets=_facets(catalog, matched, filters, stories), suggestion=suggestion,
                            took_ms=(time.perf_counter() - started) * 1000, parsed=parsed.text,
                            fallback=parsed.fallback, partial=partial)

    def _partial(self, catalog: Catalog, parsed: ParsedQuery, filters: dict[str, np.ndarray],
                 terms: frozenset[str], room: int, stories: StoryMap | None, full: np.ndarray,
                 everywhere: np.ndarray) -> list[Hit]:
        """Up to `room` hits with all but one of the query's words, ranked and collapsed as the full ones;
        collapsed, none of a story the full hits already show."""
        found = near(parsed.query, catalog.postings, catalog.searcher, catalog.live)
        allowed = _all(filters.values())
        if allowed is not None:
            found = found[allowed[found]]
        if stories is not None and len(full):
            found = found[~np.isin(stories.code[found], stories.code[full])]
        if not len(found) or room < 1:
            return []
        scores = everywhere[found]
        keep = stories.best(found, -scores) if stories is not None else np.arange(len(found))
        ranked = keep[smallest(-scores[keep], found[keep], room)[:room]]
        return [self._hit(catalog, int(found[i]), float(scores[i]), terms,
                          found if stories is not None else None) for i in ranked]

    def _filters(self, request: SearchRequest, catalog: Catalog) -> dict[str, np.ndarray]:
        """Boolean masks by docnum, one per kind of filter asked for."""
        out = {}
        for facet, values in (("outlet", request.outlets), ("region", request.regions), ("actor", request.actors)):
            if values:
                masks = [catalog.masks[facet].get(v.lower()) for v in values]
                out[facet] = np.logical_or.reduce([m for m in masks if m is not None] or [~catalog.live])
        if request.date_from or request.date_to:
            out["date"] = catalog.between(request.date_from, request.date_to)
        return out

    @staticmethod
    def _hit(catalog: Catalog, docnum: int, score: float | None, terms: frozenset[str],
             found: np.ndarray | None = None) -> Hit:
        """The hit for docnum; with found (the results before collapsing), the hit is its story's first
        published copy among them, and carries the story's other copies."""
        copies: tuple[Copy, ...] = ()
        if found is not None:
            docnum, members = _head(catalog, docnum, found)
            copies = tuple(Copy.from_stored(catalog.searcher.stored_fields(int(d)))
                           for d in members[members != docnum][:MAX_COPIES])
        article = IndexedArticle.from_stored(catalog.searcher.stored_fields(docnum))
        analyzer = catalog.analysis.analyzer
        return Hit(article=article, title=mark_all(analyzer, article.title, terms),
                   snippet=snippet(analyzer, article.body, terms), score=score, copies=copies)

    @staticmethod
    def _suggest(catalog: Catalog, parsed: ParsedQuery) -> str | None:
        """The query with each word the index does not know replaced by its best correction."""
        reader = catalog.searcher.reader()
        analyzer = catalog.analysis.analyzer

        def df(term: str) -> int:
            return reader.doc_frequency("body", term) + reader.doc_frequency("title", term)

        def analyze(word: str) -> list[str]:
            return terms(analyzer, word, mode="query")

        words, changed = parsed.text.split(), False
        for i, word in enumerate(words):
            bare = word.strip("\"()").lower()
            found = analyze(bare) if bare.isalpha() else []
            if len(found) == 1 and df(found[0]) == 0:
                fixed = correct(bare, STEMS, analyze, df)
                if fixed:
                    words[i], changed = word.replace(word.strip("\"()"), fixed), True
        return " ".join(words) if changed else None

    # -- articles -----------------------------------------------------------------------------------
    def article(self, article_id: str) -> IndexedArticle | None:
        with self.index.using() as catalog, catalog.lock:
            fields = catalog.searcher.document(id=article_id)
        return IndexedArticle.from_stored(fields) if fields else None


def _all(masks) -> np.ndarray | None:
    masks = list(masks)
    return np.logical_and.reduce(masks) if masks else None


def lead_snippet(body: str, words: tuple[str, ...], width: int = 32) -> str:
    """An export row's snippet, in plain text: `width` words from just before the first place a query word is
    written in the body (as typed: a string search, no analysis), else the lead. Highlighting through the
    analyzer, as result pages do, cost four fifths of an export row."""
    low = body.lower()
    at = min((i for i in (low.find(w) for w in words) if i >= 0), default=0)
    before = body[:at].split()[-4:] if at else []
    text = " ".join(before + body[at:].split()[: width - len(before)])
    return ("… " if at and len(body[:at].split()) > 4 else "") + text + (" …" if len(body.split()) > width else "")


def _head(catalog: Catalog, docnum: int, found: np.ndarray) -> tuple[int, np.ndarray]:
    """The copy a collapsed story is shown by, its first published among the matches, and all its copies,
    oldest first (undated last, then by docnum)."""
    members = catalog.stories.members(docnum)
    if len(members) < 2:
        return docnum, members
    members = members[smallest(_time_keys(catalog.times, members, newest=False), members, len(members))]
    return int(members[np.isin(members, found)][0]), members


def _time_keys(times: np.ndarray, docs: np.ndarray, newest: bool) -> np.ndarray:
    """Sort keys (smallest first) for newest or oldest first; undated articles come last either way."""
    when = times[docs]
    return np.where(np.isinf(when), np.inf, -when if newest else when)


def _facets(catalog: Catalog, matched: np.ndarray, filters: dict[str, np.ndarray],
            stories: StoryMap | None = None) -> dict:
    """Counts per facet value, of stories when results are collapsed, of articles otherwise."""
    out = {}
    for facet in FACETS:
        others = _all(v for k, v in filters.items() if k != facet)
        base = matched if others is None else matched[others[matched]]
        masks = catalog.masks[facet]
        if stories is not None:
            found = stories.count(base, masks)
        else:
            found = {key: int(np.count_nonzero(mask[base])) for key, mask in masks.items()}
        counts = [FacetCount(*catalog.labels[facet][key], found[key]) for key in masks]
        counts = [c for c in counts if c.count]
        if facet == "year":
            counts.sort(key=lambda c: c.value, reverse=True)
        else:
            counts.sort(key=lambda c: (-c.count, c.label.lower()))
        out[facet] = counts
    return out
