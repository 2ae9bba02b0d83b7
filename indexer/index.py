"""The search index on disk: derived from the store, updated incrementally, rebuilt beside the live copy.

Layout under the index directory:

    CURRENT             the name of the live generation, replaced atomically (os.replace)
    gen-<stamp>/        one Whoosh index, warta.json (its fingerprint), stems.tsv (the stem cache),
                        stories.sqlite3 (story fingerprints and LSH bands, indexer/stories.py),
                        readers.lock (held shared by every searcher that has the generation open)
    update.lock         held by the one process writing (others wait)

`update` compares the store's (url, content hash) pairs with the index's and writes only the difference,
so running it twice does nothing the second time. Whoosh commits are atomic (a new TOC file), so a writer
killed mid-update leaves the last committed index readable and the next update redoes the rest.
`rebuild` writes a new generation while searchers keep reading the old one, then flips CURRENT.
A generation other than CURRENT is removed by the next writer once no searcher holds it (readers.lock),
so a killed rebuild's half-written directory goes too, and a long-lived server is never pulled from under.
"""

from __future__ import annotations

import fcntl
import gc
import json
import logging
import os
import re
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from indexer.analysis import STEMS, TOKEN, load_stems, save_stems, stem_all, words
from indexer.columns import column_values
from indexer.lexicon import Lexicon
from indexer.lexicon import load as load_lexicon
from indexer.schema import article_id, build_schema, document, fingerprint
from indexer.segments import TermWriter
from indexer.stories import BANDS_FILE, Grouper, Prints, group, group_table
from indexer.whoosh_private import finalize_segment, unlocked
from runtime.processes import die_with_parent
from store import Store

log = logging.getLogger(__name__)

STEMS_FILE = "stems.tsv"
READERS_LOCK = "readers.lock"
COMMIT_EVERY = 20_000  # documents per commit on big updates: a killed update loses at most this much work
BATCH_SEGMENT = 10_000  # documents per segment in a rebuild (a writer process holds one in memory)
CODEC_COMPRESSION = 1  # zlib level for posting blocks: as small as Whoosh's default 3 here, cheaper to write
WRITER_MB = 256
SURVEY_CHUNK = 5000  # articles per task of the pool that reads the store before a rebuild


class IndexMissingError(RuntimeError):
    """No index has been built yet (run `warta index`)."""


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


