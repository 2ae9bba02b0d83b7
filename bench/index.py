"""Index and query benchmark: warta's Whoosh index at 10,000 and 100,000 articles.

    python bench/index.py [--sizes 10000 100000] [--baseline-max 10000] [--keep DIR] [--incremental 1000]

Articles are composed from real paragraphs of ../shared/corpus (6 to 12 each, about 600 words, corpus
titles, the registry's outlets and regions, dates over 2022-2025) and written to a fresh store; then
`indexer.index.update` builds the index from it (store reads included, store writes not). Printed per size:
articles/s indexed, index size, and query latency p50/p95 for a fixed query mix, each query with facet
counts, a highlighted snippet per hit and a did-you-mean check, as `warta search` runs it.

The baseline is a plain Whoosh index of the same articles (StandardAnalyzer, one writer, `groupedby`
facets and `hit.highlights`), built in the same run for sizes up to --baseline-max: the machines are
shared and noisy, so ratios say more than absolute times.

Also per size: the resident memory of a `warta serve --workers 1` process on that data directory after it
has answered the query mix once over HTTP, and (--incremental N) the seconds `warta index` takes to bring
the index up to date after N new articles reach the store.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.index import update  # noqa: E402
from indexer.search import Searcher, SearchRequest  # noqa: E402
from mirror.texts import corpus_texts  # noqa: E402
from registry import load_registry  # noqa: E402
from store import Article, Store  # noqa: E402

# (query, filters): plain words, acronyms and aliases, phrases, exclusions, OR, field search, filters, sorts.
QUERIES: list[tuple[str, dict]] = [
    ("banjir", {}),
    ("kpk korupsi", {}),
    ("pelayanan publik", {}),
    ("presiden prabowo", {}),
    ("harga beras", {}),
    ("pemko medan", {}),
    ("dinas kesehatan", {}),
    ("walikota siantar", {}),
    ("\"bank indonesia\"", {}),
    ("\"suku bunga\" inflasi", {}),
    ("korupsi -kpk", {}),
    ("kemiskinan OR bansos", {}),
    ("title:tambang", {}),
    ("pendidikan sekolah", {"sort": "newest"}),
    ("utang negara", {"sort": "oldest"}),
    ("banjir", {"outlets": ("waspada",)}),
    ("pajak", {"regions": ("Provinsi Sumatera Utara",)}),
    ("mahasiswa demo", {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}),
    ("polusi udara jakarta", {"sort": "newest", "outlets": ("tri3news", "sumutpos")}),
    ("pelayann", {}),  # misspelt: exercises the suggestion
]


START, DAYS = datetime(2022, 1, 1, tzinfo=UTC), 4 * 365  # the composed articles' dates: 2022 to 2025


def compose(n: int, seed: int = 7, first: int = 0, start: datetime = START, days: int = DAYS) -> list[Article]:
    texts = corpus_texts()
    if not texts:
        sys.exit("bench/index.py needs ../shared/corpus/detik-2025.csv (or WARTA_CORPUS)")
    rng = random.Random(seed)
    outlets = load_registry()
    pool = [p for t in texts for p in t.paragraphs if len(p.split()) >= 8]
    span = days * 24 * 3600
    out = []
    for i in range(first, first + n):
        outlet = outlets[i % len(outlets)]
        title = texts[rng.randrange(len(texts))].title
        out.append(Article(url=f"{outlet.url.rstrip('/')}/bench/{i}", outlet=outlet.id, title=title,
                           text="\n\n".join(rng.sample(pool, rng.randint(6, 12))),
                           published=start + timedelta(seconds=rng.randrange(span)),
                           author=f"Penulis {i % 37}", regions=outlet.regions))
    return out


def fill_store(path: Path, articles: list[Article]) -> None:
    with Store(path) as store:
        store.db.execute("PRAGMA synchronous=OFF")
        for a in articles:
            store.save(a)


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def percentiles(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]


def run_queries(searcher: Searcher, rounds: int) -> tuple[float, list[float], list[float]]:
    """Seconds to open the index, then latencies (ms) of the first pass (no posting list cached yet)
    and of the later passes (the same queries again, as a busy search page sees them)."""
    started = time.perf_counter()
    searcher.search(SearchRequest("pembukaan"))  # opens the index and reads the facet catalog once
    opened = time.perf_counter() - started
    first, again = [], []
    for round_ in range(rounds):
        for text, filters in QUERIES:
            started = time.perf_counter()
            result = searcher.search(SearchRequest(text, **filters))
            [h.snippet.html() for h in result.hits]
            (first if round_ == 0 else again).append((time.perf_counter() - started) * 1000)
    return opened, first, again


@contextlib.contextmanager
def serving(data: Path, *args: str):
    """`warta serve --workers 1` (plus args) on data, on a free port, once it answers: (process, base URL)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "warta", "--data", str(data), "serve", "--workers", "1",
                             "--port", str(port), *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/api/status", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        yield proc, base
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def serve_memory_mb(data: Path) -> tuple[float, float, float]:
    """Resident memory (MB) of `warta serve --workers 1` on data after one pass of the query mix over HTTP:
    all, its own (anonymous), and pages of the index files it has mapped (shared with the page cache)."""
    with serving(data) as (proc, base):
        for text, _filters in QUERIES:
            urllib.request.urlopen(f"{base}/api/search?{urllib.parse.urlencode({'q': text})}", timeout=120).read()
        status = dict(line.split(":", 1) for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines())
        return tuple(int(status[k].split()[0]) / 1024 for k in ("VmRSS", "RssAnon", "RssFile"))


