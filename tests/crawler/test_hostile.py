"""Crawls of the hostile outlets (mirror/hostile.py): every fault a real regional site has, each its own outlet,
crawled at once by the project's own crawl; each test checks what was stored, what the run recorded, what
`warta status` says, and what the outlet's server saw. A crawl stopped mid-flight gets its own tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mirror.hostile import (
    MISLABELLED_CP1252,
    MISLABELLED_UTF8,
    PARAGRAPHS,
    SLOW,
    HostileMirror,
    HostileSite,
    slow,
    slug,
)
from store import Store
from tests.conftest import ROOT, children, wait_gone, warta

pytestmark = pytest.mark.slow

# A crawl of every hostile outlet at once, as `warta crawl` runs it, with a 4 s download timeout (30 s in
# production) so the black holes cost seconds.
CRAWL = ("import sys; from crawler.run import crawl; from registry import load_registry; "
         "crawl(load_registry(sys.argv[1]), sys.argv[2], DOWNLOAD_TIMEOUT=4)")


@dataclass
class Crawled:
    mirror: HostileMirror
    data: Path
    seeds: Path
    stderr: str
    leftover: list[int]  # processes still running the crawl's command line after it returned

    def run(self, outlet: str):
        with Store(self.data / "warta.sqlite3") as store:
            [run] = store.runs(outlet, limit=5)
            return run, store.run_stats(run.id)

    def stored(self, outlet: str) -> dict:
        with Store(self.data / "warta.sqlite3") as store:
            return {a.url: a for a in store.articles(outlet)}

    def rejects(self, outlet: str) -> dict[str, str]:
        with Store(self.data / "warta.sqlite3") as store:
            return store.rejects(outlet)

    def article_hits(self, outlet: str) -> list[str]:
        return [p for p in self.mirror.sites[outlet].paths() if p.startswith("/2025/")]

    def status(self) -> dict[str, dict]:
        done = warta("--seeds", str(self.seeds), "status", "--json", data=self.data, timeout=60)
        assert done.returncode == 0, done.stderr
        return {o["id"]: o for o in json.loads(done.stdout)["outlets"]}


def processes_running(marker: str) -> list[int]:
    """Live processes whose command line mentions marker (a crawl's workers carry its command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile")
    with HostileMirror() as mirror:
        seeds = mirror.seeds(data / "hostile.toml")
        done = subprocess.run([sys.executable, "-c", CRAWL, str(seeds), str(data / "warta.sqlite3")], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        leftover = wait_gone(processes_running(str(seeds)), 5)
        yield Crawled(mirror, data, seeds, done.stderr, leftover)


def test_every_hostile_crawl_ends_and_leaves_no_process_and_no_connection(crawled):
    assert not crawled.leftover, "crawl processes outlived the crawl"
    ports = {s.port for s in crawled.mirror.sites.values()}
    established = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            remote_port, state = int(fields[2].split(":")[1], 16), fields[3]
            if remote_port in ports and state == "01":  # a client's connection to a hostile site, still open
                established.append(line)
    assert not established
    assert "Traceback" not in crawled.stderr
    statuses = crawled.status()
    assert set(statuses) == set(crawled.mirror.sites)
    assert {n: s["last_run"]["result"] for n, s in statuses.items() if s["last_run"]["result"] != "ok"} == {
        "robots5xx": "failed", "robotsdeny": "blocked"}


def test_redirects_to_other_hosts_and_ports_are_never_requested(crawled):
    victims = crawled.mirror.victims
    assert victims.other_host.hits == [] and victims.other_port.hits == []  # 127.0.0.9 and the "admin" port
    run, stats = crawled.run("offsite")
    assert run.result == "ok" and stats["warta/skipped/offsite-redirect"] == 3  # two 30x and a meta refresh
    assert [a.title for a in crawled.stored("offsite").values()] == ["Apel Gabungan Pemko Binjai Senin"]


def test_robots_txt_answering_5xx_means_nothing_is_fetched(crawled):
    """RFC 9309 2.3.1.4: an unreachable robots.txt (server error) is complete disallow."""
    assert set(crawled.mirror.sites["robots5xx"].paths()) == {"/robots.txt"}  # retried, nothing else
    run, stats = crawled.run("robots5xx")
    assert run.result == "failed" and "503" in run.error and "RFC 9309" in run.error  # a broken server
    assert stats["warta/robots/unreachable"] == 1 and not crawled.stored("robots5xx")


def test_robots_txt_disallowing_everything_is_the_outlets_choice_not_a_failure(crawled):
    assert crawled.mirror.sites["robotsdeny"].paths() == ["/robots.txt"]
    run, _ = crawled.run("robotsdeny")
    assert run.result == "blocked" and "robots.txt disallows warta" in run.error
    status = crawled.status()["robotsdeny"]
    assert status["health"] == "blocked" and status["failures"] == 0  # no backoff: on schedule
    assert status["last_error_kind"] == "robots"
    text = warta("--seeds", str(crawled.seeds), "status", data=crawled.data, timeout=60)
    assert "BLOCKED by robots.txt" in text.stdout


def test_robots_txt_is_fetched_once_per_crawl(crawled):
    for name, site in crawled.mirror.sites.items():
        if name != "robots5xx":  # that one is retried as a server error
            assert site.paths().count("/robots.txt") == 1, name


def test_retry_after_pauses_the_whole_host_and_the_status_says_so(crawled):
    hits = crawled.mirror.sites["retryafter"].hits
    [asked_at] = [at for path, at in hits if path.startswith("/2025/")][:1]
    after = [at - asked_at for path, at in hits if at > asked_at]
    assert after and min(after) >= 2.5, after  # Retry-After: 3, and nothing went out to the host meanwhile
    run, stats = crawled.run("retryafter")
    assert run.result == "ok" and run.new == 8 and stats["warta/paused/retry-after"] == 1
    assert "Retry-After" in crawled.status()["retryafter"]["last_error"]


def test_soft_404_and_challenge_pages_are_not_news(crawled):
    stored = crawled.stored("soft404")
    assert [a.title for a in stored.values()] == ["Apel Gabungan Pemko Binjai Senin"]
    rejects = crawled.rejects("soft404")
    assert sorted(rejects.values()) == ["error-page", "error-page"]  # the challenge is not remembered
    run, stats = crawled.run("soft404")
    assert run.rejected == {"error-page": 2, "challenge": 1} and stats["warta/blocked/challenge"] == 1
    assert "diblokir" in crawled.status()["soft404"]["last_error"]


def test_one_article_under_four_urls_is_fetched_and_stored_once(crawled):
    assert crawled.article_hits("twins") == [slug("wali-kota-binjai-resmikan-pasar-tavip")]
    [url] = crawled.stored("twins")
    assert url.endswith(slug("wali-kota-binjai-resmikan-pasar-tavip")) and "print" not in url


def test_mislabelled_charsets_are_read_as_what_the_bytes_are(crawled):
    titles = sorted(a.title for a in crawled.stored("charset").values())
    assert titles == sorted([MISLABELLED_CP1252, MISLABELLED_UTF8])
    assert not any("\ufffd" in a.text or "Ã" in a.text for a in crawled.stored("charset").values())
    assert crawled.run("charset")[1]["warta/charset/mislabelled"] == 2


def test_a_gzip_bomb_sitemap_is_an_error_of_the_run_and_the_feed_still_works(crawled):
    run, stats = crawled.run("gzipbomb")
    assert run.result == "ok" and run.new == 1 and stats["warta/errors/too-large"] == 1
    assert "gzip" in crawled.status()["gzipbomb"]["last_error"]


def test_endless_pages_and_black_holes_are_named_and_the_rest_is_stored(crawled):
    run, _ = crawled.run("endless")
    assert run.rejected == {"too-large": 1} and run.new == 1
    run, _ = crawled.run("blackhole")
    assert run.rejected == {"timeout": 2} and run.new == 1  # the black hole and the trickle


def test_binary_truncated_and_looping_pages_are_rejected_by_name(crawled):
    run, _ = crawled.run("binary")
    assert run.rejected == {"not-html": 2, "truncated": 1, "redirect-loop": 1} and run.new == 1


def test_endless_calendars_and_huge_listings_stay_bounded(crawled):
    pages = [p for p in crawled.mirror.sites["calendar"].paths() if p.startswith("/page/")]
    assert len(pages) == 5  # max_pages = 6: the home page and five random "next" pages
    assert crawled.run("calendar")[1]["warta/walks/page-cap"] == 1
    run, _ = crawled.run("manylinks")
    assert run.new == 3 and len(crawled.article_hits("manylinks")) == 3
    assert len(crawled.mirror.sites["manylinks"].hits) <= 10  # robots, home, 4 probes, 3 articles


def test_content_nested_past_the_parsers_default_depth_is_kept(crawled):
    [a] = crawled.stored("deep").values()
    assert all(p in a.text for p in PARAGRAPHS)


def test_search_finds_no_error_or_challenge_page(crawled):
    done = warta("--seeds", str(crawled.seeds), "index", data=crawled.data, timeout=120)
    assert done.returncode == 0, done.stderr

    def total(query: str) -> int:
        found = warta("--seeds", str(crawled.seeds), "search", query, "--json", "--no-collapse", data=crawled.data,
                      timeout=60)
        assert found.returncode == 0, found.stderr
        return json.loads(found.stdout)["total"]

    assert total("halaman tidak ditemukan") == 0 and total("memeriksa peramban") == 0
    assert total("Pasar Tavip") == 1  # one row, not four


# -- a crawl stopped with requests in flight --------------------------------------------------------------

@pytest.fixture
def slow_crawl(tmp_path):
    """`warta crawl` of slow_outlet, once a slow article is in flight and the extraction workers run."""
    with HostileSite(slow(20)) as site:
        seeds = site.seeds(tmp_path / "slow.toml", concurrency=2, delay=0.05)  # (a delay: see mirror FIELDS)
        proc = subprocess.Popen([sys.executable, "-m", "warta", "--data", str(tmp_path), "crawl", "--seeds",
                                 str(seeds)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not (sum(p in SLOW for p in site.paths()) >= 1 and children(proc.pid)):
                assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
                time.sleep(0.1)
            yield site, proc
        finally:
            proc.kill()
            proc.communicate()


def listening_sockets(pid: int) -> list[str]:
    """TCP sockets pid listens on (from its fds and /proc/net/tcp*)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                found.append(fields[1])
    return found


def sockets_of(pid: int) -> list[str]:
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).startswith("socket:"):
                out.append(fd.name)
        except OSError:
            continue
    return out


def test_a_crawl_listens_on_no_port_and_its_workers_hold_no_connection(slow_crawl):
    """Scrapy's telnet console and its remote-control HTTP server (which runs code sent to it) would listen
    here; workers forked while downloads were open would hold copies of those connections."""
    site, proc = slow_crawl
    assert listening_sockets(proc.pid) == []
    workers = children(proc.pid)
    assert workers and all(sockets_of(w) == [] for w in workers), [sockets_of(w) for w in workers]


def test_a_stopped_crawl_sends_nothing_new_and_does_not_wait_for_slow_pages(slow_crawl, tmp_path):
    site, proc = slow_crawl
    workers = children(proc.pid)
    stopped_at = time.time()
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=120)  # how long it takes is bench/hostile.py's to measure
    assert not wait_gone(workers, 10)
    assert site.paths(since=stopped_at + 0.5) == []  # nothing new was requested once the stop began
    assert not any(p in SLOW for p in site.completed)  # the slow pages in flight were not waited for
    with Store(tmp_path / "warta.sqlite3") as store:
        [run] = store.runs("trap")
    assert run.result == "interrupted" and run.new == 1  # recorded with what it stored
