"""Timeline and export benchmark: /api/timeline's and /api/export's work at 100,000 articles (or --size).

    python bench/timeline.py [--size 100000] [--keep DIR] [--serve]

Composes the articles as bench/index.py does (real corpus paragraphs, dates over 2022-2025), builds the
index, then prints: timeline latency p50/p95 for common words (collapsed and not, by month and by the
default interval, with and without `by`), and the export of a common word: rows/s and how much the
process's resident memory grew while writing every row (to /dev/null, as a streamed response does).

--serve measures /api/export through `warta serve --workers 1 --threads 1` (waitress, one thread): the
server's resident memory while a client reads every article, and whether a client that hangs up after the
first 64 kB frees that one thread (the next request is answered, and the server's memory stays put).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.index import compose, fill_store, percentiles, serving  # noqa: E402
from indexer.index import update  # noqa: E402
from indexer.search import Searcher, SearchRequest  # noqa: E402
from search_web.export import lines  # noqa: E402

WORDS = ["pemerintah", "banjir", "presiden", "harga", "pelayanan publik", "korupsi", "sekolah", "jalan"]


def rss_mb() -> float:
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the data here instead of a temporary folder")
    parser.add_argument("--serve", action="store_true", help="also measure /api/export through `warta serve`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warta-timeline-") as tmp:
        here = args.keep or Path(tmp)
        here.mkdir(parents=True, exist_ok=True)
        if not (here / "index").exists():
            fill_store(here / "warta.sqlite3", compose(args.size))
            started = time.perf_counter()
            update(here / "index", here / "warta.sqlite3")
            print(f"{args.size} articles indexed in {time.perf_counter() - started:.0f} s", flush=True)
        searcher = Searcher(here / "index")
        searcher.search(SearchRequest("pembukaan"))  # open the index once
        for label, kwargs in (("collapsed, default interval", {}), ("collapsed, by month", {"interval": "month"}),
                              ("articles (no collapse), by week", {"interval": "week", "collapse": False}),
                              ("collapsed, by outlet", {"by": "outlet"})):
            collapse = kwargs.pop("collapse", True)
            ms = []
            for _ in range(5):
                for word in WORDS:
                    started = time.perf_counter()
                    t = searcher.timeline(SearchRequest(word, collapse=collapse), **kwargs)
                    ms.append((time.perf_counter() - started) * 1000)
            p50, p95 = percentiles(ms)
            print(f"timeline, {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(ms)} timelines; 'jalan': "
                  f"{t.total} matches in {len(t.starts)} {t.interval} bars)", flush=True)
        for word in ("pemerintah", ""):
            request = SearchRequest(word, collapse=False, match_all=True, sort="newest")
            before = rss_mb()
            peak, rows = before, 0
            started = time.perf_counter()
            with open("/dev/null", "w", encoding="utf-8") as sink:
                for line in lines(searcher.export(request), "csv"):
                    sink.write(line)
                    rows += 1
                    if rows % 5000 == 0:
                        peak = max(peak, rss_mb())
            took = time.perf_counter() - started
            print(f"export {word or '(every article)'!r} as CSV: {rows - 1} rows in {took:.1f} s, "
                  f"{(rows - 1) / took:.0f} rows/s; resident memory grew {max(peak, rss_mb()) - before:.0f} MB",
                  flush=True)
    if args.serve:
        serve_export(here)
    return 0


def serve_export(data: Path) -> None:
    import socket
    import urllib.request

    with serving(data, "--threads", "1") as (proc, base):
        def rss() -> float:
            return int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{proc.pid}/status").read_text()).group(1)) / 1024

        urllib.request.urlopen(f"{base}/api/search?q=pemerintah", timeout=60).read()
        before, peak, size = rss(), 0.0, 0
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/api/export?format=csv", timeout=600) as response:
            while chunk := response.read(1 << 20):
                size += len(chunk)
                peak = max(peak, rss())
        took = time.perf_counter() - started
        print(f"served export of every article: {size / 1e6:.0f} MB in {took:.1f} s; server memory {before:.0f} MB "
              f"before, {peak:.0f} MB at most while streaming (+{peak - before:.0f} MB)", flush=True)
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.sendall(b"GET /api/export?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            client.recv(65536)
        started = time.perf_counter()
        answered = urllib.request.urlopen(f"{base}/api/search?q=banjir", timeout=60).status
        print(f"a client hung up after 64 kB: the next request (one server thread) answered {answered} in "
              f"{time.perf_counter() - started:.2f} s; server memory then {rss():.0f} MB", flush=True)


if __name__ == "__main__":
    sys.exit(main())
