"""Past one machine, run here: two crawler machines sharing one crawl frontier on Redis and, with an
indexer, one PostgreSQL store; two web hosts serving published copies (the machines are separate data
directories on loopback, as in docs/scaling.md's recipe). Both crawlers crawl every outlet together, yet
every article is stored once, and both web hosts answer what the indexer indexed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from store import open_store
from tests.conftest import ROOT, warta, warta_server

pytestmark = pytest.mark.slow


def test_two_crawlers_one_postgresql_store_one_indexer_two_web_hosts(search_data, postgres_server, redis_server,
                                                                      tmp_path):
    url = postgres_server.database()
    machines = {name: tmp_path / name for name in ("crawler1", "crawler2", "indexer", "web1", "web2")}
    env = {"WARTA_STORE": url, "WARTA_FRONTIER": redis_server.url()}
    crawls = [subprocess.Popen([sys.executable, "-m", "warta", "--data", str(machines[m]), "--seeds",
                                str(search_data.seeds), "schedule", "--once", "--no-index"], cwd=ROOT,
                               env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for m in ("crawler1", "crawler2")]
    outputs = [c.communicate(timeout=300) for c in crawls]
    assert all(c.returncode == 0 for c in crawls), outputs
    assert not any((machines[m] / "index").exists() for m in ("crawler1", "crawler2"))  # crawling only
    with open_store(url, readonly=True) as store, open_store(search_data.store, readonly=True) as alone:
        assert store.hashes() == alone.hashes()  # everything, once
        crawled = store.runs(limit=500)
        assert {r.outlet for r in crawled} == set(search_data.mirror.sites)
        assert all(r.result == "ok" for r in crawled), [(r.outlet, r.result, r.error) for r in crawled]
    indexed = warta("index", "--publish", str(machines["web1"] / "index"), "--publish",
                    str(machines["web2"] / "index"), data=machines["indexer"], env=env)
    assert indexed.returncode == 0 and indexed.stdout.count("published") == 2, indexed.stdout + indexed.stderr
    totals = []
    for host in ("web1", "web2"):
        with warta_server(machines[host], search_data.seeds) as base:
            with urllib.request.urlopen(f"{base}/api/search?q=pemerintah", timeout=60) as response:
                totals.append(json.load(response)["total"])
    alone = json.loads(warta("search", "pemerintah", "--json", data=search_data.data).stdout)["total"]
    assert totals == [alone, alone] and alone > 0
