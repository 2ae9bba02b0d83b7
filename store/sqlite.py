"""The article store on SQLite, the system of record that the index is derived from.

WAL mode lets the web app and the indexer read while a crawl writes. Each article is written in its own
transaction, so a crawl killed at any point keeps everything it stored before, and the next crawl skips
those URLs. Raw HTML is kept compressed so extraction can be re-run without re-crawling.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path

from store.errors import StoreBusy, StoreError
from store.location import file_path, is_server
from store.records import Article, CrawlRun
from store.watches import WatchStore

SQLITE_HEADER = b"SQLite format 3\x00"
REJECT_RETRY = timedelta(days=30)  # a page rejected this long ago is fetched (and judged) again


def problem(location: str | Path) -> str:
    """Why the store at location cannot be opened ('' when it can or does not exist yet), read without writing."""
    if is_server(location):
        from store.postgres import unreachable

        return unreachable(str(location))
    path = file_path(location)
    if not path.exists():
        return ""
    if not path.is_file():
        return f"{path}: the store is not a file"
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"{path}: cannot read the store: {exc.strerror or exc}"
    if head and head != SQLITE_HEADER:
        return f"{path}: not a warta store (not an SQLite database); move it away or choose another --data"
    try:  # read-only: a damaged file is found here, before a command writes anything beside it
        db = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except StoreBusy:  # busy or locked: the store is fine, the command will wait for it
        return ""
    except StoreError as exc:
        return f"{path}: the store is damaged ({exc}); move it away or choose another --data"
    return ""


SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url          TEXT PRIMARY KEY,
    outlet       TEXT NOT NULL,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    published    TEXT,
    modified     TEXT,
    author       TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT 'id',
    regions      TEXT NOT NULL DEFAULT '[]',
    image        TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '[]',
    outlet_regions TEXT NOT NULL DEFAULT '[]',
    actors       TEXT NOT NULL DEFAULT '[]',
    html         BLOB,
    content_hash TEXT NOT NULL,
    fetched_at   TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet, published);
CREATE INDEX IF NOT EXISTS articles_updated ON articles(updated_at);
-- Other URLs that led to a stored article (tracking variants, AMP, redirects), so they are not re-fetched.
CREATE TABLE IF NOT EXISTS aliases (
    url         TEXT PRIMARY KEY,
    article_url TEXT NOT NULL
);
-- Article-looking URLs whose page was not an article, with the reason; skipped by later crawls.
CREATE TABLE IF NOT EXISTS rejects (
    url    TEXT PRIMARY KEY,
    outlet TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    outlet    TEXT NOT NULL,
    started   TEXT NOT NULL,
    finished  TEXT,
    result    TEXT NOT NULL,
    pages     INTEGER NOT NULL DEFAULT 0,
    new       INTEGER NOT NULL DEFAULT 0,
    updated   INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected  TEXT NOT NULL DEFAULT '{}',
    errors    INTEGER NOT NULL DEFAULT 0,
    error     TEXT NOT NULL DEFAULT '',
    duration  REAL NOT NULL DEFAULT 0,
    stats     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS crawl_runs_outlet ON crawl_runs(outlet, started);
-- every `warta index` reads all (url, content_hash) pairs: from this index, not the 4 GB table of a million
CREATE INDEX IF NOT EXISTS articles_hash ON articles(url, content_hash);
-- The change log `warta index` follows (see Store.changed): every article added, changed or removed, in
-- commit order. Kept by triggers, so no writer can change an article without the index hearing of it.
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS articles_added AFTER INSERT ON articles
BEGIN INSERT INTO changes (url) VALUES (NEW.url); END;
CREATE TRIGGER IF NOT EXISTS articles_changed AFTER UPDATE OF url, content_hash ON articles
WHEN OLD.url IS NOT NEW.url OR OLD.content_hash IS NOT NEW.content_hash
BEGIN INSERT INTO changes (url) VALUES (OLD.url), (NEW.url); END;
CREATE TRIGGER IF NOT EXISTS articles_removed AFTER DELETE ON articles
BEGIN INSERT INTO changes (url) VALUES (OLD.url); END;
-- Saved searches that alert ("pantauan", monitor/watches.py): the search, and where to deliver what is new.
CREATE TABLE IF NOT EXISTS watches (
    name    TEXT PRIMARY KEY,
    query   TEXT NOT NULL,
    outlets TEXT NOT NULL DEFAULT '[]',
    regions TEXT NOT NULL DEFAULT '[]',
    actors  TEXT NOT NULL DEFAULT '[]',
    webhook TEXT NOT NULL DEFAULT '',
    email   TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
-- Every story a watch has matched, once (a story's later copies and edits keep its id): when it was found,
-- and whether it was already there when the watch was made (then it is never delivered).
CREATE TABLE IF NOT EXISTS watch_stories (
    watch     TEXT NOT NULL,
    story     TEXT NOT NULL,
    url       TEXT NOT NULL,
    title     TEXT NOT NULL,
    outlet    TEXT NOT NULL,
    published TEXT,
    found     TEXT NOT NULL,
    baseline  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (watch, story)
);
-- A story's delivery on a channel (webhook, email): `delivered` once it succeeded, never again after.
CREATE TABLE IF NOT EXISTS watch_deliveries (
    watch      TEXT NOT NULL,
    story      TEXT NOT NULL,
    channel    TEXT NOT NULL,
    delivered  TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (watch, story, channel)
);
-- The schema version this store is at (Store.MIGRATIONS).
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Which store this is: a change log position means nothing in another store's log.
CREATE TABLE IF NOT EXISTS identity (id TEXT NOT NULL);
INSERT INTO identity (id) SELECT lower(hex(randomblob(16))) WHERE NOT EXISTS (SELECT 1 FROM identity);
"""


