"""Real crawls: `warta crawl` in a subprocess, over HTTP, against the outlet mirror."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.urls import canonicalize
from mirror.server import Mirror
from store import Store
from tests.conftest import TEST_CONFIG
from tests.extraction.evaluation import words

ROOT = Path(__file__).resolve().parents[2]


def warta_crawl(data: Path, seeds: Path, *args: str, wait: bool = True):
    cmd = [sys.executable, "-m", "warta", "--data", str(data), "crawl", "--seeds", str(seeds), *args]
    if not wait:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def truth_urls(mirror: Mirror, site_id: str | None = None) -> set[str]:
    return {canonicalize(mirror.url(a.site, a.path)) for a in mirror.truth(site_id)}


def stored_urls(data: Path, outlet: str | None = None) -> set[str]:
    with Store(data / "warta.sqlite3") as store:
        return {a.url for a in store.articles(outlet)}


def last_stats(data: Path, outlet: str) -> dict:
    with Store(data / "warta.sqlite3") as store:
        return store.run_stats(store.runs(outlet, limit=1)[0].id)


def article_hits(mirror: Mirror, since: float = 0.0) -> list[tuple[str, str]]:
    paths = {a.path for a in mirror.truth()}
    return [(h.site, h.path.split("?")[0]) for h in list(mirror.hits)
            if h.at >= since and h.path.split("?")[0] in paths and h.method == "GET"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One full first crawl of a fresh mirror, shared by the checks below."""
    with Mirror(TEST_CONFIG) as mirror:
        data = tmp_path_factory.mktemp("data")
        seeds = mirror.write_seeds(data / "mirror.toml")
        result = warta_crawl(data, seeds)
        yield mirror, data, seeds, result


def test_every_article_of_every_platform_is_stored_once_and_nothing_else(crawled):
    mirror, data, _, result = crawled
    assert result.returncode == 0, result.stdout + result.stderr
    for site_id in mirror.sites:
        assert stored_urls(data, site_id) == truth_urls(mirror, site_id), site_id


def test_stored_articles_carry_their_true_text_and_title(crawled):
    mirror, data, _, _ = crawled
    with Store(data / "warta.sqlite3") as store:
        for a in mirror.truth():
            got = store.get(canonicalize(mirror.url(a.site, a.path)))
            assert got.title == a.title, (a.site, got.title)
            # word-level, as the extraction evaluation scores (corpus text has credits and mojibake of its own)
            common = sum((words(got.text) & words("\n".join(a.paragraphs))).values())
            assert common >= 0.98 * sum(words(got.text).values()), (a.site, a.path)
            assert common >= 0.97 * sum(words("\n".join(a.paragraphs)).values()), (a.site, a.path)
            assert got.published == a.published, (a.site, a.path)
            assert got.outlet == a.site and got.outlet_regions == a.regions
            assert store.raw_html(got.url).lower().count(b"<html") >= 1


def test_tracking_and_amp_duplicates_collapse_and_are_remembered(crawled):
    mirror, data, _, _ = crawled
    with Store(data / "warta.sqlite3") as store:
        known = store.known_urls("waspada")
    # the feed links carried utm_* parameters: the fetched URL was the clean one, stored once
    assert not any("utm_" in u for u in stored_urls(data))
    hits = [h.path for h in mirror.hits_for("waspada")]
    assert not any("utm_" in h or "fbclid" in h or h.endswith("/amp/") for h in hits)
    assert truth_urls(mirror, "waspada") <= known


def test_redirect_chain_is_followed_and_folded(crawled):
    mirror, data, _, _ = crawled
    chain = mirror.sites["tri3news"].trap_paths()["chain"]
    assert any(h.path == chain for h in mirror.hits_for("tri3news"))
    with Store(data / "warta.sqlite3") as store:
        assert canonicalize(mirror.url("tri3news", chain)) in store.known_urls("tri3news")


def test_robots_disallowed_paths_are_never_fetched(crawled):
    mirror, _, _, _ = crawled
    for site_id, prefix in (("tri3news", "/arsip-internal/"), ("waspada", "/arsip-internal/"),
                            ("pemkomedan", "/berita/draft/"), ("siantarblog", "/search")):
        assert any(h.path == "/robots.txt" for h in mirror.hits_for(site_id))
        assert not [h.path for h in mirror.hits_for(site_id) if h.path.startswith(prefix)], site_id
    assert all(h.user_agent.startswith("warta/") for h in mirror.hits)


def test_ugly_pages_are_survived_and_counted(crawled):
    mirror, data, _, _ = crawled
    assert last_stats(data, "tri3news").get("warta/errors/http-404") == 1
    mimbar = last_stats(data, "mimbarumum")
    assert mimbar.get("warta/errors/http-500") == 1 and mimbar.get("retry/count", 0) >= 2
    assert mimbar.get("warta/errors/redirect-loop") == 1
    sumut = last_stats(data, "sumutpos")
    assert sumut.get("warta/errors/too-large") == 1
    traps = mirror.sites["sumutpos"].trap_paths()
    stored = stored_urls(data, "sumutpos")
    assert canonicalize(mirror.url("sumutpos", traps["slow"])) in stored
    assert canonicalize(mirror.url("sumutpos", traps["flaky"])) in stored  # retried after its 503
    pdf = mirror.sites["binjaikota"].trap_paths()["pdf"]
    assert not any(h.path == pdf for h in mirror.hits_for("binjaikota"))  # links to PDFs are not followed
    with Store(data / "warta.sqlite3") as store:
        runs = {r.outlet: r for r in store.runs(limit=20)}
    assert runs["tri3news"].errors >= 1 and runs["tri3news"].result == "ok"


