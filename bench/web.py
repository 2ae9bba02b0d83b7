"""Web benchmark: /api/search under concurrent clients, at 100,000 articles.

    python bench/web.py [--articles 100000] [--clients 1 4 16] [--seconds 20] [--data DIR] [--workers 1 2]

Builds a store and index of composed corpus articles as bench/index.py does (or uses --data DIR holding
warta.sqlite3 and index/ from `bench/index.py --keep`), starts `warta serve --workers W` (waitress for 1,
gunicorn workers for more; 8 threads each) for each W of --workers, and runs each number of clients
(threads with keep-alive connections, the query mix of bench/index.py, each query with its filters) for a
fixed time. Prints requests/s, p50/p95/max latency
and errors per concurrency. Client and server share the machine's two cores.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.index import QUERIES, compose, fill_store, percentiles  # noqa: E402
from indexer.index import update  # noqa: E402
from tests.conftest import warta_server  # noqa: E402


def query_paths() -> list[str]:
    paths = []
    for text, filters in QUERIES:
        params = {"q": text}
        for key, value in filters.items():
            name = {"outlets": "outlet", "regions": "region", "date_from": "from", "date_to": "to"}.get(key, key)
            params[name] = [str(v) for v in value] if isinstance(value, tuple) else str(value)
        paths.append("/api/search?" + urlencode(params, doseq=True))
    return paths


def client(port: int, paths: list[str], offset: int, until: float, out: list[float], errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out.append((time.perf_counter() - started) * 1000)
    conn.close()


def run(port: int, clients: int, seconds: float) -> tuple[float, list[float], list[str]]:
    paths = query_paths()
    latencies: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, paths, k * 7, until, latencies, errors))
               for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started, latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=20.0, help="per concurrency level")
    parser.add_argument("--data", type=Path, help="an existing data dir (warta.sqlite3 + index/)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1],
                        help="warta serve --workers values to compare in one run (default: 1 and the cores)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warta-bench-web-") as tmp:
        data = args.data or Path(tmp)
        if not args.data:
            print(f"building {args.articles} articles ...", flush=True)
            fill_store(data / "warta.sqlite3", compose(args.articles))
            update(data / "index", data / "warta.sqlite3")
        for workers in args.workers:
            with warta_server(data, args=("--workers", str(workers))) as base:
                port = int(base.rsplit(":", 1)[1])
                run(port, 4 * workers, 5)  # every worker opens the index and fills its catalog before measuring
                for clients in args.clients:
                    elapsed, ms, errors = run(port, clients, args.seconds)
                    ms.sort()
                    p50, p95 = percentiles(ms)
                    print(f"{workers} worker{'s' if workers > 1 else ' '} {clients:>3} clients: "
                          f"{len(ms) / elapsed:7.1f} requests/s, p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, "
                          f"max {ms[-1]:7.1f} ms, {len(errors)} errors ({len(ms)} requests)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
