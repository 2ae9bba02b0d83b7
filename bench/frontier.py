"""Crawl throughput with 1, 2 and 3 crawl processes on one shared frontier (Redis) against the mirror.

    python bench/frontier.py [--articles 1800] [--processes 1 2 3] [--workers 1]

Starts the mirror in its own process and a redis-server of its own, then, for each process count, crawls
every mirror outlet into a fresh store with that many `warta crawl --frontier` processes at once (each with
--workers extraction workers) and prints pages/s, articles/s and CPU seconds per article (crawlers and
their workers together). Politeness delays are off (the mirror is ours), so this measures what the
frontier costs and what more processes buy on this machine's cores, not a real outlet's pace.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.crawl import start_mirror  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(n: int, tmp: Path, seeds: Path, frontier: str, workers: int) -> dict:
    store = tmp / f"store-{n}.sqlite3"
    env = {**os.environ, "WARTA_EXTRACT_WORKERS": str(workers)}
    before, start = os.times(), time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-m", "warta", "--data", str(tmp / f"m{n}-{i}"), "--store",
                               str(store), "--seeds", str(seeds), "crawl", "--frontier", frontier],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
             for i in range(n)]
    outs = [p.communicate() for p in procs]
    wall = time.monotonic() - start
    after = os.times()
    for p, (_, err) in zip(procs, outs, strict=True):
        if p.returncode not in (0, 1):
            print(err[-2000:], file=sys.stderr)
    with sqlite3.connect(store) as conn:
        articles, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT url) FROM articles").fetchone()
        pages = conn.execute("SELECT SUM(pages) FROM crawl_runs").fetchone()[0] or 0
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"processes": n, "wall": wall, "pages": pages, "articles": articles, "distinct": distinct,
            "cpu": cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1800, help="articles in the mirror, all sites together")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--workers", type=int, default=1, help="extraction worker processes per crawl process")
    parser.add_argument("--port", type=int, default=8930)
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        print("bench/frontier.py needs redis-server (Debian's redis-server package)", file=sys.stderr)
        return 1
    per_site = max(1, args.articles // 9)
    with tempfile.TemporaryDirectory(prefix="warta-bench-frontier-") as tmp:
        tmp = Path(tmp)
        port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
        mirror, seeds = start_mirror(tmp, per_site, args.port)
        try:
            time.sleep(0.5)
            print(f"mirror: {per_site * 9} articles on 9 outlets; {os.cpu_count()} cores; "
                  f"{args.workers} extraction worker(s) per crawl process")
            print(f"{'processes':>9} {'wall s':>7} {'pages':>6} {'stored':>6} {'once':>5} {'pages/s':>8} "
                  f"{'art/s':>6} {'CPU s/art':>9}")
            for n in args.processes:
                r = run(n, tmp, seeds, f"redis://127.0.0.1:{port}/{n}", args.workers)
                print(f"{r['processes']:>9} {r['wall']:>7.1f} {r['pages']:>6} {r['articles']:>6} "
                      f"{'yes' if r['articles'] == r['distinct'] else 'NO':>5} {r['pages'] / r['wall']:>8.1f} "
                      f"{r['articles'] / r['wall']:>6.1f} {r['cpu'] / max(1, r['articles']):>9.4f}")
        finally:
            redis.terminate()
            mirror.send_signal(signal.SIGINT)
            mirror.wait(timeout=30)
            redis.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