# Everything _article() reads, without the raw HTML blob.
ARTICLE_COLUMNS = ("url, outlet, title, text, published, modified, author, language, regions, image, tags, "
                   "outlet_regions, actors")
# Columns added after the first stores were written: (name, declaration), added to older stores on open.
ADDED_COLUMNS = (("outlet_regions", "TEXT NOT NULL DEFAULT '[]'"), ("actors", "TEXT NOT NULL DEFAULT '[]'"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def content_hash(article: Article) -> str:
    """What counts as a change: the extracted fields a reader sees, not the page around them."""
    key = "\x1f".join((article.title, article.text, _iso(article.published) or "", article.author,
                       "|".join(article.regions), "|".join(article.actors)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Store:
    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self._prepare()
        self.db.row_factory = sqlite3.Row

    def _prepare(self, attempts: int = 100) -> None:
        """WAL mode and the schema. Two processes opening a new store at once (two schedulers, two crawls)
        can find it locked while the other switches it to WAL; that is waited out, not fatal."""
        for attempt in range(attempts):
            try:
                if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(SCHEMA)
                self._migrate()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        """Bring a store written by an older warta up to this schema version, one migration at a time, each in
        the transaction that records it (SCHEMA creates what is missing; migrations change what is there)."""
        with self.db:
            version = self.schema_version()
            for number, migration in enumerate(self.MIGRATIONS, 1):
                if number > version:
                    migration(self)
            self.db.execute("INSERT INTO store_meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) "
                            "DO UPDATE SET value = excluded.value", (str(len(self.MIGRATIONS)),))

    def _add_columns(self) -> None:
        """Migration 1: columns added after the first stores were written get their defaults."""
        have = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        for name, declaration in ADDED_COLUMNS:
            if name not in have:
                self.db.execute(f"ALTER TABLE articles ADD COLUMN {name} {declaration}")

    MIGRATIONS = (_add_columns,)

    def schema_version(self) -> int:
        """The migrations this store has had (0 for a store from before versions, read-only so not migrated)."""
        if not self.has_table("store_meta"):
            return 0
        found = self.db.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
        return int(found[0]) if found else 0

    def after_copy(self) -> None:
        """What the engine needs after rows were written with their own keys (store/copy.py): nothing here."""

    @property
    def location(self) -> str:
        """Where the store is, as --store and WARTA_STORE take it: what another process opens it by."""
        return str(self.path)

    @cached_property
    def watches(self) -> WatchStore:
        return WatchStore(self.db, made=self.has_table("watches"))

    def has_table(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- articles -----------------------------------------------------------------------------------
    def save(self, article: Article, html: bytes | None = None, aliases: Iterable[str] = ()) -> str:
        """Insert or update one article in one transaction; returns 'new', 'updated' or 'unchanged'."""
        digest = content_hash(article)
        now = _now()
        with self.db:
            row = self.db.execute("SELECT content_hash FROM articles WHERE url = ?", (article.url,)).fetchone()
            self._add_aliases(article.url, aliases)
            if row and row["content_hash"] == digest:
                return "unchanged"
            blob = zlib.compress(html, 6) if html is not None else None
            fetched = now if html is not None else None  # re-extraction from the kept HTML fetches nothing
            values = (article.outlet, article.title, article.text, _iso(article.published), _iso(article.modified),
                      article.author, article.language, json.dumps(list(article.regions), ensure_ascii=False),
                      article.image, json.dumps(list(article.tags), ensure_ascii=False),
                      json.dumps(list(article.outlet_regions), ensure_ascii=False),
                      json.dumps(list(article.actors), ensure_ascii=False), blob, digest, fetched)
            if row:
                self.db.execute(
                    "UPDATE articles SET outlet=?, title=?, text=?, published=?, modified=?, author=?, language=?, "
                    "regions=?, image=?, tags=?, outlet_regions=?, actors=?, html=COALESCE(?, html), content_hash=?, "
                    "fetched_at=COALESCE(?, fetched_at), "
                    "updated_at=? WHERE url=?", (*values, now, article.url))
                return "updated"
            self.db.execute(
                "INSERT INTO articles (outlet, title, text, published, modified, author, language, regions, image, "
                "tags, outlet_regions, actors, html, content_hash, fetched_at, url, first_seen, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (*values[:-1], now, article.url, now, now))
            self.db.execute("DELETE FROM rejects WHERE url = ?", (article.url,))
            return "new"

    def _add_aliases(self, url: str, aliases: Iterable[str]) -> None:
        self.db.executemany("INSERT INTO aliases (url, article_url) VALUES (?, ?) "
                            "ON CONFLICT (url) DO UPDATE SET article_url = excluded.article_url",
                            [(a, url) for a in set(aliases) if a != url])

    def delete(self, url: str) -> bool:
        """Forget an article (taken down at the source, or stored by mistake); the index follows on update."""
        with self.db:
            self.db.execute("DELETE FROM aliases WHERE article_url = ?", (url,))
            return self.db.execute("DELETE FROM articles WHERE url = ?", (url,)).rowcount > 0

    def add_aliases(self, url: str, aliases: Iterable[str]) -> None:
        with self.db:
            self._add_aliases(url, aliases)

    def reject(self, url: str, outlet: str, reason: str) -> None:
        with self.db:
            self.db.execute("INSERT INTO rejects (url, outlet, reason, at) VALUES (?,?,?,?) ON CONFLICT (url) DO "
                            "UPDATE SET outlet = excluded.outlet, reason = excluded.reason, at = excluded.at",
                            (url, outlet, reason, _now()))

    def known_urls(self, outlet: str, now: datetime | None = None) -> set[str]:
        """URLs a crawl need not fetch again: stored articles, their aliases, and pages rejected within
        REJECT_RETRY. A rejection is a verdict of the extractor of its day: a page it could not read (nested
        past a parser limit, a theme it did not know) is tried again once that has passed."""
        since = ((now or datetime.now(UTC)) - REJECT_RETRY).isoformat(timespec="seconds")  # as _now() writes
        rows = self.db.execute(
            "SELECT url FROM articles WHERE outlet = ? UNION "
            "SELECT a.url FROM aliases a JOIN articles r ON r.url = a.article_url WHERE r.outlet = ? UNION "
            "SELECT url FROM rejects WHERE outlet = ? AND at >= ?", (outlet, outlet, outlet, since))
        return {r[0] for r in rows}

    def has_article(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone() is not None

    def get(self, url: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE url = ?", (url,)).fetchone()
        return _article(row) if row else None

    def articles(self, outlet: str | None = None) -> Iterator[Article]:
        sql, args = f"SELECT {ARTICLE_COLUMNS} FROM articles", ()
        if outlet:
            sql, args = sql + " WHERE outlet = ?", (outlet,)
        for row in self.db.execute(sql + " ORDER BY url", args):
            yield _article(row)

    def hashes(self) -> dict[str, str]:
        """url -> content hash of every article: what the index compares itself against."""
        return dict(self.db.execute("SELECT url, content_hash FROM articles"))

    def identity(self) -> str:
        """A random id given to this store when it was created (copies of the file share it)."""
        row = self.db.execute("SELECT id FROM identity").fetchone()
        return row[0] if row else ""

    def position(self) -> tuple[int, int]:
        """The change log's position now and how many stored articles have an http(s) URL (what an index in
        step holds), read in one statement, so both describe the same moment. Read it before reading
        articles, and every later change is after it."""
        return tuple(self.db.execute(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM changes),"
            " (SELECT COUNT(*) FROM articles WHERE url LIKE 'http:%' OR url LIKE 'https:%')").fetchone())

    def changed(self, after: int, upto: int) -> set[str]:
        """URLs of the articles added, changed or removed after log position `after`, up to `upto`.

        SQLite has one writer at a time and a transaction's log rows become visible together with its
        articles, so a reader that saw position P has seen every change up to P and none after it.
        """
        return {r[0] for r in self.db.execute("SELECT url FROM changes WHERE seq > ? AND seq <= ?", (after, upto))}

    def hashes_of(self, urls: Iterable[str], chunk: int = 500) -> dict[str, str]:
        """url -> content hash of those of urls that are stored."""
        urls, out = list(urls), {}
        for i in range(0, len(urls), chunk):
            part = urls[i:i + chunk]
            marks = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT url, content_hash FROM articles WHERE url IN ({marks})", part))
        return out

    def articles_for(self, urls: Iterable[str], chunk: int = 500) -> Iterator[tuple[Article, str]]:
        """The articles (with their content hash) for these URLs, in the order they were first stored.

        Read in that order, a million-article store is read front to back; in URL order every article is
        a seek into a file larger than the page cache, and a rebuild waits on the disk (bench/index.py).
        """
        urls = list(urls)
        rowids: list[int] = []
        for i in range(0, len(urls), chunk):
            part = urls[i:i + chunk]
            rowids += (r[0] for r in self.db.execute(
                f"SELECT rowid FROM articles WHERE url IN ({','.join('?' * len(part))})", part))
        return self.articles_at(sorted(rowids), chunk)

    def rows_of(self, urls: Iterable[str]) -> list[int]:
        """The rows holding these URLs, in the order they were first stored, for most of the store at once
        (a rebuild): one pass over the URL index, not a lookup per URL (44 s at a million articles)."""
        wanted = set(urls)
        return sorted(row for row, url in self.db.execute("SELECT rowid, url FROM articles") if url in wanted)

    def articles_at(self, rowids: list[int], chunk: int = 500) -> Iterator[tuple[Article, str]]:
        """The articles (with their content hash) at these rows, in the order given; rows gone are skipped."""
        for i in range(0, len(rowids), chunk):
            part = rowids[i:i + chunk]
            rows = self.db.execute(f"SELECT {ARTICLE_COLUMNS}, content_hash FROM articles"
                                   f" WHERE rowid IN ({','.join('?' * len(part))}) ORDER BY rowid", part)
            for row in rows:
                yield _article(row), row["content_hash"]

    def texts_at(self, rowids: list[int], chunk: int = 500) -> Iterator[tuple[int, str, str, str, datetime | None]]:
        """(row, url, title, text, published) at these rows, in the order given; rows gone are skipped.
        What a rebuild's first pass reads (stems, story fingerprints), without the rest of each article."""
        for i in range(0, len(rowids), chunk):
            part = rowids[i:i + chunk]
            for row in self.db.execute(f"SELECT rowid, url, title, text, published FROM articles"
                                       f" WHERE rowid IN ({','.join('?' * len(part))}) ORDER BY rowid", part):
                yield row[0], row[1], row[2], row[3], _dt(row[4])

    def raw_html(self, url: str) -> bytes | None:
        """The page as fetched, decoded by its charset and kept as UTF-8."""
        row = self.db.execute("SELECT html FROM articles WHERE url = ?", (url,)).fetchone()
        return zlib.decompress(row["html"]) if row and row["html"] is not None else None

    def count(self, outlet: str | None = None) -> int:
        if outlet:
            return self.db.execute("SELECT COUNT(*) FROM articles WHERE outlet = ?", (outlet,)).fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def rejects(self, outlet: str | None = None) -> dict[str, str]:
        sql, args = "SELECT url, reason FROM rejects", ()
        if outlet:
            sql, args = sql + " WHERE outlet = ?", (outlet,)
        return {r["url"]: r["reason"] for r in self.db.execute(sql, args)}

    # -- crawl runs ---------------------------------------------------------------------------------
    def begin_run(self, outlet: str) -> CrawlRun:
        run = CrawlRun(outlet=outlet, started=datetime.now(UTC))
        with self.db:
            run.id = self.db.execute("INSERT INTO crawl_runs (outlet, started, result) VALUES (?, ?, ?) RETURNING id",
                                     (outlet, run.started.isoformat(timespec="seconds"), run.result)).fetchone()[0]
        return run

    def interrupt_running(self, outlets: list[str] = (), runs: list[int] = ()) -> int:
        """Mark runs left 'running' as interrupted: every one of the outlets (call only while holding their
        crawl locks), and the runs with these ids (a crawl on a shared frontier, whose outlets other processes
        are crawling too)."""
        set_interrupted = ("UPDATE crawl_runs SET result = 'interrupted', finished = ?, error = CASE WHEN "
                           "error = '' THEN 'stopped before the crawl could record its end' ELSE error END "
                           "WHERE result = 'running' AND ")
        with self.db:
            return (self.db.executemany(set_interrupted + "outlet = ?", [(_now(), o) for o in outlets]).rowcount
                    + self.db.executemany(set_interrupted + "id = ?", [(_now(), r) for r in runs]).rowcount)

    def has_finished_run(self, outlet: str) -> bool:
        """Whether a crawl of outlet ever ran to its end: killed and interrupted runs do not count, nor do runs
        that stopped because their budget was spent, nor runs of a shared crawl one of whose processes was
        lost (what it had in flight is not in the store); a run that finished with extraction errors does (its
        listings were read to the end)."""
        rows = self.db.execute("SELECT stats FROM crawl_runs WHERE outlet = ? AND result IN ('ok', 'errors')",
                               (outlet,))
        return any(not {"warta/budget/spent", "warta/frontier/member-lost"} & json.loads(r[0]).keys() for r in rows)

    def finish_run(self, run: CrawlRun, stats: dict | None = None) -> None:
        run.finished = run.finished or datetime.now(UTC)
        run.duration = (run.finished - run.started).total_seconds()
        with self.db:
            self.db.execute(
                "UPDATE crawl_runs SET finished=?, result=?, pages=?, new=?, updated=?, unchanged=?, rejected=?, "
                "errors=?, error=?, duration=?, stats=? WHERE id=?",
                (run.finished.isoformat(timespec="seconds"), run.result, run.pages, run.new, run.updated,
                 run.unchanged, json.dumps(run.rejected, sort_keys=True), run.errors, run.error, run.duration,
                 json.dumps(stats or {}, default=str, sort_keys=True), run.id))

    def runs(self, outlet: str | None = None, limit: int = 20) -> list[CrawlRun]:
        """Recent runs, newest first."""
        sql, args = "SELECT * FROM crawl_runs", ()
        if outlet:
            sql, args = sql + " WHERE outlet = ?", (outlet,)
        return self._runs(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))

    def runs_by_id(self, ids: Iterable[int]) -> list[CrawlRun]:
        """These runs, in id order (unknown ids are left out)."""
        ids = list(ids)
        if not ids:
            return []
        return self._runs(f"SELECT * FROM crawl_runs WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id",
                          tuple(ids))

    def _runs(self, sql: str, args: tuple) -> list[CrawlRun]:
        return [CrawlRun(outlet=r["outlet"], started=_dt(r["started"]), id=r["id"], finished=_dt(r["finished"]),
                         result=r["result"], pages=r["pages"], new=r["new"], updated=r["updated"],
                         unchanged=r["unchanged"], rejected=json.loads(r["rejected"]), errors=r["errors"],
                         error=r["error"], duration=r["duration"]) for r in self.db.execute(sql, args)]

    def last_run(self, outlet: str, result: str) -> CrawlRun | None:
        """The most recent run of an outlet that ended with this result."""
        rows = self.db.execute("SELECT id FROM crawl_runs WHERE outlet = ? AND result = ? ORDER BY id DESC LIMIT 1",
                               (outlet, result)).fetchone()
        return self._run_by_id(rows["id"]) if rows else None

    def _run_by_id(self, run_id: int) -> CrawlRun:
        return self._runs("SELECT * FROM crawl_runs WHERE id = ?", (run_id,))[0]

    def run_stats(self, run_id: int) -> dict:
        row = self.db.execute("SELECT stats FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
        return json.loads(row["stats"]) if row else {}

    def outlet_summary(self) -> dict[str, dict]:
        """Per outlet: articles stored and newest publication date."""
        rows = self.db.execute("SELECT outlet, COUNT(*) n, MAX(published) newest FROM articles GROUP BY outlet")
        return {r["outlet"]: {"articles": r["n"], "newest": _dt(r["newest"])} for r in rows}


def _article(row: sqlite3.Row) -> Article:
    return Article(url=row["url"], outlet=row["outlet"], title=row["title"], text=row["text"],
                   published=_dt(row["published"]), modified=_dt(row["modified"]), author=row["author"],
                   language=row["language"], regions=tuple(json.loads(row["regions"])), image=row["image"],
                   tags=tuple(json.loads(row["tags"])), outlet_regions=tuple(json.loads(row["outlet_regions"])),
                   actors=tuple(json.loads(row["actors"])))
