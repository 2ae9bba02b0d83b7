"""The shared crawl frontier (crawler/frontier.py) on a real Redis the tests start: several `warta crawl
--frontier` processes crawl one mirror outlet together, each article fetched and stored once; a process
killed at any moment, or Redis restarted empty, loses nothing the next run does not fetch; the outlet's
delay and budget hold for the processes together; every crawl ends by itself."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import redis
from scrapy import Request

from crawler.frontier import JsonSerializer
from mirror.server import Mirror
from store import open_store
from tests.conftest import ROOT, TEST_CONFIG, children, wait_gone, warta

pytestmark = pytest.mark.slow
OUTLET = "tri3news"


@pytest.fixture(scope="module")
def big():
    """A mirror whose outlet has enough articles for three processes to share."""
    with Mirror(replace(TEST_CONFIG, articles_per_site=60, reserve_per_site=0)) as m:
        yield m


def start_crawl(data: Path, store: Path, seeds: Path, frontier: str, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "warta", "--data", str(data), "--store", str(store), "--seeds", str(seeds),
           "crawl", "--outlet", OUTLET, "--frontier", frontier, *extra]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def crawl_together(tmp_path: Path, seeds: Path, frontier: str, n: int = 3) -> list[subprocess.Popen]:
    return [start_crawl(tmp_path / f"machine{i}", tmp_path / "warta.sqlite3", seeds, frontier) for i in range(n)]


def finish(procs: list[subprocess.Popen], timeout: float = 240) -> list[tuple[int, str]]:
    return [(p.wait(timeout=timeout), p.stdout.read() + p.stderr.read()) for p in procs]


def stored_urls(store: Path) -> list[str]:
    try:
        with open_store(store, readonly=True) as db:
            return [row[0] for row in db.db.execute("SELECT url FROM articles")]
    except sqlite3.OperationalError:  # the first crawl process is still making the schema
        return []


def runs(store: Path):
    with open_store(store, readonly=True) as db:
        return db.runs(OUTLET, limit=100)


def run_stats(store: Path) -> list[tuple[str, dict]]:
    """(result, stats) of each run recorded."""
    with open_store(store, readonly=True) as db:
        return [(r[0], json.loads(r[1])) for r in db.db.execute("SELECT result, stats FROM crawl_runs")]


def frontier_keys(url: str) -> list[bytes]:
    return [k for k in redis.Redis.from_url(url).keys("warta:frontier:*") if b":host:" not in k]


def article_paths(mirror: Mirror) -> set[str]:
    return {a.path for a in mirror.truth(OUTLET)}


def test_three_processes_share_one_frontier_and_store_each_article_once(big, redis_server, tmp_path):
    seeds = big.write_seeds(tmp_path / "mirror.toml")
    url = redis_server.url()
    before = len(big.hits_for(OUTLET))
    done = finish(crawl_together(tmp_path, seeds, url))
    assert all(code == 0 for code, _ in done), done
    urls = stored_urls(tmp_path / "warta.sqlite3")
    assert len(urls) == len(set(urls)) == len(big.truth(OUTLET))
    recorded = runs(tmp_path / "warta.sqlite3")
    assert len(recorded) == 3 and sum(r.new for r in recorded) == len(urls)
    assert sum(1 for r in recorded if r.new) >= 2  # the work was shared, not done by the first alone
    # every article page was fetched once, by one of the three (the mirror's flaky page answers 5xx first)
    hits = [h.path for h in big.hits_for(OUTLET)[before:] if h.path in article_paths(big) and h.status == 200]
    assert sorted(hits) == sorted(set(hits)) and len(hits) == len(urls)
    # each process read robots.txt for itself; the listings were read once
    robots = [h for h in big.hits_for(OUTLET)[before:] if h.path == "/robots.txt"]
    assert len(robots) == 3
    assert frontier_keys(url) == []  # the last one out cleared the frontier


def test_a_process_killed_mid_crawl_loses_nothing_the_next_run_does_not_fetch(big, redis_server, tmp_path):
    seeds = big.write_seeds(tmp_path / "mirror.toml")
    url = redis_server.url()
    store = tmp_path / "warta.sqlite3"
    procs = crawl_together(tmp_path, seeds, url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not store.exists() or len(stored_urls(store)) < 8):
        time.sleep(0.1)
    victim = procs[1]
    workers = children(victim.pid)
    victim.send_signal(signal.SIGKILL)
    rest = finish([procs[0], procs[2]])
    assert all(code == 0 for code, _ in rest), rest
    assert not wait_gone(workers, 15), "the killed crawl's extraction workers stayed"
    survivors = [stats for result, stats in run_stats(store) if result == "ok"]
    assert len(survivors) == 2 and all("warta/frontier/member-lost" in stats for stats in survivors)
    # the next run, alone on the frontier, fetches whatever the killed one had in flight
    again = warta("--store", str(store), "--seeds", str(seeds), "crawl", "--outlet", OUTLET, "--frontier", url,
                  data=tmp_path / "machine0")
    assert again.returncode == 0, again.stdout + again.stderr
    urls = stored_urls(store)
    assert len(urls) == len(set(urls)) == len(big.truth(OUTLET))
    assert not [r for r in runs(store) if r.result == "running"]  # the killed one's run says it was interrupted
    assert frontier_keys(url) == []


def test_redis_restarted_empty_mid_crawl_is_a_clear_failure_and_the_next_run_completes(big, tmp_path):
    from tests.redis_server import RedisServer

    server = RedisServer()  # its own: this test kills it
    try:
        seeds = big.write_seeds(tmp_path / "mirror.toml")
        url = server.url()
        store = tmp_path / "warta.sqlite3"
        procs = crawl_together(tmp_path, seeds, url, n=2)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (not store.exists() or len(stored_urls(store)) < 5):
            time.sleep(0.05)
        server.halt()
        server.start()
        done = finish(procs)
        for code, out in done:  # each either finished before the loss or stopped saying why
            assert code == 0 or "Redis lost the crawl's frontier" in out, out
        assert any(code == 1 for code, _ in done)
        with open_store(store) as db:
            assert db.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        again = warta("--store", str(store), "--seeds", str(seeds), "crawl", "--outlet", OUTLET, "--frontier",
                      url, data=tmp_path / "machine0")
        assert again.returncode == 0, again.stdout + again.stderr
        urls = stored_urls(store)
        assert len(urls) == len(set(urls)) == len(big.truth(OUTLET))
    finally:
        server.stop()


def test_the_outlets_delay_holds_across_processes(mirror, redis_server, tmp_path):
    delay = 0.25
    seeds = mirror.write_seeds(tmp_path / "mirror.toml", delay=delay)
    before = len(mirror.hits_for("sumutprov"))
    url = redis_server.url()
    procs = [subprocess.Popen(
        [sys.executable, "-m", "warta", "--data", str(tmp_path / f"m{i}"), "--store", str(tmp_path / "w.sqlite3"),
         "--seeds", str(seeds), "crawl", "--outlet", "sumutprov", "--frontier", url, "--limit", "6"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    done = finish(procs)
    assert all(code == 0 for code, _ in done), done
    times = sorted(h.at for h in mirror.hits_for("sumutprov")[before:])
    assert len(times) >= 10
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # one request per delay for both processes together (each alone would keep it only for itself)
    assert (len(times) - 1) / (times[-1] - times[0]) <= 1.15 / delay, gaps
    assert sorted(gaps)[len(gaps) // 10] >= delay * 0.8, gaps  # and spaced so, not in bursts


def test_the_budget_bounds_the_processes_together(big, redis_server, tmp_path):
    seeds = big.write_seeds(tmp_path / "mirror.toml")
    url = redis_server.url()
    script = ("import sys; from crawler.run import crawl; from registry import load_registry, select; "
              "runs = crawl(select(load_registry(sys.argv[1]), ['tri3news']), sys.argv[2], frontier=sys.argv[3], "
              "WARTA_OUTLET_BUDGET_PAGES=30); print(runs[0].pages)")
    before = len(big.hits_for(OUTLET))
    procs = [subprocess.Popen([sys.executable, "-c", script, str(seeds), str(tmp_path / "w.sqlite3"), url],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "WARTA_EXTRACT_WORKERS": "1"}) for _ in range(3)]
    done = finish(procs)
    assert all(code == 0 for code, _ in done), done
    fetched = len(big.hits_for(OUTLET)) - before
    # 30 for the three together (each request counts as it passes the gate), not 30 each
    assert 25 <= fetched <= 30 + 3, fetched
    assert all(stats.get("warta/budget/spent") == "pages" for _, stats in run_stats(tmp_path / "w.sqlite3"))


def test_an_unreachable_or_malformed_frontier_is_a_clear_error(tmp_path):
    done = warta("crawl", "--frontier", "redis://127.0.0.1:1/0", data=tmp_path)  # checked before any fetch
    assert done.returncode == 1 and "cannot be reached" in done.stderr, done.stderr
    assert not (tmp_path / "warta.sqlite3").exists()
    bad = warta("crawl", "--frontier", "http://127.0.0.1:6379/0", data=tmp_path)
    assert bad.returncode == 2 and "expected redis://" in bad.stderr, bad.stderr


def test_requests_travel_as_json_with_their_bytes_intact():
    """No pickle on a shared server: a request's headers, body and meta survive JSON, and a payload that is
    not JSON is refused rather than unpickled."""
    request = Request("http://127.0.1.1/a?b=1", method="POST", body=b"\x00\xff body",
                      headers={"X-Bin": b"\xfe\x01"}, meta={"canon": "http://127.0.1.1/a", "page": 3,
                                                            "redirect_urls": ["http://127.0.1.1/x"]},
                      priority=7, dont_filter=True)
    back = JsonSerializer.loads(JsonSerializer.dumps(request.to_dict()))
    again = Request(**{k: v for k, v in back.items() if k in ("url", "method", "body", "headers", "meta",
                                                                 "priority", "dont_filter")})
    assert again.body == request.body and again.headers.getlist("X-Bin") == [b"\xfe\x01"]
    assert again.meta == request.meta and again.priority == 7 and again.dont_filter
    with pytest.raises(ValueError):
        JsonSerializer.loads(b"\x80\x04\x95 pickle")


def test_the_time_budget_starts_on_each_machines_own_clock(redis_server, monkeypatch):
    """The generation's start is written on Redis's clock; a crawler machine whose clock is an hour ahead
    must not find its time budget spent at once (nor one an hour behind get an hour more)."""
    from crawler import frontier as module

    real = time.time
    for skew in (3600.0, -3600.0):
        monkeypatch.setattr(module.time, "time", lambda s=skew: real() + s)
        member = module.RedisFrontier(redis_server.url(), f"skew{int(skew)}")
        member.join()
        try:
            assert abs(member.started - module.time.time()) < 5, (skew, member.started - module.time.time())
        finally:
            member.leave(finished=True)
        monkeypatch.undo()
