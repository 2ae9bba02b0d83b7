"""A rebuild: every stored article written into a new index generation beside the live one, on all cores.

First a survey reads every article once (stemming each new word into the cache the writers inherit, and
fingerprinting each article for stories.group); then forked writer processes each write a run of the rows
as one segment (indexer/segments.py's TermWriter), and one commit lists them all. Searchers keep reading
the old generation until CURRENT is flipped to the new one.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec

from indexer.analysis import STEMS, TOKEN, save_stems, stem_all, words
from indexer.generations import (
    CODEC_COMPRESSION,
    READERS_LOCK,
    STEMS_FILE,
    point_to,
    remove_unused,
    storage,
    write_fingerprint,
)
from indexer.lexicon import Lexicon
from indexer.schema import article_id, build_schema, document
from indexer.segments import TermWriter
from indexer.stories import BANDS_FILE, Prints, group, group_table
from indexer.whoosh_private import finalize_segment, unlocked
from store import Store, open_store

BATCH_SEGMENT = 10_000  # documents per segment in a rebuild (a writer process holds one in memory)
SURVEY_CHUNK = 5000  # articles per task of the pool that reads the store before a rebuild


def new_generation(root: Path, store: Store, wanted: dict[str, str], names: Mapping[str, str], lexicon: Lexicon,
                   progress, procs: int, stage=None, min_segment: int = 0) -> tuple[str, int]:
    """Write the wanted articles as a new generation and make it the live one; returns its name and how many
    articles it holds. No segment is smaller than min_segment (unless the build is): an update would merge it."""
    root.mkdir(parents=True, exist_ok=True)
    gen = root / f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    gen.mkdir()
    (gen / READERS_LOCK).touch()
    ix = storage(gen).create_index(build_schema(lexicon))
    rows = store.rows_of(wanted)  # read in the order they were stored: a big store front to back
    if stage:
        stage("stemming", len(rows))
    prints, rows = _survey(store, rows, lexicon, procs)
    story = group(prints)
    if stage:
        stage("indexing", len(rows))
    # Writer processes forked from this one (the warm STEMS cache comes along) each read a run of the rows
    # and write it as one segment; one commit then lists them all. On a small build smaller runs keep
    # every process busy; none is so small an update would merge it.
    size = BATCH_SEGMENT if procs == 1 else max(min_segment, min(BATCH_SEGMENT, len(rows) // (4 * procs)))
    with _Segments(gen, procs, progress) as writers, _beside(procs > 1, group_table, gen / BANDS_FILE, prints, story):
        for at in range(0, len(rows), size):
            run = slice(at, at + size)
            writers.write(store.location, rows[run], prints.ids[run], story[run], dict(names))
        segments = writers.written()
    ix.writer().commit(mergetype=lambda _, existing: existing + segments)  # one TOC lists them all
    save_stems(gen / STEMS_FILE)
    write_fingerprint(gen, lexicon, writers.count)
    point_to(root, gen)
    remove_unused(root, keep={gen.name})
    return gen.name, writers.count


class _Segments:
    """Writes segments of a generation (write_segment) in `procs` forked processes (in this one when procs
    is 1), keeping at most procs runs waiting. `progress` hears how many documents are written, as each
    segment is. A Ctrl-C or an error ends the processes (Pool.terminate) rather than waiting for work the
    next run throws away with the half-built generation."""

    def __init__(self, gen: Path, procs: int, progress: Callable[[int], object] | None = None):
        self.gen, self.procs, self.progress = gen, procs, progress
        self.pool = None
        if procs > 1:
            import multiprocessing

            self.pool = multiprocessing.get_context("fork").Pool(procs)
        self.pending: deque = deque()
        self.done: list = []
        self.count = 0

    def __enter__(self) -> _Segments:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if self.pool is None:
            return
        if exc_type is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def write(self, *args) -> None:
        if self.pool is None:
            self._finished(*write_segment(self.gen, *args))
            return
        self.pending.append(self.pool.apply_async(write_segment, (self.gen, *args)))
        while self.pending and (len(self.pending) > self.procs or self.pending[0].ready()):
            self._finished(*self.pending.popleft().get())

    def written(self) -> list:
        """The segments, in the order their runs were given."""
        while self.pending:
            self._finished(*self.pending.popleft().get())
        return self.done

    def _finished(self, segment, count: int) -> None:
        self.done.append(segment)
        self.count += count
        if self.progress:
            self.progress(self.count)


def write_segment(gen: Path, store_location: str, rows: list[int], ids: list[str], stories: list[str],
                  names: Mapping[str, str]) -> tuple[object, int]:
    """The articles at these rows as one new segment of the generation's index (not yet listed by its
    TOC), with their stories (ids and stories run with the rows), and how many it holds.

    The cyclic garbage collector is off meanwhile: a segment's postings are millions of new objects and
    make no cycles, and the collector's passes over them were a quarter of the time adding documents took.
    """
    gc.disable()
    try:
        ix = storage(gen).open_index()
        writer = unlocked(TermWriter, ix, codec=W3Codec(compression=CODEC_COMPRESSION))
        k = 0
        with open_store(store_location, readonly=True) as store:
            for article, digest in store.articles_at(rows):
                doc = document(article, digest, names.get(article.outlet, ""))
                while ids[k] != doc["id"]:  # a row the crawl replaced since the survey
                    k += 1
                doc["story"] = stories[k]
                writer.add_document(**doc)
        return finalize_segment(writer), writer.doc_count()
    finally:
        gc.enable()


@contextmanager
def _beside(forked: bool, task: Callable, *args):
    """Run task in a forked process while the block runs (in this one, before it, when not forked); an
    error in it fails the block's end."""
    if not forked:
        task(*args)
        yield
        return
    import multiprocessing

    process = multiprocessing.get_context("fork").Process(target=task, args=args)
    process.start()
    try:
        yield
    except BaseException:
        process.terminate()
        raise
    finally:
        process.join()
    if process.exitcode:
        raise RuntimeError(f"{task.__name__} failed in its process (exit code {process.exitcode})")


