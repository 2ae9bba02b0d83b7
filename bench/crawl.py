"""Crawl benchmark: a full first crawl of a large outlet mirror, politeness delays off.

    python bench/crawl.py [--articles 5400] [--workers 2]

Starts the mirror in its own process (as the real web would be), then runs `warta crawl` over it and
prints pages/s, articles/s, CPU seconds per article (crawler and extraction workers) and the crawler's
memory as the crawl grows. Needs ../shared/corpus for realistic text; without it the mirror composes
articles from the seed paragraphs.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (the extraction workers), in kB."""
    total, pids = 0, [pid]
    while pids:
        p = pids.pop()
        try:
            total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{p}/status").read_text()).group(1))
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (OSError, AttributeError):
            continue
        pids += [int(c) for c in children]
    return total


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def start_mirror(tmp: Path, per_site: int, port: int) -> tuple[subprocess.Popen, Path]:
    """`warta mirror` in its own process (as the real web would be), serving once this returns; and the
    registry file that points at it."""
    seeds = tmp / "mirror.toml"
    mirror = subprocess.Popen([sys.executable, "-m", "warta", "--data", str(tmp), "mirror", "--articles",
                               str(per_site), "--reserve", "0", "--port", str(port), "--seeds-out", str(seeds)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    for line in mirror.stdout:
        if line.startswith("serving"):
            break
    return mirror, seeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5400, help="articles in the mirror, all sites together")
    parser.add_argument("--workers", type=int, default=2, help="extraction worker processes")
    parser.add_argument("--port", type=int, default=8900)
    args = parser.parse_args()
    per_site = max(1, args.articles // 9)
    with tempfile.TemporaryDirectory(prefix="warta-bench-") as tmp:
        tmp = Path(tmp)
        mirror, seeds = start_mirror(tmp, per_site, args.port)
        env = {**os.environ, "WARTA_EXTRACT_WORKERS": str(args.workers)}
        before = os.times()
        start = time.monotonic()
        crawl = subprocess.Popen([sys.executable, "-m", "warta", "--data", str(tmp), "crawl", "--seeds", str(seeds)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        samples = []
        while crawl.poll() is None:
            time.sleep(1.0)
            kb = tree_rss_kb(crawl.pid)
            if kb:  # 0 once the crawler has exited between poll() and the reading
                samples.append((stored(tmp / "warta.sqlite3"), kb))
        out, err = crawl.communicate()
        wall = time.monotonic() - start
        after = os.times()
        mirror.send_signal(signal.SIGINT)
        mirror.wait(timeout=30)
        print(out)
        if crawl.returncode not in (0, 1):
            print(err[-3000:], file=sys.stderr)
            return 1
        with sqlite3.connect(tmp / "warta.sqlite3") as conn:
            articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            pages = conn.execute("SELECT SUM(pages) FROM crawl_runs").fetchone()[0] or 0
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        print(f"mirror articles: {per_site * 9} (those under robots.txt-disallowed paths must not be stored), "
              f"stored: {articles}, pages fetched: {pages}, wall: {wall:.1f} s")
        print(f"pages/s: {pages / wall:.1f}   articles/s: {articles / wall:.1f}   "
              f"CPU s/article (crawler + workers): {cpu / max(1, articles):.4f}")
        peak = max((kb for _, kb in samples), default=0)
        print(f"peak memory (crawler + workers): {peak / 1024:.0f} MB")
        marks = [samples[int(len(samples) * f) - 1] for f in (0.25, 0.5, 0.75, 1.0)] if len(samples) >= 4 else samples
        print("memory as the crawl grows: " + ", ".join(f"{n} articles {kb / 1024:.0f} MB" for n, kb in marks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
