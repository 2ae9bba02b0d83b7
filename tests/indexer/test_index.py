"""`warta index`: incremental and idempotent, rebuilt beside the live index, safe to kill."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import index as index_module
from indexer.generations import current_generation, open_index, stale_reason
from indexer.index import _indexed, update
from indexer.lexicon import load, parse
from indexer.schema import article_id
from indexer.search import Searcher, SearchRequest
from store import Store
from tests.conftest import ROOT, wait_gone, warta


@pytest.fixture
def data(search_data, tmp_path) -> Path:
    """A private copy of the crawled store, so each test can change it."""
    src = sqlite3.connect(search_data.store)
    dst = sqlite3.connect(tmp_path / "warta.sqlite3")
    src.backup(dst)
    src.close()
    dst.close()
    return tmp_path


def in_sync(data: Path) -> bool:
    """Every stored article is in the index with its current content, and nothing else is."""
    with Store(data / "warta.sqlite3") as store:
        wanted = store.hashes()
    return _indexed(open_index(data / "index")) == {article_id(u): h for u, h in wanted.items()}


def titles(data: Path, query: str) -> set[str]:
    return {h.article.title for h in Searcher(data / "index").search(SearchRequest(query, per_page=50)).hits}


def test_index_command_is_incremental_and_idempotent(data):
    first = warta("index", data=data)
    assert first.returncode == 0, first.stderr
    assert "rebuilt (no index yet)" in first.stdout
    again = warta("index", data=data)
    assert again.returncode == 0
    assert "updated: 0 new, 0 updated, 0 deleted" in again.stdout
    assert in_sync(data)


def test_new_changed_and_deleted_articles_reach_the_index(data):
    update(data / "index", data / "warta.sqlite3")
    with Store(data / "warta.sqlite3") as store:
        articles = list(store.articles())
        changed, gone = articles[0], articles[1]
        store.save(replace(changed, text=changed.text + "\n\nTambahan: warga Kelurahan Zamrudindah mengungsi."))
        store.delete(gone.url)
        store.save(replace(articles[2], url=articles[2].url + "-baru", title="Berita Baru Kelurahan Safirjaya"))
    report = update(data / "index", data / "warta.sqlite3")
    assert (report.new, report.updated, report.deleted, report.rebuilt) == (1, 1, 1, False)
    assert titles(data, "zamrudindah") == {changed.title}
    assert titles(data, "safirjaya") == {"Berita Baru Kelurahan Safirjaya"}
    assert Searcher(data / "index").article(article_id(gone.url)) is None
    assert in_sync(data)


def test_rebuild_swaps_in_a_new_generation_while_search_keeps_answering(data):
    update(data / "index", data / "warta.sqlite3")
    before = current_generation(data / "index")
    searcher = Searcher(data / "index")
    expected = searcher.search(SearchRequest("kota")).total
    errors, answers, done = [], [], threading.Event()

    def keep_searching():
        while not done.is_set():
            try:
                answers.append(searcher.search(SearchRequest("kota")).total)
            except Exception as exc:
                errors.append(exc)

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        result = warta("index", "--rebuild", data=data)
    finally:
        done.set()
        thread.join()
    assert result.returncode == 0 and "rebuilt (asked)" in result.stdout
    assert current_generation(data / "index") != before
    assert not errors and answers and set(answers) == {expected}
    assert searcher.search(SearchRequest("kota")).total == expected  # reopened on the new generation
    assert in_sync(data)


def test_a_lexicon_or_schema_change_triggers_a_rebuild(data):
    update(data / "index", data / "warta.sqlite3")
    assert stale_reason(data / "index") == ""
    richer = parse(load().path.read_text(encoding="utf-8") + '\n[test]\nzamrud = ["safir"]\n')
    assert "lexicon changed" in stale_reason(data / "index", richer)
    report = update(data / "index", data / "warta.sqlite3", lexicon=richer)
    assert report.rebuilt and "lexicon changed" in report.reason
    # an index written by another schema version is rebuilt, not read wrongly
    meta = current_generation(data / "index") / "warta.json"
    meta.write_text(json.dumps({"fingerprint": "v0-old"}), encoding="utf-8")
    report = update(data / "index", data / "warta.sqlite3")
    assert report.rebuilt and "v0-old" in report.reason
    assert in_sync(data)


KILL_AFTER = """
import os, sys
from indexer.index import update
update(sys.argv[1], sys.argv[2], commit_every=5,
       progress=lambda n: n == 12 and os.kill(os.getpid(), 9))