def current_generation(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    gen = root / name
    return gen if name and _has_index(gen) else None


def _has_index(gen: Path) -> bool:
    """Whether gen holds a committed Whoosh index (a TOC file), without opening it.

    Whoosh's exists_in() opens the latest TOC, which a commit landing at that moment may have just
    replaced: a reader would take a healthy index for a missing one.
    """
    try:
        return any(entry.name.endswith(".toc") for entry in os.scandir(gen))
    except OSError:
        return False


def built_fingerprint(gen: Path) -> str:
    """The fingerprint a generation was built under ('' when unknown)."""
    try:
        return json.loads((gen / "warta.json").read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def hold_generation(gen: Path) -> int:
    """Mark a generation as read by this process (a shared lock on its readers.lock); returns the fd to close.

    Raises FileNotFoundError when the generation has been removed meanwhile (the caller looks again).
    """
    fd = _readers_lock(gen)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not _has_index(gen):  # removed while we waited for the lock
            raise FileNotFoundError(f"index generation {gen.name} was removed")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _readers_lock(gen: Path) -> int:
    """An fd of gen's readers.lock (made if missing: generations built before it existed have none)."""
    return os.open(gen / READERS_LOCK, os.O_RDONLY | os.O_CREAT, 0o644)


def open_index(root: Path, lexicon: Lexicon | None = None) -> Index:
    """The live index, read with this code's schema (not the pickled one), or IndexMissingError."""
    gen = current_generation(Path(root))
    if gen is None:
        raise IndexMissingError(f"no search index at {root} yet; run 'warta index'")
    return open_generation(gen, build_schema(lexicon))


def open_generation(gen: Path, schema) -> Index:
    """One generation's Whoosh index, its segment files read through the page cache, never copied.

    whoosh3 maps a segment's compound file and then wraps each part in a BytesIO, which copies it: every
    reader held the whole index in its own memory (4.1 GB for the 5.9 GB index of a million articles, in
    every `warta serve` worker and in `warta index`). Without mmap the parts are read with seek and read
    from the shared page cache, which measured no slower (bench/index.py).
    """
    return _storage(gen).open_index(schema=schema)


def _storage(gen: Path) -> FileStorage:
    return FileStorage(str(gen), supports_mmap=False)


def stale_reason(root: Path, lexicon: Lexicon | None = None) -> str:
    """Why the live index cannot be updated in place ('' if it can)."""
    gen = current_generation(Path(root))
    if gen is None:
        return "no index yet"
    built = built_fingerprint(gen)
    if not built:
        return "index has no fingerprint"
    wanted = fingerprint(lexicon)
    return "" if built == wanted else f"schema or lexicon changed ({built} -> {wanted})"


def update(root: Path, store_path: Path, names: Mapping[str, str] | None = None, rebuild: bool = False,
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
    with _exclusive(root), Store(store_path) as store:
        live = current_generation(root)
        _remove_unused_generations(root, keep={live.name} if live else set())
        reason = "asked" if rebuild else stale_reason(root, lexicon)
        if live and built_fingerprint(live) == fingerprint(lexicon):
            load_stems(live / STEMS_FILE)
        else:  # stems made under another lexicon (its unstemmed words) must not leak into this one
            STEMS.clear()
        position, linkable = store.position()  # before any article is read: later changes are the next update's
        if reason:
            report = _rebuild(root, store, _linkable(store.hashes()), names or {}, lexicon, progress, procs, stage)
            report.reason = reason
        else:
            report = _update(root, store, (position, linkable), names or {}, lexicon, progress, commit_every,
                             stage)
        _record(current_generation(root), store, position, lexicon)
    report.seconds = time.monotonic() - started
    log.info(report.summary())
    return report


@contextmanager
def _exclusive(root: Path):
    """One writer at a time (a second `warta index` waits); the OS drops the lock if the process dies.

    A POSIX lock (lockf), so the forked writer processes do not inherit it and cannot outlive it.
    """
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "update.lock", "w") as fh:
        fcntl.lockf(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(fh, fcntl.LOCK_UN)


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
    since = _applied(gen, ix, store)
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


APPLIED = "applied.json"  # in a generation: the store change-log position its latest commit reflects


def _record(gen: Path | None, store: Store, position: int, lexicon: Lexicon) -> None:
    """Note that gen's latest commit holds every store change up to `position` (written after the commit:
    a process killed in between leaves a record naming an older commit, which is not trusted)."""
    if gen is None:
        return
    ix = open_generation(gen, build_schema(lexicon))
    tmp = gen / (APPLIED + ".tmp")
    tmp.write_text(json.dumps({"store": store.identity(), "position": position, "commit": ix.latest_generation()}),
                   encoding="utf-8")
    os.replace(tmp, gen / APPLIED)


def _applied(gen: Path, ix: Index, store: Store) -> int | None:
    """The change-log position of gen's latest commit, or None when the record is missing or not about
    this store and this commit."""
    try:
        record = json.loads((gen / APPLIED).read_text(encoding="utf-8"))
        if record["store"] == store.identity() and record["commit"] == ix.latest_generation():
            return int(record["position"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _rebuild(root: Path, store: Store, wanted: dict[str, str], names: Mapping[str, str], lexicon: Lexicon,
             progress, procs: int, stage=None) -> IndexReport:
    root.mkdir(parents=True, exist_ok=True)
    gen = root / f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    gen.mkdir()
    (gen / READERS_LOCK).touch()
    ix = _storage(gen).create_index(build_schema(lexicon))
    report = IndexReport(rebuilt=True, generation=gen.name)
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
    size = BATCH_SEGMENT if procs == 1 else max(CRUMB, min(BATCH_SEGMENT, len(rows) // (4 * procs)))
    with _Segments(gen, procs, progress) as writers, _beside(procs > 1, group_table, gen / BANDS_FILE, prints, story):
        for at in range(0, len(rows), size):
            run = slice(at, at + size)
            writers.write(store.path, rows[run], prints.ids[run], story[run], dict(names))
        segments = writers.written()
    report.new = writers.count
    ix.writer().commit(mergetype=lambda _, existing: existing + segments)  # one TOC lists them all
    save_stems(gen / STEMS_FILE)
    (gen / "warta.json").write_text(json.dumps({"fingerprint": fingerprint(lexicon),
                                                "built": datetime.now(UTC).isoformat(timespec="seconds"),
                                                "articles": report.new}), encoding="utf-8")
    _point_to(root, gen)
    _remove_unused_generations(root, keep={gen.name})
    return report


def _writer(ix: Index):
    return ix.writer(limitmb=WRITER_MB, codec=W3Codec(compression=CODEC_COMPRESSION))


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


def write_segment(gen: Path, store_path: Path, rows: list[int], ids: list[str], stories: list[str],
                  names: Mapping[str, str]) -> tuple[object, int]:
    """The articles at these rows as one new segment of the generation's index (not yet listed by its
    TOC), with their stories (ids and stories run with the rows), and how many it holds.

    The cyclic garbage collector is off meanwhile: a segment's postings are millions of new objects and
    make no cycles, and the collector's passes over them were a quarter of the time adding documents took.
    """
    gc.disable()
    try:
        ix = _storage(gen).open_index()
        writer = unlocked(TermWriter, ix, codec=W3Codec(compression=CODEC_COMPRESSION))
        k = 0
        with Store(store_path, readonly=True) as store:
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
        found = list(each(_read, [store.path] * len(chunks), chunks))
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


def _read(store_path: Path, rows: list[int]) -> tuple[set[str], list[int], Prints]:
    """The distinct words, the rows read and the fingerprints of the articles at these rows (a pool task)."""
    raw: set[str] = set()
    read, found = [], []
    with Store(store_path, readonly=True) as store:
        for row, url, title, text, published in store.texts_at(rows):
            raw.update(TOKEN.findall(title), TOKEN.findall(text))
            read.append(row)
            found.append((article_id(url), title, text, published))
    return words(" ".join(raw)), read, Prints.of(found)


def _point_to(root: Path, gen: Path) -> None:
    tmp = root / "CURRENT.tmp"
    tmp.write_text(gen.name + "\n", encoding="utf-8")
    os.replace(tmp, root / "CURRENT")


def _remove_unused_generations(root: Path, keep: set[str]) -> list[str]:
    """Remove every generation but `keep` that no searcher holds; held ones wait for a later writer.

    Called with the update lock held, so no rebuild is writing one: a generation that is neither live
    nor held is a replaced one or what a killed rebuild left.
    """
    removed = []
    for path in sorted(root.glob("gen-*")):
        if not path.is_dir() or path.name in keep:
            continue
        try:
            fd = _readers_lock(path)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a searcher still reads it
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
        finally:
            os.close(fd)
    if removed:
        log.info("removed unused index generations: %s", ", ".join(removed))
    return removed
