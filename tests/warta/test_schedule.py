"""`warta schedule` against the outlet mirror: fresh search, back-off, locks, clean stops, status."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from crawler.urls import canonicalize
from mirror.server import Mirror
from store.locks import OutletLock
from tests.conftest import ROOT, SEARCH_CONFIG, fetch, warta, warta_server

HEALTHY, BROKEN = "tri3news", "waspada"


def schedule(data: Path, seeds: Path, *args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "warta", "--data", str(data), "--seeds", str(seeds), "schedule", *args]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 150) -> tuple[int, str]:
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def runs(data: Path) -> list[dict]:
    with sqlite3.connect(data / "warta.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM crawl_runs ORDER BY id")]


def wait_for(condition, timeout: float, step: float = 0.5, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stored_count(data: Path) -> int:
    try:
        with sqlite3.connect(f"file:{data / 'warta.sqlite3'}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def search_total(base: str, query: str) -> int:
    page = fetch(f"{base}/api/search?q={quote(query)}")
    return json.loads(page.body)["total"] if page.status == 200 else -1


def found_urls(base: str, title: str) -> set[str]:
    """URLs of the hits for a title's words (the title itself may repeat words of other articles)."""
    words = " OR ".join(w for w in re.findall(r"\w+", title)[:8] if len(w) > 3)
    page = fetch(f"{base}/api/search?q={quote(words)}&per_page=50")
    return {h["url"] for h in json.loads(page.body)["hits"]} if page.status == 200 else set()


@pytest.fixture
def mirror():
    with Mirror(SEARCH_CONFIG) as m:
        yield m


