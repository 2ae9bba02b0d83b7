from datetime import UTC, datetime, timedelta, timezone

from store import REJECT_RETRY, Article, Store

WIB = timezone(timedelta(hours=7))


def article(**changes) -> Article:
    base = dict(url="https://x.id/a-b-c/", outlet="x", title="Judul", text="Satu.\n\nDua.",
                published=datetime(2025, 8, 25, 10, 12, tzinfo=WIB), author="Burhan S", regions=("Kota Binjai",))
    return Article(**{**base, **changes})


def test_save_is_idempotent_and_detects_changes(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        assert store.save(article(), b"<html>raw</html>", {"https://x.id/a-b-c/?utm_source=rss"}) == "new"
        assert store.save(article(), b"<html>raw</html>") == "unchanged"
        assert store.save(article(text="Satu.\n\nDua diperbarui."), None) == "updated"
        assert store.count() == 1 and store.count("x") == 1
        got = store.get("https://x.id/a-b-c/")
        assert got.text.endswith("diperbarui.") and got.published == article().published
        assert got.regions == ("Kota Binjai",)
        assert store.raw_html("https://x.id/a-b-c/") == b"<html>raw</html>"  # kept when an update has none
        assert store.known_urls("x") == {"https://x.id/a-b-c/", "https://x.id/a-b-c/?utm_source=rss"}


def test_rejects_are_known_until_the_url_becomes_an_article(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        store.reject("https://x.id/tag-like-page/", "x", "listing-page")
        assert store.rejects("x") == {"https://x.id/tag-like-page/": "listing-page"}
        assert "https://x.id/tag-like-page/" in store.known_urls("x")
        store.save(article(url="https://x.id/tag-like-page/"))
        assert store.rejects("x") == {}


def test_a_rejection_is_judged_again_once_it_is_old(tmp_path):
    """A page the extractor of its day could not read (nested past a parser limit, an unknown theme) is not
    rejected for good: after REJECT_RETRY a crawl fetches it again."""
    with Store(tmp_path / "s.sqlite3") as store:
        store.reject("https://x.id/2025/08/01/halaman-lama-yang-ditolak/", "x", "too-short")
        now = datetime.now(UTC)
        assert "https://x.id/2025/08/01/halaman-lama-yang-ditolak/" in store.known_urls("x", now=now)
        assert store.known_urls("x", now=now + REJECT_RETRY + timedelta(minutes=1)) == set()


def test_runs_are_recorded(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
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


def _open_count(path: str) -> int:
    with Store(path) as store:
        return store.count()


def test_processes_opening_a_new_store_at_once_all_get_it(tmp_path):
    """Two schedulers or crawls started together race to switch a fresh store to WAL; none may fail."""
    import multiprocessing

    for trial in range(5):
        path = tmp_path / f"race{trial}.sqlite3"
        with multiprocessing.get_context("fork").Pool(4) as pool:
            assert pool.map(_open_count, [str(path)] * 8) == [0] * 8


def test_the_change_log_hears_of_every_article_added_changed_or_removed(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        start, _ = store.position()
        store.save(article())
        store.save(article(url="https://x.id/lain/"))
        after_adds, count = store.position()
        assert store.changed(start, after_adds) == {"https://x.id/a-b-c/", "https://x.id/lain/"}
        store.save(article())  # unchanged: nothing to index
        store.add_aliases("https://x.id/lain/", {"https://x.id/lain/?amp"})
        assert store.position() == (after_adds, count) == (after_adds, 2)
        store.save(article(title="Judul baru"))
        store.delete("https://x.id/lain/")
        store.db.execute("UPDATE articles SET content_hash = 'by hand' WHERE url = 'https://x.id/a-b-c/'")
        store.db.commit()  # a writer that goes around save() is logged too (triggers)
        assert store.changed(after_adds, store.position()[0]) == {"https://x.id/a-b-c/", "https://x.id/lain/"}
        assert store.changed(after_adds, after_adds) == set()
        assert store.hashes_of(["https://x.id/a-b-c/", "https://x.id/lain/"]) == {"https://x.id/a-b-c/": "by hand"}
        assert store.position()[1] == 1
        identity = store.identity()
    with Store(tmp_path / "s.sqlite3") as again, Store(tmp_path / "other.sqlite3") as other:
        assert again.identity() == identity and len(identity) == 32
        assert other.identity() != identity


def test_a_rebuild_reads_the_rows_it_asked_for_in_stored_order_and_skips_rows_gone(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
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
