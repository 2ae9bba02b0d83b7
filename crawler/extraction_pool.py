"""Run extraction in worker processes: trafilatura is CPU-bound and would otherwise stall the reactor,
capping a crawl at one core no matter how many outlets it fetches from.

The workers never outlive the crawl: they die with it even on `kill -9` (warta.processes.die_with_parent:
the kernel's parent-death signal) and stop on SIGTERM (a forked worker would otherwise inherit Scrapy's
handler and ignore it). A pool whose worker died (killed, out of memory) is broken for good in
concurrent.futures; it is replaced by a fresh one and the page is tried once more.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.extract import extract as extract_article
from indexer.records import Article
from warta.processes import die_with_parent
from warta.registry import Outlet

log = logging.getLogger("warta.crawl")

_pool: ProcessPoolExecutor | None = None


def _executor(workers: int) -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        die_with_parent()
        _pool = ProcessPoolExecutor(max_workers=workers)
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool (if no one replaced it yet), so the next call starts a fresh one."""
    global _pool
    if _pool is pool:
        _pool = None
        pool.shutdown(wait=False, cancel_futures=True)


def worker_pids() -> list[int]:
    """The live pool's worker processes (for tests and diagnostics)."""
    return [p.pid for p in (_pool._processes or {}).values()] if _pool is not None else []


async def extract(html: str, url: str, outlet: Outlet, workers: int) -> Article:
    """Extract in a worker process (or inline with workers=0); Rejected propagates as raised."""
    if workers <= 0:
        return extract_article(html, url, outlet)
    for attempt in (1, 2):
        pool = _executor(workers)
        try:
            return await asyncio.wrap_future(pool.submit(extract_article, html, url, outlet))
        except BrokenProcessPool:
            _discard(pool)
            if attempt == 2:
                raise
            log.warning("extraction worker died (extracting %s); starting a fresh pool", url)
    raise AssertionError("unreachable")