def test_endless_pagination_ends_where_the_listing_stops_bringing_anything(crawled):
    """sumutpos answers every /page/N/ and ?paged=N past its end with its last page: the walks end there."""
    mirror, data, _, _ = crawled
    assert stored_urls(data, "sumutpos") == truth_urls(mirror, "sumutpos")
    site = mirror.sites["sumutpos"]
    last_page = -(-len(site.articles()) // site.spec.page_size)
    last_feed = -(-len(site.articles()) // site.spec.feed_size)
    paths = [h.path for h in mirror.hits_for("sumutpos")]
    pages = [int(p.split("/")[2]) for p in paths if p.startswith("/page/")]
    feeds = [int(p.split("paged=")[1]) for p in paths if "paged=" in p]
    assert max(pages, default=1) <= last_page + 1 and max(feeds, default=1) <= last_feed + 1, (pages, feeds)
    stats = last_stats(data, "sumutpos")
    assert stats.get("warta/walks/nothing-unseen", 0) + stats.get("warta/walks/repeated-page", 0) >= 1
    with Store(data / "warta.sqlite3") as store:
        assert store.runs("sumutpos", limit=1)[0].result == "ok"


def test_second_crawl_fetches_only_what_is_new_and_status_agrees(crawled):
    mirror, data, seeds, _ = crawled
    before = stored_urls(data)
    released = mirror.release(count=2)
    start = time.time()
    result = warta_crawl(data, seeds)
    assert result.returncode == 0, result.stdout + result.stderr
    new = stored_urls(data) - before
    assert new == {canonicalize(mirror.url(a.site, a.path)) for a in released}
    fetched = article_hits(mirror, since=start)
    assert sorted(fetched) == sorted((a.site, a.path) for a in released)
    with Store(data / "warta.sqlite3") as store:
        runs = {r.outlet: r for r in reversed(store.runs(limit=9))}
    assert all(r.new == 2 and r.updated == 0 for r in runs.values())
    status = subprocess.run([sys.executable, "-m", "warta", "--data", str(data), "--seeds", str(seeds), "status",
                             "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0
    for entry in json.loads(status.stdout)["outlets"]:
        assert entry["articles_stored"] == len(truth_urls(mirror, entry["id"]))
        assert entry["last_run"]["result"] == "ok" and entry["last_run"]["new"] == 2


def test_since_bounds_a_backfill(tmp_path):
    with Mirror(TEST_CONFIG) as mirror:
        seeds = mirror.write_seeds(tmp_path / "mirror.toml")
        site = mirror.sites["waspada"]
        cut = site.articles()[-5].published
        result = warta_crawl(tmp_path, seeds, "--outlet", "waspada", "--since", f"{cut:%Y-%m-%d}")
        assert result.returncode == 0, result.stderr
        expected = {canonicalize(mirror.url("waspada", a.path)) for a in site.articles()
                    if a.published.date() >= cut.date()}
        assert stored_urls(tmp_path) == expected


def test_bad_since_is_a_usage_error(tmp_path):
    result = warta_crawl(tmp_path, ROOT / "seeds" / "outlets.toml", "--since", "kemarin")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr


def test_crawl_killed_midway_resumes_to_the_same_store(tmp_path, crawled):
    reference_mirror, reference_data, _, _ = crawled
    with Mirror(TEST_CONFIG) as mirror:
        seeds = mirror.write_seeds(tmp_path / "mirror.toml")
        db = tmp_path / "warta.sqlite3"
        proc = warta_crawl(tmp_path, seeds, wait=False)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if db.exists() and _count(db) >= 40:
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        at_kill = stored_urls(tmp_path)
        assert 40 <= len(at_kill) < len(truth_urls(mirror))
        restart = time.time()
        result = warta_crawl(tmp_path, seeds)
        assert result.returncode == 0, result.stderr
        assert stored_urls(tmp_path) == truth_urls(mirror)
        refetched = {(s, p) for s, p in article_hits(mirror, since=restart)}
        assert not {(a.site, a.path) for a in mirror.truth()
                    if canonicalize(mirror.url(a.site, a.path)) in at_kill} & refetched
        # same content as the uninterrupted crawl (URLs differ only by the mirror's port)
        assert _texts(tmp_path, mirror) == _texts(reference_data, reference_mirror, released=False)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _texts(data: Path, mirror: Mirror, released: bool = True) -> dict:
    """(outlet, path) -> (title, text) for the articles of the mirror's first publication."""
    first = {canonicalize(mirror.url(a.site, a.path)): a for s in mirror.sites.values()
             for a in s.all[: len(s.all) - TEST_CONFIG.reserve_per_site]}
    with Store(data / "warta.sqlite3") as store:
        return {(first[a.url].site, first[a.url].path): (a.title, a.text, json.dumps(a.published, default=str))
                for a in store.articles() if a.url in first}
