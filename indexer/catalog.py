"""Keeping the index open across commits: per commit, a Catalog of what search keeps beside Whoosh (posting
cache, facet masks, dates, field lengths, stories), and a LiveIndex that follows the live generation as
`warta index` updates or rebuilds it, without ever pulling a catalog from under a request that holds it.
The query algorithm is indexer/search.py's.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path

import numpy as np

from indexer.analysis import STEMS, load_stems
from indexer.columns import column_values
from indexer.generations import (
    STEMS_FILE,
    IndexMissingError,
    built_fingerprint,
    current_generation,
    hold_generation,
    open_generation,
)
from indexer.lexicon import Lexicon
from indexer.lexicon import load as load_lexicon
from indexer.postings import Postings
from indexer.query import SEARCH_FIELDS, QueryParser
from indexer.ranking import FieldLengths
from indexer.schema import FACET_FIELDS, build_schema, fingerprint
from indexer.stories import StoryMap
from indexer.whoosh_private import EPOCH_US, UNDATED

OPEN_ATTEMPTS = 5  # a commit landing while a catalog opens can remove files under it: look again


class Catalog:
    """One open index commit and what search keeps beside it: postings cache, facet masks, dates, lengths.

    A snapshot: built once per commit (about a second at 100,000 articles) from a searcher of its own
    and never changed afterwards, so every request answers from one consistent commit. Whoosh reads go
    through `lock`, since its readers are not made for concurrent use. `users` counts the requests that
    hold it; a replaced catalog is closed by the last of them (see Searcher).
    """

    def __init__(self, searcher, analysis: Analysis, generation: str, hold: int | None = None):
        self.searcher = searcher
        self.analysis = analysis
        self.generation = generation
        self.lock = threading.RLock()
        self.users = 0
        self.retired = False
        self._hold = hold  # fd of the shared lock on the generation's readers.lock
        reader = searcher.reader()
        size = reader.doc_count_all()
        self.n_docs = max(1, reader.doc_count())
        self.postings = Postings(reader)
        self.live = np.zeros(size, dtype=bool)
        self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        self.masks: dict[str, dict[str, np.ndarray]] = {}
        self.labels: dict[str, dict[str, tuple[str, str]]] = {}  # facet -> lowercase value -> (value, label)
        for facet, fieldname in FACET_FIELDS.items():
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
        self.times = _times(reader, size)
        self.lengths = FieldLengths(reader, SEARCH_FIELDS)
        self.stories = StoryMap(reader, self.live)

    def between(self, start: date | None, end: date | None) -> np.ndarray:
        lo = datetime.combine(start, dtime.min, UTC).timestamp() if start else -np.inf
        hi = datetime.combine(end, dtime.min, UTC).timestamp() + 86400 if end else np.inf  # date.max + 1 day
        return (self.times >= lo) & (self.times < hi)

    def close(self) -> None:
        self.searcher.close()
        if self._hold is not None:
            os.close(self._hold)
            self._hold = None


@dataclass(frozen=True)
class Analysis:
    """How queries are read for one index generation: its lexicon, schema, analyzer and parser."""

    lexicon: Lexicon
    schema: object
    analyzer: object
    parser: QueryParser

    @classmethod
    def of(cls, lexicon: Lexicon) -> Analysis:
        schema = build_schema(lexicon)
        return cls(lexicon, schema, schema["body"].analyzer, QueryParser(schema, lexicon))


class LiveIndex:
    """The live index generation's latest commit as a Catalog, followed as the index is updated or rebuilt.

    One per process (inside its Searcher): the web app shares it across its threads. Each request holds the
    catalog it started with until it ends (`using`); when the index moves on, the next request opens a new
    catalog from a fresh Whoosh searcher (never `refresh()`, which closes what other threads still
    read), and the old one is closed when its last request ends. A generation this process has open
    is held with a shared lock, so `warta index` removes it only once no searcher reads it. While one
    thread opens the new catalog, the others keep answering from the old one.
    """

    def __init__(self, root: Path, lexicon: Lexicon | None = None):
        self.root = Path(root)
        self._follow_lexicon = lexicon is None  # the lexicon file may change with a rebuilt generation
        self.analysis = Analysis.of(lexicon or load_lexicon())
        self._lock = threading.Lock()  # guards _catalog and the users counts
        self._opening = threading.Lock()  # one thread opens the next catalog
        self._catalog: Catalog | None = None
        self._stems_from: str | None = None  # the generation whose stem cache and lexicon were loaded

    @property
    def lexicon(self) -> Lexicon:
        return self.analysis.lexicon

    def generation(self) -> str | None:
        gen = current_generation(self.root)
        return gen.name if gen else None

    def catalog(self) -> Catalog:
        """The catalog of the index as it is now (opened if the index moved on); not held for a request."""
        with self.using() as catalog:
            return catalog

    @contextmanager
    def using(self) -> Iterator[Catalog]:
        catalog = self._acquire()
        try:
            yield catalog
        finally:
            with self._lock:
                catalog.users -= 1
                done = catalog.retired and catalog.users == 0
            if done:
                catalog.close()

    def _acquire(self) -> Catalog:
        gen = current_generation(self.root)
        if gen is None:
            raise IndexMissingError(f"no search index at {self.root} yet; run 'warta index'")
        with self._lock:
            current = self._catalog
            if current is not None and (not self._stale(current, gen) or not self._opening.acquire(blocking=False)):
                current.users += 1  # fresh, or another thread is opening the next one meanwhile
                return current
        if current is None:
            self._opening.acquire()  # nothing to answer from yet: wait for whoever opens the first one
        try:
            with self._lock:
                current = self._catalog
            fresh = current if current is not None and not self._stale(current, gen) else self._open(gen)
            with self._lock:
                if fresh is not current:
                    self._catalog = fresh
                    self._retire(current)
                fresh.users += 1
                return fresh
        finally:
            self._opening.release()

    @staticmethod
    def _stale(catalog: Catalog, gen: Path) -> bool:
        return catalog.generation != gen.name or not catalog.searcher.up_to_date()

    def _open(self, gen: Path) -> Catalog:
        """A new catalog on the latest commit of gen (or of whatever generation is live by then)."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                hold = hold_generation(gen)
            except FileNotFoundError:
                gen = current_generation(self.root)
                if gen is None:
                    raise IndexMissingError(f"no search index at {self.root} yet; run 'warta index'") from None
                continue
            try:
                analysis = self._analysis_for(gen)
                ix = open_generation(gen, analysis.schema)
                return Catalog(ix.searcher(), analysis, gen.name, hold)
            except Exception:
                os.close(hold)
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise IndexMissingError(f"the search index at {self.root} keeps changing; try again")

    def _analysis_for(self, gen: Path) -> Analysis:
        """This searcher's analysis, reloaded when gen was built under another lexicon file; the stem cache
        saved with gen, loaded once per generation (the file is read whole)."""
        if gen.name == self._stems_from:  # a new commit of the generation already open: nothing to reload
            return self.analysis
        built = built_fingerprint(gen)
        if self._follow_lexicon and built and built != fingerprint(self.analysis.lexicon):
            load_lexicon.cache_clear()
            lexicon = load_lexicon()
            if fingerprint(lexicon) == built:
                STEMS.clear()  # stems depend on the lexicon's unstemmed words
                self.analysis = Analysis.of(lexicon)
        load_stems(gen / STEMS_FILE)
        self._stems_from = gen.name
        return self.analysis

    def close(self) -> None:
        with self._lock:
            catalog, self._catalog = self._catalog, None
            self._retire(catalog)

    @staticmethod
    def _retire(catalog: Catalog | None) -> None:
        """No new request gets it; closed now if none holds it, else by the last one (using). Lock held."""
        if catalog is not None:
            catalog.retired = True
            if catalog.users == 0:
                catalog.close()


_UNDATED = np.uint64(UNDATED)


def _times(reader, size: int) -> np.ndarray:
    """Publication times as Unix seconds by docnum; -inf for undated documents.

    Read as raw column values: Whoosh's own translation turns the "no value" marker into a datetime
    and overflows, so one undated article would make the whole index unreadable.
    """
    times = np.full(size, -np.inf)
    if not size:  # an empty index has no columns
        return times
    raw = np.asarray(column_values(reader, "published", int(_UNDATED), translate=False), dtype=np.uint64)
    dated = raw != _UNDATED
    times[dated] = (raw[dated].astype(np.int64) - EPOCH_US) / 1e6
    return times
