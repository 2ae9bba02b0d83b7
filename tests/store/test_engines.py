"""The whole chain on PostgreSQL, as a user runs it with `--store postgresql://...`: the same mirror crawled
into a PostgreSQL store and into SQLite (the session's search_data) stores the same articles, and search
answers the same; a crawl lock held on the server (as another machine would) keeps a crawl off its outlet."""

from __future__ import annotations

import json

import psycopg
import pytest

from store import open_store
from store.locks import AdvisoryLock
from tests.conftest import warta

pytestmark = pytest.mark.slow
QUERIES = ["pemerintah", "banjir medan", '"pelayanan publik"', "pemko -banjir"]


@pytest.fixture(scope="module")
def on_postgres(search_data, postgres_server, tmp_path_factory):
    url = postgres_server.database()
    data = tmp_path_factory.mktemp("pg-data")
    for step in (("crawl",), ("index",)):
        done = warta("--store", url, "--seeds", str(search_data.seeds), *step, data=data)
        assert done.returncode == 0, done.stdout + done.stderr
    return url, data


def test_postgresql_stores_what_sqlite_stores_and_search_answers_alike(search_data, on_postgres):
    url, data = on_postgres
    with open_store(url, readonly=True) as pg, open_store(search_data.store, readonly=True) as lite:
        assert pg.hashes() == lite.hashes() and pg.count() > 50
        assert {r.outlet: r.new for r in pg.runs(limit=100)} == {r.outlet: r.new for r in lite.runs(limit=100)}
        some = next(iter(lite.hashes()))
        assert pg.raw_html(some) == lite.raw_html(some) and pg.get(some) == lite.get(some)
    assert not (data / "warta.sqlite3").exists()  # nothing went to a file
    for query in QUERIES:
        on_pg = json.loads(warta("--store", url, "search", query, "--json", data=data).stdout)
        on_file = json.loads(warta("search", query, "--json", data=search_data.data).stdout)
        assert on_pg["total"] == on_file["total"] > 0 or query == "pemko -banjir"
        every = [warta(*store, "search", query, "--all", "--format", "jsonl", data=where).stdout.splitlines()
                 for store, where in ((("--store", url), data), ((), search_data.data))]
        # the same matches; the order of equal scores follows the order articles were stored in, which two
        # crawls need not share
        urls = [sorted(json.loads(line)["url"] for line in lines) for lines in every]
        assert urls[0] == urls[1] and len(urls[0]) == on_file["total"]


def test_a_recrawl_and_an_update_on_postgresql_find_nothing_new(search_data, on_postgres):
    url, data = on_postgres
    again = warta("--store", url, "--seeds", str(search_data.seeds), "crawl", data=data)
    assert again.returncode == 0, again.stderr
    with open_store(url, readonly=True) as pg:
        latest = {}
        for run in pg.runs(limit=100):
            latest.setdefault(run.outlet, run)
        assert latest and all(r.new == 0 and r.updated == 0 for r in latest.values())
    index = warta("--store", url, "index", data=data)
    assert index.returncode == 0 and "0 new, 0 updated, 0 deleted" in index.stdout, index.stdout
    status = json.loads(warta("--store", url, "--seeds", str(search_data.seeds), "status", "--json",
                              data=data).stdout)["outlets"]
    assert sum(o["articles_stored"] for o in status) > 50 and all(o["health"] != "failing" for o in status)


def test_a_crawl_lock_on_the_server_keeps_every_machine_off_the_outlet(search_data, on_postgres):
    url, data = on_postgres
    outlet = next(iter(search_data.mirror.sites))
    held = AdvisoryLock(url, outlet)  # as a crawl on another machine holds it
    assert held.acquire()
    try:
        assert AdvisoryLock(url, outlet).held_elsewhere()
        done = warta("--store", url, "--seeds", str(search_data.seeds), "crawl", "--outlet", outlet, data=data)
        assert done.returncode == 0 and "another process is crawling this outlet" in done.stdout, done.stdout
    finally:
        held.release()
    assert not AdvisoryLock(url, outlet).held_elsewhere()


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    done = warta("--store", "postgresql://warta:secret@127.0.0.1:9/none", "index", data=tmp_path)
    assert done.returncode == 2 and "cannot reach the store" in done.stderr and "secret" not in done.stderr


