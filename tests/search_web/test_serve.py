"""`warta serve --workers N`: pre-forked workers behind one port that follow the index and replace the dead."""

from __future__ import annotations

import json
import os
import random
import signal
import time

from indexer.index import update
from store import Store
from tests.conftest import children, fetch, warta, warta_server
from tests.indexer.test_searcher import article, fill


def total(base: str, query: str = "berita") -> int:
    page = fetch(f"{base}/api/search?q={query}&per_page=1")
    assert page.status == 200, page.text[:300]
    return json.loads(page.body)["total"]


def test_workers_follow_index_updates_and_a_killed_worker_is_replaced(tmp_path):
    fill(tmp_path, 40)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    procs: list = []
    with warta_server(tmp_path, args=("--workers", "2", "--threads", "2"), procs=procs) as base:
        arbiter = procs[0].pid
        deadline = time.monotonic() + 30
        while len(children(arbiter)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = set(children(arbiter))
        assert len(workers) == 2
        assert {total(base) for _ in range(20)} == {40}  # whichever worker answers
        with Store(tmp_path / "warta.sqlite3") as store:
            rng = random.Random(9)
            for n in range(100, 105):
                store.save(article(n, rng))
        update(tmp_path / "index", tmp_path / "warta.sqlite3")
        assert {total(base) for _ in range(20)} == {45}  # every worker moved to the new commit
        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while (len(children(arbiter)) < 2 or killed in children(arbiter)) and time.monotonic() < deadline:
            time.sleep(0.1)
        now = children(arbiter)
        assert len(now) == 2 and killed not in now, (workers, now)  # replaced
        assert {total(base) for _ in range(20)} == {45}
        procs[0].send_signal(signal.SIGTERM)
        assert procs[0].wait(timeout=40) == 0
    assert not children(arbiter)


def test_a_taken_port_is_one_line_and_exit_2_with_workers(tmp_path):
    fill(tmp_path, 5)
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    with warta_server(tmp_path, args=("--workers", "2")) as base:
        port = base.rsplit(":", 1)[1]
        result = warta("serve", "--port", port, "--workers", "2", data=tmp_path, timeout=60)
    assert result.returncode == 2 and "cannot listen" in result.stderr and "Traceback" not in result.stderr
