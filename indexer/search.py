"""The one search function both front ends call: request in, SearchResult out.

Whoosh stores and analyzes; the work that touches every match runs on numpy arrays instead (see
BENCHMARKS.md for what that buys at 100,000 articles):
- Per index commit, a `Catalog` holds boolean masks per facet value (outlet, region, year), publication
  times and field lengths by docnum, and a cache of posting lists (postings.py).
- The query becomes a sorted array of matching docnums (docsets.py); filters are masks over it, facet
  counts are mask sums, no scoring involved.
- Relevance is BM25 over title and body computed for all candidates at once (ranking.py); newest/oldest
  is a partial sort of the date array. Only the page's hits are read from Whoosh and given snippets.

Facet counts are "disjunctive": the outlet counts ignore the outlet filter (but honour the others), so
a user who picked one outlet still sees how many hits the other outlets have.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import numpy as np

from indexer.analysis import STEMS, load_stems, terms
from indexer.docsets import docs
from indexer.index import STEMS_FILE, current_generation, open_index
from indexer.lexicon import Lexicon
from indexer.lexicon import load as load_lexicon
from indexer.postings import Postings
from indexer.query import FIELD_BOOSTS, SEARCH_FIELDS, ParsedQuery, QueryError, QueryParser, positive_terms
from indexer.ranking import FieldLengths, top
from indexer.schema import IndexedArticle, build_schema
from indexer.snippets import Snippet, mark_all, snippet
from indexer.suggest import correct

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 50
MAX_DEPTH = 1000  # page * per_page: deeper pages cost a full sort for results nobody reads
FACETS = ("outlet", "region", "year")


class SearchError(ValueError):
    """A request warta will not run; the message is meant for the user (HTTP 400, exit status 2)."""


@dataclass(frozen=True)
class SearchRequest:
    query: str
    outlets: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    def check(self) -> None:
        if self.sort not in SORTS:
            raise SearchError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page < 1:
            raise SearchError("page must be 1 or more")
        if self.page * self.per_page > MAX_DEPTH:
            raise SearchError(f"results beyond the first {MAX_DEPTH} are not served; narrow the search instead")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SearchError("the 'from' date is after the 'to' date")


@dataclass(frozen=True)
class Hit:
    article: IndexedArticle
    title: Snippet
    snippet: Snippet
    score: float | None


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

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_DEPTH) // self.request.per_page))


class Catalog:
    """One open index commit and what search keeps beside it: postings cache, facet masks, dates, lengths.

    Built once per commit (about a second at 100,000 articles) and shared by all threads; Whoosh reads go
    through `lock`, since its readers are not made for concurrent use.
    """

    def __init__(self, searcher):
        self.searcher = searcher
        self.lock = threading.RLock()
        reader = searcher.reader()
        size = reader.doc_count_all()
        self.n_docs = max(1, reader.doc_count())
        self.postings = Postings(reader)
        self.live = np.zeros(size, dtype=bool)
        self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        self.masks: dict[str, dict[str, np.ndarray]] = {}
        self.labels: dict[str, dict[str, tuple[str, str]]] = {}  # facet -> lowercase value -> (value, label)
        for facet, fieldname in (("outlet", "outlet"), ("region", "regions"), ("year", "year")):
            self.masks[facet], self.labels[facet] = {}, {}
            for value in reader.field_terms(fieldname):
                ids = self.postings.ids(fieldname, value)
                ids = ids[self.live[ids]]
                if not len(ids):
                    continue
                key = value.lower()
                mask = self.masks[facet].setdefault(key, np.zeros(size, dtype=bool))
                mask[ids] = True
                label = searcher.stored_fields(int(ids[0])).get("outlet_name", value) if facet == "outlet" else value
                self.labels[facet][key] = (value, label)
        column = reader.column_reader("published")
        self.times = np.full(size, -np.inf)
        for docnum in range(size):
            value = column[docnum]
            if value:
                self.times[docnum] = value.replace(tzinfo=UTC).timestamp()
        self.lengths = FieldLengths(reader, SEARCH_FIELDS)

    def between(self, start: date | None, end: date | None) -> np.ndarray:
        lo = datetime.combine(start, dtime.min, UTC).timestamp() if start else -np.inf
        hi = (datetime.combine(end, dtime.min, UTC) + timedelta(days=1)).timestamp() if end else np.inf
        return (self.times >= lo) & (self.times < hi)


class Searcher:
    """The open index plus what search needs beside it; follows the index as it is updated or rebuilt.

    One per process: the web app shares it across its threads.
    """

    def __init__(self, root: Path, lexicon: Lexicon | None = None):
        self.root = Path(root)
        self.lexicon = lexicon or load_lexicon()
        self.schema = build_schema(self.lexicon)
        self.analyzer = self.schema["body"].analyzer
        self.parser = QueryParser(self.schema, self.lexicon)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._catalog: Catalog | None = None

    def catalog(self) -> Catalog:
        """The current commit of the live generation, reopened when either has moved on."""
        gen = current_generation(self.root)
        with self._lock:
            catalog = self._catalog
            if catalog is None or gen is None or gen.name != self._generation:
                ix = open_index(self.root, self.lexicon)  # raises IndexMissingError
                load_stems(gen / STEMS_FILE)
                catalog, self._generation = Catalog(ix.searcher()), gen.name
            elif not catalog.searcher.up_to_date():
                catalog = Catalog(catalog.searcher.refresh())
            self._catalog = catalog
        return catalog

    def doc_count(self) -> int:
        return self.catalog().n_docs

    def outlet_counts(self) -> dict[str, int]:
        """Articles in the index per outlet id."""
        catalog = self.catalog()
        return {value: int(np.count_nonzero(catalog.masks["outlet"][key] & catalog.live))
                for key, (value, _) in catalog.labels["outlet"].items()}

    def generation(self) -> str | None:
        gen = current_generation(self.root)
        return gen.name if gen else None

    # -- search -------------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        request.check()
        try:
            parsed = self.parser.parse(request.query)
        except QueryError as exc:
            raise SearchError(str(exc)) from exc
        catalog = self.catalog()
        with catalog.lock:
            return self._search(catalog, request, parsed, started)

    def _search(self, catalog: Catalog, request: SearchRequest, parsed: ParsedQuery, started: float) -> SearchResult:
        matched = docs(parsed.query, catalog.postings, catalog.searcher, catalog.live)
        filters = self._filters(request, catalog)
        allowed = _all(filters.values())
        final = matched if allowed is None else matched[allowed[matched]]
        offset, limit = (request.page - 1) * request.per_page, request.page * request.per_page
        terms = frozenset(t for _, t in positive_terms(parsed.query))
        if request.sort == "relevance":
            page = top(catalog.postings, catalog.lengths, positive_terms(parsed.query), final, FIELD_BOOSTS,
                       catalog.n_docs, limit)[offset:limit]
        else:
            page = [(d, None) for d in _by_time(catalog.times, final, limit, request.sort == "newest")[offset:limit]]
        hits = [self._hit(catalog.searcher, docnum, score, terms) for docnum, score in page]
        suggestion = self._suggest(catalog.searcher, parsed) if len(final) < 3 else None
        return SearchResult(request=request, total=len(final), hits=hits,
                            facets=_facets(catalog, matched, filters), suggestion=suggestion,
                            took_ms=(time.perf_counter() - started) * 1000, parsed=parsed.text,
                            fallback=parsed.fallback)

    def _filters(self, request: SearchRequest, catalog: Catalog) -> dict[str, np.ndarray]:
        """Boolean masks by docnum, one per kind of filter asked for."""
        out = {}
        for facet, values in (("outlet", request.outlets), ("region", request.regions)):
            if values:
                masks = [catalog.masks[facet].get(v.lower()) for v in values]
                out[facet] = np.logical_or.reduce([m for m in masks if m is not None] or [~catalog.live])
        if request.date_from or request.date_to:
            out["date"] = catalog.between(request.date_from, request.date_to)
        return out

    def _hit(self, s, docnum: int, score: float | None, terms: frozenset[str]) -> Hit:
        article = IndexedArticle.from_stored(s.stored_fields(docnum))
        return Hit(article=article, title=mark_all(self.analyzer, article.title, terms),
                   snippet=snippet(self.analyzer, article.body, terms), score=score)

    def _suggest(self, s, parsed: ParsedQuery) -> str | None:
        """The query with each word the index does not know replaced by its best correction."""
        reader = s.reader()

        def df(term: str) -> int:
            return reader.doc_frequency("body", term) + reader.doc_frequency("title", term)

        def analyze(word: str) -> list[str]:
            return terms(self.analyzer, word, mode="query")

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
        catalog = self.catalog()
        with catalog.lock:
            fields = catalog.searcher.document(id=article_id)
        return IndexedArticle.from_stored(fields) if fields else None


def _all(masks) -> np.ndarray | None:
    masks = list(masks)
    return np.logical_and.reduce(masks) if masks else None


def _by_time(times: np.ndarray, docs: np.ndarray, k: int, newest: bool) -> list[int]:
    """The k newest (or oldest) of docs; undated articles come last either way, then by docnum."""
    if not len(docs):
        return []
    when = times[docs]
    key = np.where(np.isinf(when), np.inf, -when) if newest else np.where(np.isinf(when), np.inf, when)
    if len(docs) > k:
        keep = np.argpartition(key, k - 1)[:k]
        docs, key = docs[keep], key[keep]
    return [int(docs[i]) for i in np.lexsort((docs, key))]


def _facets(catalog: Catalog, matched: np.ndarray, filters: dict[str, np.ndarray]) -> dict:
    out = {}
    for facet in FACETS:
        others = _all(v for k, v in filters.items() if k != facet)
        base = matched if others is None else matched[others[matched]]
        counts = [FacetCount(*catalog.labels[facet][key], int(np.count_nonzero(mask[base])))
                  for key, mask in catalog.masks[facet].items()]
        counts = [c for c in counts if c.count]
        if facet == "year":
            counts.sort(key=lambda c: c.value, reverse=True)
        else:
            counts.sort(key=lambda c: (-c.count, c.label.lower()))
        out[facet] = counts
    return out
