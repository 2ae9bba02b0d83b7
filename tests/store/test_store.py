"""The store, on both engines (the store_location fixture gives each test a SQLite file and a PostgreSQL
database of its own), and what only one engine does."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from store import REJECT_RETRY, Article, Store, open_store

WIB = timezone(timedelta(hours=7))


def article(**changes) -> Article:
    base = dict(url="https://x.id/a-b-c/", outlet="x", title="Judul", text="Satu.\n\nDua.",
                published=datetime(2025, 8, 25, 10, 12, tzinfo=WIB), author="Burhan S", regions=("Kota Binjai",))
    return Article(**{**base, **changes})


def test_save_is_idempotent_and_detects_changes(store_location, tmp_path):
    with open_store(store_location) as store:
        assert store.save(article(), b"<html>raw</html>", {"https://x.id/a-b-c/?utm_source=rss"}) == "new"
        assert store.save(article(), b"<html>raw</html>") == "unchanged"
        assert store.save(article(text="Satu.\n\nDua diperbarui."), None) == "updated"
        assert store.count() == 1 and store.count("x") == 1
        got = store.get("https://x.id/a-b-c/")
        assert got.text.endswith("diperbarui.") and got.published == article().published
        assert got.regions == ("Kota Binjai",)
        assert store.raw_html("https://x.id/a-b-c/") == b"<html>raw</html>"  # kept when an update has none
        assert store.known_urls("x") == {"https://x.id/a-b-c/", "https://x.id/a-b-c/?utm_source=rss"}


def test_rejects_are_known_until_the_url_becomes_an_article(store_location, tmp_path):
    with open_store(store_location) as store:
        store.reject("https://x.id/tag-like-page/", "x", "listing-page")
        assert store.rejects("x") == {"https://x.id/tag-like-page/": "listing-page"}
        assert "https://x.id/tag-like-page/" in store.known_urls("x")
        store.save(article(url="https://x.id/tag-like-page/"))
        assert store.rejects("x") == {}


def test_a_rejection_is_judged_again_once_it_is_old(store_location, tmp_path):
    """A page the extractor of its day could not read (nested past a parser limit, an unknown theme) is not
    rejected for good: after REJECT_RETRY a crawl fetches it again."""
    with open_store(store_location) as store:
        store.reject("https://x.id/2025/08/01/halaman-lama-yang-ditolak/", "x", "too-short")
        now = datetime.now(UTC)
        assert "https://x.id/2025/08/01/halaman-lama-yang-ditolak/" in store.known_urls("x", now=now)
        assert store.known_urls("x", now=now + REJECT_RETRY + timedelta(minutes=1)) == set()


def test_runs_are_recorded(store_location, tmp_path):
    with open_store(store_location) as store:
        run = store.begin_run("x")
        run.pages, run.new, run.rejected, run.result = 12, 3, {"too-short": 2}, "ok"
        store.finish_run(run, {"downloader/response_count": 12})
        (got,) = store.runs("x")
        assert (got.result, got.pages, got.new, got.rejected_total) == ("ok", 12, 3, 2)
        assert store.run_stats(got.id) == {"downloader/response_count": 12}


def test_wal_mode_lets_a_reader_in_while_a_writer_holds_a_transaction(tmp_path):
    path = tmp_path / "s.sqlite3"
    writer = Store(path)
    writer.save(article())
    writer.db.execute("BEGIN IMMEDIATE")
    writer.db.execute("UPDATE articles SET title = 'x'")
    reader = Store(path, readonly=True)
    assert reader.count() == 1 and reader.get(article().url).title == "Judul"
    writer.db.rollback()
    reader.close()
    writer.close()


def _open_count(location: str) -> int:
    with open_store(location) as store:
        return store.count()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_processes_opening_a_new_store_at_once_all_get_it(engine, tmp_path, request):
    """Two schedulers or crawls started together race to make a fresh store (SQLite: switch it to WAL;
    PostgreSQL: create its tables); none may fail."""
    import multiprocessing

    for trial in range(5):
        if engine == "sqlite":
            location = str(tmp_path / f"race{trial}.sqlite3")
        else:
            location = request.getfixturevalue("postgres_server").database()
        with multiprocessing.get_context("fork").Pool(4) as pool:
            assert pool.map(_open_count, [location] * 8) == [0] * 8


def test_the_change_log_hears_of_every_article_added_changed_or_removed(store_location, tmp_path):
    with open_store(store_location) as store:
        start, _ = store.position()
        store.save(article())
        store.save(article(url="https://x.id/lain/"))
        after_adds, count = store.position()
        assert store.changed(start, after_adds) == {"https://x.id/a-b-c/", "https://x.id/lain/"}
        store.save(article())  # unchanged: nothing to index
        store.add_aliases("https://x.id/lain/", {"https://x.id/lain/?amp"})
        quiet, count = store.position()
        assert store.changed(after_adds, quiet) == set() and count == 2
        store.save(article(title="Judul baru"))
        store.delete("https://x.id/lain/")
        with store.db:  # a writer that goes around save() is logged too (triggers)
            store.db.execute("UPDATE articles SET content_hash = 'by hand' WHERE url = 'https://x.id/a-b-c/'")
        assert store.changed(quiet, store.position()[0]) == {"https://x.id/a-b-c/", "https://x.id/lain/"}
        assert store.changed(after_adds, after_adds) == set()
        assert store.hashes_of(["https://x.id/a-b-c/", "https://x.id/lain/"]) == {"https://x.id/a-b-c/": "by hand"}
        assert store.position()[1] == 1
        identity = store.identity()
    with open_store(store_location) as again, open_store(tmp_path / "other.sqlite3") as other:
        assert again.identity() == identity and len(identity) == 32
        assert other.identity() != identity


def test_a_rebuild_reads_the_rows_it_asked_for_in_stored_order_and_skips_rows_gone(store_location, tmp_path):
    with open_store(store_location) as store:
        urls = [f"https://x.id/{n}/" for n in range(6)]
        for url in reversed(urls):  # stored last-first: rows run the other way from the URLs
            store.save(article(url=url, title=url[-2]))
        rows = store.rows_of([urls[0], urls[2], urls[5], "https://x.id/never-stored/"])
        assert rows == sorted(rows) and len(rows) == 3
        assert [title for _, _, title, _, _ in store.texts_at(rows)] == ["5", "2", "0"]
        store.delete(urls[2])
        assert [(a.title, a.published) for a, _ in store.articles_at(rows)] == [("5", article().published),
                                                                                ("0", article().published)]
        assert [t[1] for t in store.texts_at(rows)] == [urls[5], urls[0]]


def test_on_postgresql_the_change_log_follows_commits_not_numbers(postgres_server):
    """A transaction that began first but commits last is not skipped: a reader that has seen the later
    one's change finds the earlier one's on its next read (what a sequence number would lose)."""
    url = postgres_server.database()
    with open_store(url) as first, open_store(url) as second, open_store(url) as reader:
        start, _ = reader.position()
        with first.db:
            first.save(article(url="https://x.id/lambat/"))  # begun first ...
            second.save(article(url="https://x.id/cepat/"))  # ... another commits meanwhile
            seen, _ = reader.position()
            assert reader.changed(start, seen) == set()  # not yet: the older transaction still runs
        now, count = reader.position()
        assert reader.changed(start, now) == {"https://x.id/lambat/", "https://x.id/cepat/"} and count == 2
        assert reader.changed(seen, now) >= {"https://x.id/lambat/"}


def test_a_store_records_its_schema_version(store_location):
    with open_store(store_location) as store:
        assert store.schema_version() == len(type(store).MIGRATIONS)


def test_watches_keep_each_story_once_and_each_delivery_until_it_succeeds(store_location):
    from store import WatchExists

    with open_store(store_location) as store:
        watch = {"name": "banjir", "query": "banjir", "outlets": ["x"], "regions": [], "actors": [],
                 "webhook": "http://127.0.0.1:9/hook", "email": ""}
        store.watches.add(watch)
        with pytest.raises(WatchExists):
            store.watches.add(watch)
        story = {"story": "s1", "url": "https://x.id/1/", "title": "Banjir", "outlet": "x", "published": None}
        store.watches.add_stories("banjir", [{**story, "story": "s0"}], baseline=True)
        store.watches.add_stories("banjir", [story, story], baseline=False)
        assert store.watches.story_ids("banjir") == {"s0", "s1"}
        assert [s["story"] for s in store.watches.pending("banjir", "webhook")] == ["s1"]
        store.watches.record("banjir", ["s1"], "webhook", "HTTPError: 503")
        store.watches.record("banjir", ["s1"], "webhook", "HTTPError: 502")
        assert store.watches.failures() == [{"watch": "banjir", "channel": "webhook", "waiting": 1, "attempts": 2,
                                             "last_error": "HTTPError: 502"}]
        store.watches.record("banjir", ["s1"], "webhook")
        assert store.watches.pending("banjir", "webhook") == [] and store.watches.failures() == []
        assert [w["outlets"] for w in store.watches.all()] == [["x"]]
        assert store.watches.remove("banjir") and store.watches.all() == []


def test_a_store_written_by_an_older_warta_is_read_as_it_is_and_migrated_when_written(tmp_path, postgres_server):
    import sqlite3
    from pathlib import Path

    from store.copy import copy

    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as db:
        db.executescript((Path(__file__).parent / "data" / "schema-2025-11.sql").read_text(encoding="utf-8"))
        db.execute("INSERT INTO articles (url, outlet, title, text, content_hash, fetched_at, first_seen, updated_at)"
                   " VALUES ('https://x.id/lama/', 'x', 'Judul lama', 'Isi.', 'h', 't', 't', 't')")
    with open_store(old, readonly=True) as reading:  # read as it is: no watches, nothing written
        assert reading.watches.all() == [] and reading.schema_version() == 0 and reading.count() == 1
        with open_store(postgres_server.database()) as target:  # copied to PostgreSQL: the new columns' defaults
            assert copy(reading, target).rows["articles"] == 1
            copied = target.get("https://x.id/lama/")
            assert copied.title == "Judul lama" and copied.actors == ()
    with open_store(old) as written:  # opened to write: migrated
        assert written.schema_version() == len(Store.MIGRATIONS) == 1
        assert written.get("https://x.id/lama/").actors == () and written.watches.all() == []
