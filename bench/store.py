"""The store on PostgreSQL against SQLite: copying, indexing and updating at 100,000 articles (or --size).

    python bench/store.py [--size 100000] [--keep DIR] [--new 1000]

Composes the articles as bench/index.py does into a SQLite store (or reuses DIR/warta.sqlite3), starts a
PostgreSQL server of its own (tests/postgres.py: initdb and pg_ctl in a temporary directory), then prints:
`warta store copy` SQLite -> PostgreSQL (rows/s); `warta index` from nothing from each store (articles/s,
the same code, four worker processes' reads included); and an update after --new articles reach each store
(seconds, the change log followed).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.index import compose, fill_store  # noqa: E402
from indexer.index import update  # noqa: E402
from store import open_store  # noqa: E402
from store.copy import copy  # noqa: E402
from tests.postgres import Postgres  # noqa: E402


def timed(label: str, fn, count: int, unit: str) -> None:
    started = time.perf_counter()
    fn()
    took = time.perf_counter() - started
    print(f"{label}: {count} {unit} in {took:.1f} s, {count / took:,.0f} {unit}/s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the SQLite store here")
    parser.add_argument("--new", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warta-store-") as tmp:
        here = args.keep or Path(tmp)
        here.mkdir(parents=True, exist_ok=True)
        lite = here / "warta.sqlite3"
        if not lite.exists():
            fill_store(lite, compose(args.size))
        server = Postgres()
        try:
            url = server.database()
            with open_store(lite, readonly=True) as source:
                size = source.count()
                with open_store(url) as target:
                    timed("store copy SQLite -> PostgreSQL", lambda: copy(source, target), size, "articles")
            for name, location in (("SQLite", str(lite)), ("PostgreSQL", url)):
                index = Path(tmp) / f"index-{name}"
                timed(f"warta index from nothing, store on {name}", lambda loc=location, ix=index: update(ix, loc),
                      size, "articles")
            extra = compose(args.new, seed=11, first=10_000_000)
            for name, location in (("SQLite", str(lite)), ("PostgreSQL", url)):
                with open_store(location) as store:
                    for a in extra:
                        store.save(a)
                index = Path(tmp) / f"index-{name}"
                started = time.perf_counter()
                report = update(index, location)
                print(f"update after {args.new} new on {name}: {time.perf_counter() - started:.1f} s "
                      f"({report.summary()})", flush=True)
            if args.keep:  # the reused store goes back as it was
                with open_store(lite) as store:
                    for a in extra:
                        store.delete(a.url)
        finally:
            server.stop()
            shutil.rmtree(Path(tmp) / "index-SQLite", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