"""


def test_a_writer_killed_mid_update_leaves_a_usable_index_and_the_next_update_finishes(data):
    update(data / "index", data / "warta.sqlite3")
    with Store(data / "warta.sqlite3") as store:
        for a in list(store.articles()):
            store.save(replace(a, text=a.text + "\n\nPembaruan: Kelurahan Intansari."))
        total = store.count()
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER, str(data / "index"), str(data / "warta.sqlite3")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9
    halfway = Searcher(data / "index").search(SearchRequest("intansari", per_page=50, collapse=False)).total
    assert 10 <= halfway < total  # two commits of five landed; the rest did not
    result = warta("index", data=data)  # the OS released the lock; nothing is stuck
    assert result.returncode == 0, result.stderr
    assert Searcher(data / "index").search(SearchRequest("intansari", per_page=50, collapse=False)).total == total
    assert in_sync(data)


def test_index_without_a_store_and_search_without_an_index_say_what_to_do(tmp_path):
    result = warta("index", data=tmp_path)
    assert result.returncode == 1 and "warta crawl" in result.stderr
    result = warta("search", "banjir", data=tmp_path)
    assert result.returncode == 1 and "warta index" in result.stderr


KILL_REBUILD = """
import json, multiprocessing, os, sys
from indexer import index
from indexer.index import update
index.CRUMB = 200  # segments of 200 documents: the writer processes are running when some are written
def progress(n):
    if n >= 400:
        open(sys.argv[3], "w").write(json.dumps([p.pid for p in multiprocessing.active_children()]))
        os.kill(os.getpid(), 9)
update(sys.argv[1], sys.argv[2], rebuild=True, procs=2, progress=progress)
"""


def _stopped_rebuild(tmp_path: Path, script: str, timeout: float):
    """Index 1,300 articles, then run `script`, a rebuild that stops itself halfway and writes the pids of
    its processes to kids.json: its result, the generation live before it, and those pids."""
    from tests.indexer.test_searcher import fill

    fill(tmp_path, 1300)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    live = current_generation(tmp_path / "index")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "index"),
                             str(tmp_path / "warta.sqlite3"), str(tmp_path / "kids.json")],
                            cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return result, live, json.loads((tmp_path / "kids.json").read_text())


def test_a_killed_rebuild_takes_its_workers_with_it_and_leaves_nothing_behind(tmp_path):
    killed, live, kids = _stopped_rebuild(tmp_path, KILL_REBUILD, timeout=300)
    assert killed.returncode == -9, killed.stderr
    assert kids, "the rebuild had no worker processes to check"
    assert not wait_gone(kids), "worker processes outlived the killed rebuild"
    assert len(list((tmp_path / "index").glob("gen-*"))) == 2  # the live one and the half-built one
    assert current_generation(tmp_path / "index") == live
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert [p.name for p in (tmp_path / "index").glob("gen-*")] == [live.name]


INTERRUPT_REBUILD = """
import faulthandler, json, multiprocessing, os, signal, sys, time
faulthandler.dump_traceback_later(60, exit=True)  # a hang shows where it is
# as at a terminal: a suite started in the background (`./dev test &`) hands its children SIGINT ignored
signal.signal(signal.SIGINT, signal.default_int_handler)
from indexer import index, rebuild
from indexer.index import update
index.CRUMB = 200
write_segment = rebuild.write_segment
def stuck_after_the_first_runs(gen, store, rows, *rest):
    if rows[0] > 200:
        time.sleep(600)  # a writer that would hold the Ctrl-C up for ten minutes
    return write_segment(gen, store, rows, *rest)
rebuild.write_segment = stuck_after_the_first_runs
def progress(n):
    if n >= 200 and not os.path.exists(sys.argv[3]):
        open(sys.argv[3], "w").write(json.dumps([p.pid for p in multiprocessing.active_children()]))
        os.kill(os.getpid(), signal.SIGINT)
try:
    update(sys.argv[1], sys.argv[2], rebuild=True, procs=2, progress=progress)
except KeyboardInterrupt:
    print("stopped")
