"""Soak: `warta serve` and `warta schedule` run for a while as an operator runs them, clients search all along.

    python bench/soak.py [--seconds 600] [--clients 8] [--articles 40] [--edit-every 5]

Starts the outlet mirror (publishing a new article per site every few seconds), `warta schedule`
(every outlet every 10 s, index update after each crawl) and `warta serve`, all as separate processes
over one data directory. Meanwhile an editor thread edits and deletes stored articles and runs
`warta index` every --edit-every seconds (what `warta reextract` and takedowns do to a live store),
and --clients threads page through /api/search with the query mix, every sort.

Checks, printed at the end (exit 1 if any fails):
- no response other than 200, no article twice in one page;
- after the last update, every query's total and hit ids from the running server equal a searcher
  opened fresh on the same index, and the server's article count equals the store's;
- the server's memory (RSS) sampled every 10 s: first, last and max printed (flat means no leak).
It is a benchmark, not a test: it needs minutes, and it reads nothing outside the repository.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.search import SORTS, Searcher, SearchRequest  # noqa: E402
from mirror.build import MirrorConfig  # noqa: E402
from mirror.server import Mirror  # noqa: E402
from store import Store  # noqa: E402
from tests.conftest import children, warta, warta_server  # noqa: E402

QUERIES = ["kota", "pemko OR pemkab", "wali kota", "banjir OR jalan", "dinas kesehatan", "pelayanan publik",
           "anggaran", "warga -medan", "sekolah OR puskesmas", "bupati"]


def get_json(conn: http.client.HTTPConnection, path: str) -> tuple[int, dict]:
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status, (json.loads(body) if body else {})


def client(port: int, seed: int, until: float, stats: dict, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        params = {"q": rng.choice(QUERIES), "sort": rng.choice(SORTS), "page": rng.choice((1, 1, 2, 3)),
                  "per_page": rng.choice((10, 20, 50))}
        path = "/api/search?" + urlencode(params)
        try:
            status, body = get_json(conn, path)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            with lock:
                stats["errors"].append(f"{type(exc).__name__}: {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        ids = [h["id"] for h in body.get("hits", [])]
        with lock:
            stats["requests"] += 1
            if status != 200:
                stats["errors"].append(f"{status} {path}")
            if len(ids) != len(set(ids)):
                stats["duplicates"].append(path)


def editor(data: Path, every: float, until: float, stats: dict, lock: threading.Lock) -> None:
    """Edits and deletes stored articles, then runs `warta index`, as reextraction and takedowns do."""
    rng = random.Random(99)
    round_ = 0
    while time.monotonic() < until:
        time.sleep(every)
        round_ += 1
        with Store(data / "warta.sqlite3") as store:
            articles = list(store.articles())
            for a in rng.sample(articles, min(3, len(articles))):
                store.save(replace(a, text=a.text + f"\n\nPembaruan redaksi nomor {round_}."))
            for a in rng.sample(articles, min(1, len(articles))):
                store.delete(a.url)
        result = warta("index", data=data, timeout=600)
        with lock:
            stats["edits"] += 1
            if result.returncode != 0:
                stats["errors"].append(f"warta index failed: {result.stderr[-300:]}")


def rss_mb(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def final_check(base: str, data: Path) -> list[str]:
    """The running server against a searcher opened fresh now, query by query, every sort."""
    problems = []
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    fresh = Searcher(data / "index")
    for query in QUERIES:
        for sort in SORTS:
            expected = fresh.search(SearchRequest(query, sort=sort, per_page=50))
            status, body = get_json(conn, "/api/search?" + urlencode({"q": query, "sort": sort, "per_page": 50}))
            got = [h["id"] for h in body.get("hits", [])]
            if status != 200 or body.get("total") != expected.total or got != [h.article.id for h in expected.hits]:
                problems.append(f"{query!r} {sort}: server total {body.get('total')} vs fresh {expected.total}")
    with Store(data / "warta.sqlite3") as store:
        stored = store.count()
    _, outlets = get_json(conn, "/api/outlets")
    served = sum(o["articles"] for o in outlets["outlets"])
    if served != stored:
        problems.append(f"server counts {served} articles, the store holds {stored}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--articles", type=int, default=40, help="mirror articles per site at start")
    ap.add_argument("--edit-every", type=float, default=5.0)
    args = ap.parse_args()

    config = MirrorConfig(articles_per_site=args.articles, reserve_per_site=max(10, int(args.seconds // 20)))
    with Mirror(config) as mirror, tempfile.TemporaryDirectory(prefix="warta-soak-") as tmp:
        data = Path(tmp)
        seeds = mirror.write_seeds(data / "mirror.toml")
        first = warta("crawl", "--seeds", str(seeds), data=data, timeout=900)
        assert first.returncode == 0, first.stderr[-2000:]
        assert warta("index", "--seeds", str(seeds), data=data).returncode == 0
        schedule = subprocess.Popen([sys.executable, "-m", "warta", "--data", str(data), "--seeds", str(seeds),
                                     "schedule", "--every", "10s"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        stats: dict = {"requests": 0, "errors": [], "duplicates": [], "edits": 0}
        lock = threading.Lock()
        memory: list[float] = []
        started = time.monotonic()
        until = started + args.seconds
        procs: list = []
        with warta_server(data, seeds, procs=procs) as base:
            port = int(base.rsplit(":", 1)[1])
            pid = procs[0].pid
            releaser_stop = threading.Event()

            def release():
                while not releaser_stop.wait(3):
                    mirror.release()

            threads = [threading.Thread(target=client, args=(port, n, until, stats, lock)) for n in range(args.clients)]
            threads += [threading.Thread(target=editor, args=(data, args.edit_every, until, stats, lock)),
                        threading.Thread(target=release)]
            for t in threads:
                t.start()
            while time.monotonic() < until:
                memory.append(rss_mb([pid, *children(pid)]))
                time.sleep(min(10, max(0.1, until - time.monotonic())))
            for t in threads[:-1]:
                t.join()
            releaser_stop.set()
            threads[-1].join()
            schedule.send_signal(signal.SIGTERM)
            schedule.wait(timeout=300)
            assert warta("index", "--seeds", str(seeds), data=data).returncode == 0
            time.sleep(1)
            problems = final_check(base, data)
            memory.append(rss_mb([pid, *children(pid)]))
        with Store(data / "warta.sqlite3") as store:
            runs = store.runs(limit=100_000)
            stored = store.count()
    elapsed = time.monotonic() - started
    print(f"soak: {elapsed:.0f} s, {args.clients} clients, {stats['requests']} requests "
          f"({stats['requests'] / elapsed:.1f}/s), {len(runs)} crawl runs, {stats['edits']} edit rounds "
          f"+ index updates, {stored} articles at the end")
    print(f"errors: {len(stats['errors'])}  pages with an article twice: {len(stats['duplicates'])}  "
          f"final mismatches with a fresh searcher: {len(problems)}")
    print(f"server RSS MB (all worker processes): first {memory[0]:.0f}, at a third {memory[len(memory) // 3]:.0f}, "
          f"last {memory[-1]:.0f}, max {max(memory):.0f} ({len(memory)} samples)")
    server_log = procs[0].stderr.read() if procs[0].stderr else ""
    if server_log.strip():
        print("server stderr (last lines):\n" + "\n".join(server_log.strip().splitlines()[-15:]))
    for line in (stats["errors"][:5] + stats["duplicates"][:5] + problems[:5]):
        print("  ", line)
    return 1 if stats["errors"] or stats["duplicates"] or problems else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