def test_a_store_copied_to_postgresql_and_back_loses_nothing_and_a_killed_copy_goes_on(search_data,
                                                                                          postgres_server,
                                                                                          tmp_path):
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    url = postgres_server.database()
    source = str(search_data.store)
    cmd = [sys.executable, "-m", "warta", "store", "copy", "--from", source, "--to", url, "--chunk", "5"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline()  # one chunk is in: kill it there
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert first.startswith("articles: 5 rows")
    with open_store(url, readonly=True) as half:
        assert 0 < half.count() < 50
    done = warta("store", "copy", "--from", source, "--to", url, "--chunk", "5", data=tmp_path)
    assert done.returncode == 0 and "copied and checked" in done.stdout, done.stdout + done.stderr
    back = tmp_path / "back.sqlite3"
    done = warta("store", "copy", "--from", url, "--to", f"sqlite:///{back}", data=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    with open_store(source, readonly=True) as original, open_store(back, readonly=True) as returned:
        assert returned.hashes() == original.hashes()
        assert [(r.id, r.outlet, r.new) for r in returned.runs(limit=500)] == \
               [(r.id, r.outlet, r.new) for r in original.runs(limit=500)]
        assert returned.rows_of(original.hashes()) and [a.url for a, _ in returned.articles_at(
            returned.rows_of(original.hashes()))] == [a.url for a, _ in original.articles_at(
                original.rows_of(original.hashes()))]  # the order they were first stored in, kept
    with open_store(url) as target:  # a crawl run recorded after the copy gets a new id
        assert target.begin_run("x").id > max(r.id for r in target.runs(limit=500) if r.outlet != "x")
    refused = warta("store", "copy", "--from", str(back), "--to", url, data=tmp_path)
    assert refused.returncode == 1 and "another store" in refused.stderr


def fill_store(url: str, count: int) -> None:
    import random

    from tests.indexer.test_searcher import article

    rng = random.Random(5)
    with open_store(url) as store:
        for n in range(count):
            store.save(article(n, rng, dated=True))


def test_postgresql_stopping_during_an_index_update_loses_nothing(tmp_path):
    """The server goes away while `warta index` reads from it: the update fails with a clear error, the live
    index keeps answering, and once the server is back the next update completes. A server of its own, so
    stopping it disturbs no other test."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT
    from tests.postgres import Postgres

    server = Postgres()
    try:
        url = server.database()
        fill_store(url, 4000)  # enough that a rebuild reads for seconds
        first = warta("--store", url, "index", data=tmp_path)
        assert first.returncode == 0, first.stderr
        before = json.loads(warta("search", "pemerintah", "--json", data=tmp_path).stdout)["total"]
        cmd = [sys.executable, "-m", "warta", "--store", url, "--data", str(tmp_path), "index", "--rebuild"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with psycopg.connect(url, autocommit=True) as watcher:  # until the rebuild's readers are at work
            deadline = time.monotonic() + 60
            while watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND query ILIKE '%FROM articles%' AND pid <> pg_backend_pid()").fetchone()[0] == 0:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.02)
        server.halt()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode not in (0, -signal.SIGKILL), err
        assert "Traceback" not in err and "the store could not do its part" in err, err
        assert json.loads(warta("search", "pemerintah", "--json", data=tmp_path).stdout)["total"] == before
        server.start()
        again = warta("--store", url, "index", "--rebuild", data=tmp_path)
        assert again.returncode == 0, again.stderr
        assert json.loads(warta("search", "pemerintah", "--json", data=tmp_path).stdout)["total"] == before
    finally:
        server.stop()


def test_postgresql_restarting_mid_crawl_corrupts_nothing_and_the_next_crawl_completes(search_data, tmp_path):
    """The server goes down while a crawl stores articles and comes back: the crawl fails (it says so), what
    was committed stays, and the next crawl stores the rest, each article once."""
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT
    from tests.postgres import Postgres

    server = Postgres()
    try:
        url = server.database()
        open_store(url).close()  # the tables, so the test can watch them fill
        cmd = [sys.executable, "-m", "warta", "--store", url, "--data", str(tmp_path), "--seeds",
               str(search_data.seeds), "crawl"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while True:  # until the first articles are in
            with open_store(url, readonly=True) as store:
                if store.count() >= 5:
                    break
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        server.halt()
        time.sleep(1.0)
        server.start()
        out, err = proc.communicate(timeout=300)
        assert proc.returncode != 0 or "errors" in out, out  # the crawl says it did not store everything
        with open_store(url, readonly=True) as store, open_store(search_data.store, readonly=True) as alone:
            kept = store.hashes()
            assert kept and set(kept) <= set(alone.hashes())  # what was committed is whole
        again = warta("--store", url, "--seeds", str(search_data.seeds), "crawl", data=tmp_path)
        assert again.returncode == 0, again.stdout + again.stderr
        with open_store(url, readonly=True) as store, open_store(search_data.store, readonly=True) as alone:
            assert store.hashes() == alone.hashes()
            assert not [r for r in store.runs(limit=500) if r.result == "running"]
    finally:
        server.stop()