"""


def test_a_ctrl_c_stops_a_rebuild_without_waiting_for_its_workers(tmp_path):
    """A Ctrl-C during a rebuild ends its writer processes (and the band-table one) instead of letting
    them finish work the next run throws away; the live generation stays."""
    stopped, live, kids = _stopped_rebuild(tmp_path, INTERRUPT_REBUILD, timeout=120)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout, stopped.stderr
    assert kids and not wait_gone(kids)
    assert current_generation(tmp_path / "index") == live
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    assert [p.name for p in (tmp_path / "index").glob("gen-*")] == [live.name]


def test_a_rebuild_in_a_thread_forks_nothing(tmp_path):
    """The scheduler indexes in a thread: a process forked beside other threads can inherit a lock one of
    them held and hang (the schedule and demo tests did, now and then), so such a rebuild stays in-process."""
    import multiprocessing

    from tests.indexer.test_searcher import fill

    fill(tmp_path, 1300)
    children: list[int] = []
    worker = threading.Thread(target=update, args=(tmp_path / "index", tmp_path / "warta.sqlite3"),
                              kwargs={"procs": 2, "progress": lambda n: children.append(
                                  len(multiprocessing.active_children()))})
    worker.start()
    worker.join()
    assert children and not any(children)
    assert in_sync(tmp_path)


def test_a_first_crawl_that_stored_nothing_leaves_every_command_working(tmp_path):
    Store(tmp_path / "warta.sqlite3").close()
    for args in (("index",), ("index",), ("status",), ("search", "banjir", "--json")):
        result = warta(*args, data=tmp_path)
        assert result.returncode == 0, f"warta {' '.join(args)}: {result.stderr}"
        assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["total"] == 0


def test_updates_merge_only_the_small_segments_they_leave(tmp_path, monkeypatch):
    """Whoosh's default merge rewrote a hundred thousand documents of a million-article rebuild on each
    update; warta's policy merges the crumbs updates leave and never touches the rebuild's segments."""
    import random

    from indexer import index as indexing
    from tests.indexer.test_searcher import article

    monkeypatch.setattr(indexing, "CRUMB", 20)
    rng = random.Random(5)
    with Store(tmp_path / "warta.sqlite3") as store:
        for n in range(60):
            store.save(article(n, rng))
    update(tmp_path / "index", tmp_path / "warta.sqlite3", procs=1)

    def segments() -> dict[str, int]:
        return {s.segment_id(): s.doc_count_all() for s in open_index(tmp_path / "index")._segments()}

    (big,) = segments()
    for n in range(60, 60 + 2 * indexing.MAX_CRUMBS + 2):
        with Store(tmp_path / "warta.sqlite3") as store:
            store.save(article(n, rng))
        update(tmp_path / "index", tmp_path / "warta.sqlite3", procs=1)
        now = segments()
        assert now[big] == 60  # the rebuild's segment is never rewritten
        assert len(now) <= indexing.MAX_CRUMBS + 2
    assert sum(segments().values()) == 60 + 2 * indexing.MAX_CRUMBS + 2
    assert Searcher(tmp_path / "index").search(SearchRequest("berita", per_page=1)).total > 0


def test_an_open_index_stays_on_disk_not_in_the_readers_memory(tmp_path):
    """whoosh3 maps a segment file and copies each part of it into a BytesIO: every reader held a copy of
    the whole index (4.5 GB per `warta serve` worker at a million articles). Readers now read the files
    through the page cache; what opening allocates is a small fraction of the index's size."""
    from tests.indexer.test_searcher import fill

    fill(tmp_path, 2000)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    on_disk = sum(f.stat().st_size for f in current_generation(tmp_path / "index").glob("*.seg"))
    tracemalloc.start()
    try:
        with open_index(tmp_path / "index").reader() as reader:
            assert reader.doc_count() == 2000
            held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert on_disk > 1_000_000
    assert held < on_disk / 10, (held, on_disk)


def _edit(data: Path, n: int) -> tuple[str, str]:
    """Change one article, remove another; returns the changed article's new word and the removed URL."""
    with Store(data / "warta.sqlite3") as store:
        articles = sorted(store.articles(), key=lambda a: a.url)
        changed, gone = articles[n], articles[n + 1]
        word = f"kelurahan{'abcdefgh'[n % 8]}zamrud"
        store.save(replace(changed, text=changed.text + f"\n\nWarga {word} mengungsi."))
        store.delete(gone.url)
    return word, gone.url


def test_updates_follow_the_stores_change_log_without_comparing_everything(data, monkeypatch):
    update(data / "index", data / "warta.sqlite3")
    word, gone = _edit(data, 0)
    monkeypatch.setattr(index_module, "_differences", lambda *a: pytest.fail("compared the whole store"))
    report = update(data / "index", data / "warta.sqlite3")
    assert (report.new, report.updated, report.deleted) == (0, 1, 1)
    assert titles(data, word) and Searcher(data / "index").article(article_id(gone)) is None
    assert in_sync(data)
    again = update(data / "index", data / "warta.sqlite3")
    assert (again.new, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == report.unchanged + report.updated


def test_an_untrusted_record_means_comparing_everything(data, monkeypatch):
    """A record of another store, of an older commit (a process killed between its commit and the record),
    or a log that lost a change: the update compares the whole store and the index ends in step."""
    compared = []
    real = index_module._differences
    monkeypatch.setattr(index_module, "_differences", lambda *a: compared.append(1) or real(*a))
    update(data / "index", data / "warta.sqlite3")
    gen = current_generation(data / "index")
    record = json.loads((gen / "applied.json").read_text())

    word, _ = _edit(data, 0)
    (gen / "applied.json").write_text(json.dumps({**record, "store": "another"}))
    assert update(data / "index", data / "warta.sqlite3").updated == 1 and titles(data, word)
    assert len(compared) == 1

    stale = (gen / "applied.json").read_text()
    word, _ = _edit(data, 2)
    update(data / "index", data / "warta.sqlite3")
    word2, _ = _edit(data, 4)
    (gen / "applied.json").write_text(stale)  # names the commit before the last one
    assert update(data / "index", data / "warta.sqlite3").updated == 1 and titles(data, word2)
    assert len(compared) == 2

    with Store(data / "warta.sqlite3") as store:  # a change the log never heard of
        store.db.execute("DROP TRIGGER articles_removed")
        gone = sorted(store.hashes())[6]
        store.db.execute("DELETE FROM articles WHERE url = ?", (gone,))
        store.db.commit()
    assert update(data / "index", data / "warta.sqlite3").deleted == 1  # the counts differed: all compared
    assert len(compared) == 3
    assert in_sync(data)