def _survey(store: Store, rows: list[int], lexicon: Lexicon, procs: int) -> tuple[Prints, list[int]]:
    """Read every article once before a rebuild writes anything, on all cores: stem each word the cache
    lacks (into STEMS, which the writer processes inherit) and fingerprint each article for stories.group.
    Returns the fingerprints and the rows they were read from (a row the crawl removed meanwhile is not)."""
    chunks = [rows[i:i + SURVEY_CHUNK] for i in range(0, len(rows), SURVEY_CHUNK)] or [[]]
    with _mapping(procs if len(rows) >= 1000 else 1) as each:
        found = list(each(_read, [store.location] * len(chunks), chunks))
        new = sorted(set().union(*(words_ for words_, _, _ in found)).difference(STEMS))
        jobs = [set(new[i::procs * 4]) for i in range(procs * 4)]
        for stems in each(stem_all, jobs, [lexicon.unstemmed] * len(jobs)):
            STEMS.update(stems)
    return Prints.join([p for _, _, p in found]), [row for _, read, _ in found for row in read]


@contextmanager
def _mapping(procs: int):
    """`map` over a pool of procs processes (forked: they see STEMS as it is), or in this one."""
    if procs < 2:
        yield map
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(procs) as pool:
        yield pool.map


def _read(store_location: str, rows: list[int]) -> tuple[set[str], list[int], Prints]:
    """The distinct words, the rows read and the fingerprints of the articles at these rows (a pool task)."""
    raw: set[str] = set()
    read, found = [], []
    with open_store(store_location, readonly=True) as store:
        for row, url, title, text, published in store.texts_at(rows):
            raw.update(TOKEN.findall(title), TOKEN.findall(text))
            read.append(row)
            found.append((article_id(url), title, text, published))
    return words(" ".join(raw)), read, Prints.of(found)


