"""Crawls of outlets that misbehave in ways the mirror does not: `warta crawl` in a subprocess, over HTTP,
against a small site on loopback whose every answer the test sets (tests/crawler/trapsite.py)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from store import Store
from tests.conftest import children, wait_gone
from tests.crawler.test_crawl import ROOT, warta_crawl
from tests.crawler.trapsite import TrapSite, article, listing, rss

ARTICLES = [f"/2025/08/{d:02d}/pemko-binjai-gelar-apel-hari-{d}/" for d in range(1, 4)]


def runs(data: Path, outlet: str = "trap") -> list:
    with Store(data / "warta.sqlite3") as store:
        return store.runs(outlet, limit=50)


def stats_of(data: Path, run) -> dict:
    with Store(data / "warta.sqlite3") as store:
        return store.run_stats(run.id)


def stored(data: Path) -> dict:
    with Store(data / "warta.sqlite3") as store:
        return {a.url: a for a in store.articles()}


def serve_article(path: str, query: str, paths=ARTICLES):
    if path in paths:
        return 200, "text/html", article(f"Wali Kota Binjai Pimpin Apel {path.split('-')[-1]}")
    return None


def test_a_site_serving_one_listing_for_every_page_ends_at_once(tmp_path):
    """Behind a cache, every /page/N/ and ?paged=N is the same listing: the walks end on the second page."""
    def route(path, query):
        if path == "/" or path.startswith("/page/"):
            n = int(path.strip("/").split("/")[-1]) if path != "/" else 1
            return 200, "text/html", listing(ARTICLES, next_url=f"/page/{n + 1}/")
        if path == "/feed/":  # ?paged=N ignored: always the same feed
            return 200, "application/rss+xml", rss([f"http://127.0.0.1:{site.server.server_address[1]}{p}"
                                                     for p in ARTICLES])
        return serve_article(path, query)

    with TrapSite(route) as site:
        seeds = site.seeds(tmp_path / "trap.toml")
        result = warta_crawl(tmp_path, seeds)
        assert result.returncode == 0, result.stdout + result.stderr
        listings = [p for p in site.paths() if p.startswith(("/page/", "/feed/"))]
    assert len(listings) <= 4, listings  # /feed/, /feed/?paged=2, /page/2/ (+ at most one more)
    [run] = runs(tmp_path)
    assert run.result == "ok" and run.new == 3
    stats = stats_of(tmp_path, run)
    assert stats.get("warta/walks/repeated-page") == 1  # the feed: page 2 is page 1 again
    assert stats.get("warta/walks/nothing-unseen") == 1  # the archive: page 2 lists nothing new to this run
    assert len(stored(tmp_path)) == 3


def endless(prefix: str = ""):
    """Pagination that never ends and lists two new article URLs on every page (a calendar trap)."""
    def route(path, query):
        if path == "/" or path.startswith("/page/"):
            n = int(path.strip("/").split("/")[-1]) if path != "/" else 1
            links = [f"/2025/08/{n % 28 + 1:02d}/berita-halaman-{n}-nomor-{k}/" for k in (1, 2)]
            return 200, "text/html", listing(links, next_url=f"/page/{n + 1}/")
        if re.fullmatch(r"/2025/08/\d\d/berita-halaman-\d+-nomor-\d/", path):
            return 200, "text/html", article(f"Berita Pemko Binjai {path.strip('/').split('/')[-1]}")
        return None
    return route


def test_endless_pagination_stops_at_the_outlets_page_cap(tmp_path):
    with TrapSite(endless()) as site:
        seeds = site.seeds(tmp_path / "trap.toml", max_pages=4)
        result = warta_crawl(tmp_path, seeds)
        assert result.returncode == 0, result.stdout + result.stderr
        pages = sorted(p for p in site.paths() if p.startswith("/page/"))
    assert pages == ["/page/2/", "/page/3/", "/page/4/"]
    [run] = runs(tmp_path)
    assert run.result == "ok" and run.new == 8
    assert stats_of(tmp_path, run).get("warta/walks/page-cap") == 1


def test_a_spent_budget_ends_the_run_as_finished_and_the_next_run_goes_on(tmp_path):
    script = ("import sys; from crawler.run import crawl; from registry import load_registry; "
              "crawl(load_registry(sys.argv[1]), sys.argv[2], WARTA_OUTLET_BUDGET_PAGES=int(sys.argv[3]))")
    with TrapSite(endless()) as site:
        seeds = site.seeds(tmp_path / "trap.toml", max_pages=1000)
        for _ in range(2):
            done = subprocess.run([sys.executable, "-c", script, str(seeds), str(tmp_path / "warta.sqlite3"), "12"],
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        first, second = reversed(runs(tmp_path))
    assert first.result == "ok" and stats_of(tmp_path, first)["warta/budget/spent"] == "pages"
    assert stats_of(tmp_path, first)["downloader/request_count"] <= 12
    assert second.result == "ok" and second.new > 0  # a spent budget is no finished backfill: it goes on
    assert len(stored(tmp_path)) == first.new + second.new


def test_untrusted_urls_and_dates_never_reach_the_store(tmp_path):
    port_holder = {}

    def route(path, query):
        base = f"http://127.0.0.1:{port_holder['port']}"
        pages = {
            "/2025/08/25/kanonik-javascript-pemko-binjai/":
                article("Kanonik Javascript Pemko Binjai", canonical="javascript://127.0.0.1/%0Aalert(1)//",
                        image="javascript:alert(1)"),
            "/2025/08/25/kanonik-situs-lain-pemko-binjai/":
                article("Kanonik Situs Lain Pemko Binjai", canonical="https://evil.example/berita-palsu-sekali/"),
            "/2025/08/25/tanggal-masa-depan-pemko-binjai/":
                article("Tanggal Masa Depan Pemko Binjai", published="9999-12-31T23:59:59+07:00"),
            "/2025/08/25/tanggal-purba-pemko-binjai/":
                article("Tanggal Purba Pemko Binjai", published="1970-01-01T00:00:00+00:00"),
            "/2025/08/25/tanggal-wajar-pemko-binjai/": article("Tanggal Wajar Pemko Binjai"),
        }
        if path == "/":
            links = ["http://127.0.0.1:99999999/2025/08/25/port-rusak-pemko-binjai/",  # malformed port, first
                     "javascript://127.0.0.1/%0Aalert(1)//2025/08/25/skema-jahat-pemko-binjai/", *pages]
            return 200, "text/html", listing([u if u.startswith(("http", "javascript")) else base + u
                                              for u in links])
        if path in pages:
            return 200, "text/html", pages[path]
        return None

    with TrapSite(route) as site:
        port_holder["port"] = site.server.server_address[1]
        seeds = site.seeds(tmp_path / "trap.toml")
        result = warta_crawl(tmp_path, seeds)
        assert result.returncode == 0, result.stdout + result.stderr
        base = site.url("")
    articles = stored(tmp_path)
    assert sorted(articles) == sorted(base + p for p in (
        "/2025/08/25/kanonik-javascript-pemko-binjai/", "/2025/08/25/kanonik-situs-lain-pemko-binjai/",
        "/2025/08/25/tanggal-masa-depan-pemko-binjai/", "/2025/08/25/tanggal-purba-pemko-binjai/",
        "/2025/08/25/tanggal-wajar-pemko-binjai/"))  # the rest of the listing survived the bad port
    assert articles[base + "/2025/08/25/kanonik-javascript-pemko-binjai/"].image == ""
    assert articles[base + "/2025/08/25/tanggal-masa-depan-pemko-binjai/"].published is None
    assert articles[base + "/2025/08/25/tanggal-purba-pemko-binjai/"].published is None
    assert articles[base + "/2025/08/25/tanggal-wajar-pemko-binjai/"].published.year == 2025
    with Store(tmp_path / "warta.sqlite3") as store:
        everything = store.known_urls("trap")
    assert all(u.startswith(base + "/") for u in everything), everything
    [run] = runs(tmp_path)
    stats = stats_of(tmp_path, run)
    assert run.result == "ok" and stats["warta/dropped/date-out-of-range"] == 2
    assert stats["warta/skipped/bad-url"] == 1 and stats["warta/ignored/canonical"] == 2


def test_a_drop_selector_that_does_not_compile_is_refused_at_load(tmp_path):
    with TrapSite(serve_article) as site:
        seeds = site.seeds(tmp_path / "trap.toml", drop=["div.share", "div[[["])
        result = warta_crawl(tmp_path, seeds)
        assert not site.paths()
    assert result.returncode == 2 and not (tmp_path / "warta.sqlite3").exists()
    [line] = result.stderr.strip().splitlines()
    assert str(seeds) in line and "'trap'" in line and "'drop'" in line and "div[[[" in line


def test_extraction_errors_are_counted_with_their_urls_and_shown_by_status(tmp_path):
    """An extractor bug (here: a drop selector that passed no registry check) is no silent `ok` crawl."""
    script = ("import sys, dataclasses; from crawler.run import crawl; from registry import load_registry; "
              "[o] = load_registry(sys.argv[1]); o = dataclasses.replace(o, drop=('div[[[',)); "
              "runs = crawl([o], sys.argv[2]); print(runs[0].result)")

    def route(path, query):
        if path == "/":
            return 200, "text/html", listing(ARTICLES)
        return serve_article(path, query)

    with TrapSite(route) as site:
        seeds = site.seeds(tmp_path / "trap.toml")
        done = subprocess.run([sys.executable, "-c", script, str(seeds), str(tmp_path / "warta.sqlite3")],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["errors"]
    [run] = runs(tmp_path)
    assert run.result == "errors" and run.errors == 3  # the articles themselves may survive by a fallback
    assert "3 extraction error(s)" in run.error and site.url("/2025/08/") in run.error
    stats = stats_of(tmp_path, run)
    assert stats["warta/errors/extract-error"] == 3 and sum(
        v for k, v in stats.items() if k.startswith("warta/extract-errors/")) >= 3
    assert sum(site.url(p) in done.stderr for p in ARTICLES) == 3  # each URL logged
    status = subprocess.run([sys.executable, "-m", "warta", "--data", str(tmp_path), "--seeds", str(seeds), "status",
                             "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    [entry] = json.loads(status.stdout)["outlets"]
    assert entry["last_run"]["result"] == "errors" and entry["last_run"]["errors"] == 3
    assert "extraction error" in entry["last_error"] and entry["last_error_kind"] == "page"
    # the crawl ended well: the outlet is healthy with page errors, not failing nor overdue
    assert entry["last_success"] is not None and entry["health"] == "page_errors" and entry["page_errors"] == 3
    text = subprocess.run([sys.executable, "-m", "warta", "--data", str(tmp_path), "--seeds", str(seeds), "status"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "3 extraction error(s)" in text.stdout


def test_crawl_reports_its_own_runs_while_other_crawls_record_theirs(tmp_path):
    """Runs are found by id: many runs recorded meanwhile by other outlets' crawls do not hide this one."""
    def route(path, query):
        if path == "/":
            return 200, "text/html", listing(ARTICLES)
        if path in ARTICLES:
            time.sleep(0.7)
        return serve_article(path, query)

    with TrapSite(route) as site:
        seeds = site.seeds(tmp_path / "trap.toml", concurrency=1)
        proc = warta_crawl(tmp_path, seeds, wait=False)
        deadline = time.monotonic() + 60
        while not _running(tmp_path):
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        with Store(tmp_path / "warta.sqlite3") as store:
            for n in range(30):
                other = store.begin_run(f"other{n}")
                other.result = "ok"
                store.finish_run(other)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    [line] = [x for x in out.splitlines() if x.startswith("trap ")]
    assert line.split()[1] == "ok" and line.split()[3] == "3"


