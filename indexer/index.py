"""Keeping the search index up to date with the store: `update`, the one entry point.

`update` compares the store's (url, content hash) pairs with the index's, or follows the store's change
log from the position the live generation last applied (applied.json), and writes only the difference,
so running it twice does nothing the second time. Whoosh commits are atomic (a new TOC file), so a writer
killed mid-update leaves the last committed index readable and the next update redoes the rest. When the
schema or lexicon changed, or when asked, it rebuilds instead (indexer/rebuild.py): a new generation beside
the live one, which searchers keep reading until CURRENT flips (indexer/generations.py has the layout).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import Index

from indexer import bitmaps
from indexer.analysis import STEMS, load_stems, save_stems
from indexer.columns import column_values
from indexer.generations import (
    CODEC_COMPRESSION,
    STEMS_FILE,
    applied_position,
    built_fingerprint,
    current_generation,
    exclusive,
    open_index,
    record_applied,
    remove_unused,
    stale_reason,
)
from indexer.lexicon import Lexicon
from indexer.lexicon import load as load_lexicon
from indexer.rebuild import new_generation
from indexer.schema import article_id, document, fingerprint
from indexer.stories import BANDS_FILE, Grouper
from runtime.processes import die_with_parent
from store import Store, open_store

log = logging.getLogger(__name__)

COMMIT_EVERY = 20_000  # documents per commit on big updates: a killed update loses at most this much work
WRITER_MB = 256


@dataclass
class IndexReport:
    new: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    reason: str = ""
    seconds: float = 0.0
    generation: str = ""

    def summary(self) -> str:
        how = f"rebuilt ({self.reason})" if self.rebuilt else "updated"
        return (f"index {how}: {self.new} new, {self.updated} updated, {self.deleted} deleted, "
                f"{self.unchanged} unchanged in {self.seconds:.1f}s [{self.generation}]")


def update(root: Path, store_location: str | Path, names: Mapping[str, str] | None = None, rebuild: bool = False,
           lexicon: Lexicon | None = None, progress: Callable[[int], None] | None = None,
           procs: int | None = None, commit_every: int = COMMIT_EVERY,
           stage: Callable[[str, int], None] | None = None) -> IndexReport:
    """Bring the index up to date with the store; rebuild when asked or when the schema changed.

    The index shows no progress itself; a caller that does (`warta index` on a terminal) passes callbacks:
    stage(name, total) as a step over `total` articles begins ("stemming" before a rebuild, then "indexing",
    when there is anything to write), and progress(done) as articles are written.

    A rebuild forks its workers, and a process forked while another thread runs may inherit a lock that
    thread held (SQLite's, logging's) and wait on it forever. Called from any thread but the main one (the
    scheduler indexes in a thread of its own), a rebuild runs in this process alone.
    """
    root, started = Path(root), time.monotonic()
    lexicon = lexicon or load_lexicon()
    procs = procs or min(2, os.cpu_count() or 1)
    if threading.current_thread() is not threading.main_thread():
        procs = 1
    die_with_parent()  # a killed `warta index` takes its reading, writer and band-table processes with it
    with exclusive(root), open_store(store_location) as store:
        live = current_generation(root)
        remove_unused(root, keep={live.name} if live else set())
        reason = "asked" if rebuild else stale_reason(root, lexicon)
        if live and built_fingerprint(live) == fingerprint(lexicon):
            load_stems(live / STEMS_FILE)
        else:  # stems made under another lexicon (its unstemmed words) must not leak into this one
            STEMS.clear()
        position, linkable = store.position()  # before any article is read: later changes are the next update's
        if reason:
            name, count = new_generation(root, store, _linkable(store.hashes()), names or {}, lexicon, progress,
                                         procs, stage, min_segment=CRUMB)
            report = IndexReport(new=count, rebuilt=True, reason=reason, generation=name)
        else:
            report = _update(root, store, (position, linkable), names or {}, lexicon, progress, commit_every,
                             stage)
        record_applied(current_generation(root), store, position, lexicon)
        bitmaps.ensure(open_index(root, lexicon))
    report.seconds = time.monotonic() - started
    log.info(report.summary())
    return report


_HTTP = re.compile(r"https?:", re.IGNORECASE)  # a URL's scheme, checked a million times per update


def _linkable(hashes: dict[str, str]) -> dict[str, str]:
    """The stored articles whose URL a result may link to: http(s) only.

    The crawler stores nothing else now; an article stored before it checked (a `javascript:` canonical)
    stays out of search rather than become a link.
    """
    kept = {url: digest for url, digest in hashes.items() if _HTTP.match(url)}
    if len(kept) < len(hashes):
        log.warning("left out of the index: %d stored articles whose URL is not http(s)", len(hashes) - len(kept))
    return kept


def _indexed(ix: Index) -> dict[str, str]:
    """id -> content hash of every live document, read from columns (no stored-field unpickling)."""
    with ix.reader() as reader:
        if not reader.doc_count_all():  # an empty index has no columns at all
            return {}
        # whole columns at once (a million lookups one by one took 8 s), then only the live documents
        ids, hashes = column_values(reader, "id", ""), column_values(reader, "hash", "")
        if not reader.has_deletions():
            return dict(zip(ids, hashes, strict=True))
        return {ids[docnum]: hashes[docnum] for docnum in reader.all_doc_ids()}


CRUMB = 2_000  # documents: a segment smaller than this is one an update left; they are merged together
MAX_CRUMBS = 8  # crumbs allowed before an update merges them into one segment


def merge_crumbs(writer, segments: list) -> list:
    """Whoosh's merge policy for `warta index` updates: merge only the small segments updates leave.

    Whoosh's default (MERGE_SMALL, a Fibonacci rule) merges every segment up to a point that, on a rebuild's
    hundreds of equal BATCH_SEGMENT segments, is a hundred thousand documents: at a million articles each of
    the next updates rewrote that many (266 s for 1,000 new articles, bench/index.py). Segments the rebuild
    wrote are left as they are; crumbs are merged once there are more than MAX_CRUMBS of them.
    """
    from whoosh.reading import SegmentReader

    crumbs = [seg for seg in segments if seg.doc_count_all() < CRUMB]
    if len(crumbs) <= MAX_CRUMBS:
        return segments
    for seg in crumbs:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in crumbs]


@dataclass
class _Diff:
    """What an update writes: URLs to (re)index, ids to delete, and what the index holds already."""

    changed: list[str]
    present: set[str]  # ids of the changed articles the index already holds
    gone: list[str]
    unchanged: int


def _update(root: Path, store: Store, at: tuple[int, int], names: Mapping[str, str], lexicon: Lexicon,
            progress, commit_every: int, stage=None) -> IndexReport:
    """Write what changed in the store since the last update.

    The last update recorded how far down the store's change log it got (APPLIED); only the articles
    logged after that are looked at, so an update's cost follows what changed, not the store's size (a
    million-article comparison took 6 s of every update). Without a usable record (an older index, another
    store, a commit the record does not name), or when the counts of the index and the store disagree
    afterwards, the whole store is compared, as every update did before. `at` is the store's log position
    and its count of linkable articles, read together before anything else.
    """
    position, linkable = at
    gen = current_generation(root)
    ix = open_index(root, lexicon)
    since = applied_position(gen, ix, store)
    logged = since is not None and since <= position
    diff = _logged(ix, store, store.changed(since, position)) if logged else _differences(ix, store)
    report = _apply(gen, ix, store, diff, names, progress, commit_every, stage)
    if logged and ix.doc_count() != linkable:
        log.warning("index and store counts differ after following the change log (%d, %d): comparing all",
                    ix.doc_count(), linkable)
        again = _apply(gen, ix, store, _differences(ix, store), names, progress, commit_every, stage)
        report.new, report.updated, report.deleted = (report.new + again.new, report.updated + again.updated,
                                                      report.deleted + again.deleted)
    return report


def _differences(ix: Index, store: Store) -> _Diff:
    """Every difference between the store and the index, by comparing all their (id, hash) pairs."""
    wanted = _linkable(store.hashes())
    have = _indexed(ix)
    by_id = {article_id(url): url for url in wanted}
    changed = [url for aid, url in by_id.items() if have.get(aid) != wanted[url]]
    present = {aid for aid in map(article_id, changed) if aid in have}
    return _Diff(changed, present, [aid for aid in have if aid not in by_id], len(by_id) - len(changed))


def _logged(ix: Index, store: Store, urls: set[str]) -> _Diff:
    """The differences among the logged URLs only: stored ones whose hash the index lacks, and removed ones.

    Which of them the index holds comes from its id column read whole (one read per segment): looking each
    id up in each of a million-article index's 200 segments took 21 s with the term files out of the
    page cache.
    """
    stored = _linkable(store.hashes_of(urls))
    wanted = {article_id(url) for url in urls}
    indexed: dict[str, str] = {}
    with ix.reader() as reader:
        if urls and reader.doc_count_all():
            hashes = None
            for docnum, aid in enumerate(column_values(reader, "id", "")):
                if aid in wanted and not reader.is_deleted(docnum):
                    if hashes is None:
                        hashes = reader.column_reader("hash")
                    indexed[aid] = hashes[docnum]
        live = reader.doc_count()
    changed = [url for url, digest in stored.items() if indexed.get(article_id(url)) != digest]
    present = {aid for aid in map(article_id, changed) if aid in indexed}
    gone = [article_id(url) for url in urls if url not in stored and article_id(url) in indexed]
    return _Diff(changed, present, gone, live - len(present) - len(gone))


def _writer(ix: Index):
    return ix.writer(limitmb=WRITER_MB, codec=W3Codec(compression=CODEC_COMPRESSION))


def _apply(gen: Path, ix: Index, store: Store, diff: _Diff, names: Mapping[str, str], progress,
           commit_every: int, stage=None) -> IndexReport:
    report = IndexReport(generation=gen.name, unchanged=diff.unchanged, deleted=len(diff.gone))
    if not diff.changed and not diff.gone:
        return report
    if stage:
        stage("indexing", len(diff.changed))
    known = len(STEMS)
    grouper = Grouper(gen / BANDS_FILE, replaced=[*diff.gone, *(article_id(url) for url in diff.changed)])
    writer, pending = _writer(ix), 0
    for aid in diff.gone:
        writer.delete_by_term("id", aid)
    for article, digest in store.articles_for(diff.changed):
        doc = document(article, digest, names.get(article.outlet, ""), grouper)
        if doc["id"] in diff.present:
            writer.update_document(**doc)
            report.updated += 1
        else:
            writer.add_document(**doc)
            report.new += 1
        pending += 1
        if pending >= commit_every:
            writer.commit(mergetype=merge_crumbs)
            grouper.commit()
            writer, pending = _writer(ix), 0
        if progress:
            progress(report.new + report.updated)
    writer.commit(mergetype=merge_crumbs)
    grouper.close()
    if len(STEMS) != known:  # the cache file is rewritten whole: only when the articles brought new words
        save_stems(gen / STEMS_FILE)
    return report