def test_new_articles_reach_search_and_a_failing_outlet_backs_off(mirror, tmp_path):
    seeds = mirror.write_seeds(tmp_path / "mirror.toml")
    mirror.sites[BROKEN].failing = True
    proc = schedule(tmp_path, seeds, "--every", "4s", "--outlet", HEALTHY, "--outlet", BROKEN, "--outlet", "sumutpos")
    try:
        with warta_server(tmp_path, seeds) as base:
            wait_for(lambda: search_total(base, "pelayanan publik") > 0, 120, what="the first cycle to be searchable")
            released = mirror.release(HEALTHY)[0]
            url = canonicalize(mirror.url(released.site, released.path))
            assert url not in found_urls(base, released.title)
            wait_for(lambda: url in found_urls(base, released.title), 90, what="the new article in search")

            def fell_behind() -> bool:
                # without back-off the failing outlet is crawled as often as the healthy one; with it, the
                # healthy one pulls ahead. Counted, not timed: a loaded machine stretches every cycle alike.
                done = [r["outlet"] for r in runs(tmp_path) if r["result"] != "running"]
                return done.count(BROKEN) >= 3 and done.count(HEALTHY) >= done.count(BROKEN) + 2
            wait_for(fell_behind, 120, what="the failing outlet to fall behind the healthy one")
    finally:
        code, err = stop(proc)
    assert code == 0, err
    history = runs(tmp_path)
    broken = [r for r in history if r["outlet"] == BROKEN]
    healthy = [r for r in history if r["outlet"] == HEALTHY]
    assert broken and all(r["result"] == "failed" for r in broken)
    assert len(healthy) >= len(broken) + 2

    def gaps(rows):
        times = [datetime.fromisoformat(r["started"]) for r in rows]
        return [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    broken_gaps = gaps(broken)
    # back-off: 2x, 4x, ... the 4s period after each failure (counted from the failed crawl's start)
    assert len(broken_gaps) >= 2 and broken_gaps[0] >= 8 and broken_gaps[1] >= 16, broken_gaps
    log = (tmp_path / "logs" / "warta.log").read_text(encoding="utf-8")
    assert f"crawl {HEALTHY}: ok in" in log and f"crawl {BROKEN}: failed in" in log and "backing off" in log


def test_two_schedulers_never_crawl_one_outlet_at_once(mirror, tmp_path):
    seeds = mirror.write_seeds(tmp_path / "mirror.toml", delay=0.2)  # slow crawls overlap more
    first = schedule(tmp_path, seeds, "--every", "2s", "--parallel", "9")
    second = schedule(tmp_path, seeds, "--every", "2s", "--parallel", "9")
    time.sleep(35)
    for proc in (first, second):
        code, err = stop(proc)
        assert code == 0, err
    by_outlet: dict[str, list[tuple[datetime, datetime]]] = {}
    history = runs(tmp_path)
    summary = [(r["outlet"], r["result"], r["started"], r["finished"]) for r in history]
    for r in history:
        assert r["result"] != "running", summary
        by_outlet.setdefault(r["outlet"], []).append(
            (datetime.fromisoformat(r["started"]), datetime.fromisoformat(r["finished"])))
    assert len(by_outlet) == 9, summary
    for outlet, spans in by_outlet.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end, f"{outlet}: two crawls overlapped: {summary}"


def test_sigterm_mid_crawl_loses_nothing_and_the_next_start_resumes(mirror, tmp_path):
    seeds = mirror.write_seeds(tmp_path / "mirror.toml", delay=0.4)
    proc = schedule(tmp_path, seeds, "--every", "1h", "--parallel", "9")
    wait_for(lambda: stored_count(tmp_path) >= 5, 120, what="some articles stored")
    code, err = stop(proc)
    assert code == 0, err
    history = runs(tmp_path)
    assert any(r["result"] == "interrupted" for r in history), [(r["outlet"], r["result"]) for r in history]
    assert not any(r["result"] == "running" for r in history)
    kept = stored_count(tmp_path)
    assert kept >= 5
    search = warta("search", "kota", "--json", "--per-page", "50", data=tmp_path)
    assert json.loads(search.stdout)["total"] > 0  # the scheduler indexed what it had before stopping
    again = warta("--seeds", str(seeds), "schedule", "--once", "--every", "1h", data=tmp_path, timeout=300)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(tmp_path / "warta.sqlite3") as db:
        stored = {r[0] for r in db.execute("SELECT url FROM articles")}
    truth = {canonicalize(mirror.url(a.site, a.path)) for a in mirror.truth()}
    assert stored == truth and len(stored) >= kept


def test_sigkill_leaves_no_stuck_lock(mirror, tmp_path):
    seeds = mirror.write_seeds(tmp_path / "mirror.toml", delay=0.4)
    proc = schedule(tmp_path, seeds, "--every", "1h", "--parallel", "9", "--outlet", HEALTHY)
    lock = OutletLock(tmp_path, HEALTHY)
    wait_for(lambda: lock.held_elsewhere() and stored_count(tmp_path) > 0, 60, step=0.2, what="the crawl to be storing")
    crawler_pid = int(lock.path.read_text().split()[0])
    os.kill(crawler_pid, signal.SIGKILL)  # the crawl dies as in an OOM kill ...
    proc.kill()  # ... and so does the scheduler
    proc.communicate(timeout=30)
    wait_for(lambda: not lock.held_elsewhere(), 30, what="the kernel to drop the lock")
    status = json.loads(warta("--seeds", str(seeds), "status", "--json", data=tmp_path).stdout)
    entry = next(o for o in status["outlets"] if o["id"] == HEALTHY)
    assert entry["crawling"] is False and entry["last_run"]["result"] == "died"
    again = warta("--seeds", str(seeds), "schedule", "--once", "--outlet", HEALTHY, "--every", "1h", data=tmp_path)
    assert again.returncode == 0, again.stderr
    assert runs(tmp_path)[-1]["result"] == "ok" and runs(tmp_path)[-1]["outlet"] == HEALTHY


def test_status_command_and_page_agree_with_the_store(search_data):
    data, seeds = search_data.data, search_data.seeds
    cli = json.loads(warta("--seeds", str(seeds), "status", "--json", data=data).stdout)["outlets"]
    with warta_server(data, seeds) as base:
        api = json.loads(fetch(base + "/api/status").body)["outlets"]
        page = fetch(base + "/status").text
    with sqlite3.connect(data / "warta.sqlite3") as db:
        counts = dict(db.execute("SELECT outlet, COUNT(*) FROM articles GROUP BY outlet"))
        newest = dict(db.execute("SELECT outlet, MAX(published) FROM articles GROUP BY outlet"))
        last_ok = dict(db.execute("SELECT outlet, MAX(finished) FROM crawl_runs WHERE result IN ('ok', 'errors') "
                                  "GROUP BY outlet"))  # crawls that ended well, page errors or not
    assert [o["id"] for o in cli] == [o["id"] for o in api] and len(cli) == 9
    for c, a in zip(cli, api, strict=True):
        for key in ("articles_stored", "articles_indexed", "newest_article", "last_success", "overdue", "crawling"):
            assert c[key] == a[key], key
        assert c["articles_stored"] == counts[c["id"]] == c["articles_indexed"]
        assert datetime.fromisoformat(c["newest_article"]) == datetime.fromisoformat(newest[c["id"]])
        assert datetime.fromisoformat(c["last_success"]) == datetime.fromisoformat(last_ok[c["id"]])
        assert f'data-stored="{counts[c["id"]]}"' in page
    text = warta("--seeds", str(seeds), "status", data=data).stdout
    assert all(o["id"] in text for o in cli) and "times in WIB" in text