def _running(data: Path) -> bool:
    if not (data / "warta.sqlite3").exists():
        return False
    try:
        return any(r.result == "running" for r in runs(data))
    except sqlite3.Error:  # the crawl is still creating the store
        return False


SLOW = [f"/2025/08/{d:02d}/pemko-binjai-gelar-rapat-hari-{d}/" for d in range(1, 9)]


def slow_site(path, query):
    if path == "/":
        return 200, "text/html", listing(SLOW)
    if path in SLOW:
        time.sleep(0.4)
    return serve_article(path, query, SLOW)


def crawl_with_workers(site: TrapSite, tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    """A `warta crawl` of the slow site, once its extraction workers are running; and their pids."""
    seeds = site.seeds(tmp_path / "trap.toml", concurrency=1)
    proc = warta_crawl(tmp_path, seeds, wait=False)
    deadline = time.monotonic() + 60
    while not (workers := children(proc.pid)):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    return proc, workers


def test_extraction_workers_die_with_a_killed_crawl(tmp_path):
    with TrapSite(slow_site) as site:
        proc, workers = crawl_with_workers(site, tmp_path)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        assert not wait_gone(workers), "extraction workers outlived their killed crawl"


def test_a_worker_stopped_by_sigterm_ends_and_the_crawl_goes_on_in_a_fresh_pool(tmp_path):
    with TrapSite(slow_site) as site:
        proc, workers = crawl_with_workers(site, tmp_path)
        for pid in workers:
            os.kill(pid, signal.SIGTERM)
        assert not wait_gone(workers, 5), "extraction workers ignored SIGTERM"
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    [run] = runs(tmp_path)
    assert run.result == "ok" and run.new == len(SLOW) and run.errors == 0
