-- The store as warta wrote it in November 2025, before watches, schema versions and the outlet_regions and
-- actors columns: what the migrations on open must bring up to date (tests/store/test_store.py).
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
-- Which store this is: a change log position means nothing in another store's log.
CREATE TABLE IF NOT EXISTS identity (id TEXT NOT NULL);
INSERT INTO identity (id) SELECT lower(hex(randomblob(16))) WHERE NOT EXISTS (SELECT 1 FROM identity);