def incremental_seconds(here: Path, new: int) -> float:
    """Seconds for `indexer.index.update` after `new` articles reach the store (store writes not counted).

    An untimed update first brings the index in step with the store (a kept index may lag it, or predate
    its change log); the new articles take URLs no earlier run used and are the next three days' news.
    """
    names = {o.id: o.name for o in load_registry()}
    update(here / "index", here / "warta.sqlite3", names)
    with Store(here / "warta.sqlite3") as store:
        first = 10_000_000 + store.count()
    fill_store(here / "warta.sqlite3", compose(new, seed=11, first=first, start=START + timedelta(days=DAYS), days=3))
    started = time.perf_counter()
    update(here / "index", here / "warta.sqlite3", names)
    return time.perf_counter() - started


def baseline(articles: list[Article], where: Path, rounds: int) -> tuple[float, float, float]:
    """Plain Whoosh, used the straightforward way: articles/s, then warm query p50/p95 (ms)."""
    from whoosh import index as wi
    from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
    from whoosh.qparser import MultifieldParser
    from whoosh.sorting import FieldFacet

    schema = Schema(url=ID(stored=True, unique=True), outlet=ID(stored=True, sortable=True),
                    outlet_name=STORED(), title=TEXT(stored=True), body=TEXT(stored=True),
                    published=DATETIME(stored=True, sortable=True))
    where.mkdir(parents=True)
    ix = wi.create_in(str(where), schema)
    started = time.perf_counter()
    writer = ix.writer(limitmb=256)
    for a in articles:
        writer.add_document(url=a.url, outlet=a.outlet, outlet_name=a.outlet, title=a.title, body=a.text,
                            published=a.published.replace(tzinfo=None))
    writer.commit()
    rate = len(articles) / (time.perf_counter() - started)
    parser = MultifieldParser(["title", "body"], schema)
    times = []
    with ix.searcher() as s:
        for round_ in range(rounds):
            for text, _filters in QUERIES:
                t0 = time.perf_counter()
                results = s.search(parser.parse(text), limit=10, groupedby={"outlet": FieldFacet("outlet")})
                results.groups("outlet")
                [hit.highlights("body") for hit in results]
                if round_ or rounds == 1:  # warm, as warta's figures are
                    times.append((time.perf_counter() - t0) * 1000)
    return (rate, *percentiles(times))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query mix")
    parser.add_argument("--baseline-max", type=int, default=10_000, help="largest size to build plain Whoosh at")
    parser.add_argument("--keep", type=Path, help="build under this directory and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: query the index kept there, build nothing")
    parser.add_argument("--incremental", type=int, default=0, metavar="N",
                        help="then time `warta index` after N new articles")
    parser.add_argument("--no-serve", action="store_true", help="skip the `warta serve` memory measurement")
    args = parser.parse_args()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="warta-bench-index-"))
    rows = []
    try:
        for n in args.sizes:
            here = tmp / f"n{n}"
            if args.reuse and args.keep:
                articles, rate = [], float("nan")
            else:
                shutil.rmtree(here, ignore_errors=True)
                here.mkdir(parents=True)
                articles = compose(n)
                fill_store(here / "warta.sqlite3", articles)
                if n > args.baseline_max:
                    articles = []
                # As `warta index` finds it: a store on disk, not in dirty pages, and no bench-made articles
                # for the collector to walk in this process and every process forked from it.
                os.sync()
                gc.collect()
                gc.freeze()
                names = {o.id: o.name for o in load_registry()}
                report = update(here / "index", here / "warta.sqlite3", names)
                gc.unfreeze()
                rate = n / report.seconds
            opened, first, again = run_queries(Searcher(here / "index"), args.rounds)
            p50, p95 = percentiles(again or first)
            f50, f95 = percentiles(first)
            row = {"n": n, "rate": rate, "mb": size_mb(here / "index"), "p50": p50, "p95": p95}
            print(f"warta  {n:>7} articles: {rate:7.0f} articles/s, index {row['mb']:7.1f} MB, "
                  f"open {opened:.1f} s, query warm p50 {p50:6.1f} ms, p95 {p95:6.1f} ms ({len(again)} queries); "
                  f"first pass p50 {f50:6.1f} ms, p95 {f95:6.1f} ms ({len(first)} queries)", flush=True)
            if n <= args.baseline_max and articles:
                b_rate, b50, b95 = baseline(articles, here / "plain", args.rounds)
                row.update(b_rate=b_rate, b50=b50, b95=b95)
                print(f"plain  {n:>7} articles: {b_rate:7.0f} articles/s, index {size_mb(here / 'plain'):7.1f} MB, "
                      f"query p50 {b50:6.1f} ms, p95 {b95:6.1f} ms", flush=True)
                print(f"ratio  {n:>7} articles: indexing x{rate / b_rate:.2f}, p50 x{b50 / p50:.1f} faster, "
                      f"p95 x{b95 / p95:.1f} faster", flush=True)
            if not args.no_serve:
                rss, anon, mapped = serve_memory_mb(here)
                print(f"serve  {n:>7} articles: warta serve --workers 1 resident memory {rss:.0f} MB after the "
                      f"query mix ({anon:.0f} MB its own, {mapped:.0f} MB mapped index files)", flush=True)
            if args.incremental:
                seconds = incremental_seconds(here, args.incremental)
                print(f"update {n:>7} articles: warta index after {args.incremental} new articles: {seconds:.1f} s",
                      flush=True)
            rows.append(row)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
