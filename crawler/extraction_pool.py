"""Run extraction in worker processes: trafilatura is CPU-bound and would otherwise stall the reactor,
capping a crawl at one core no matter how many outlets it fetches from."""

from __future__ import annotations

import asyncio
import atexit
from concurrent.futures import ProcessPoolExecutor

from crawler.extract import extract as extract_article
from indexer.records import Article
from warta.registry import Outlet

_pool: ProcessPoolExecutor | None = None


def _executor(workers: int) -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=workers)
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool


async def extract(html: str, url: str, outlet: Outlet, workers: int) -> Article:
    """Extract in a worker process (or inline with workers=0); Rejected propagates as raised."""
    if workers <= 0:
        return extract_article(html, url, outlet)
    future = _executor(workers).submit(extract_article, html, url, outlet)
    return await asyncio.wrap_future(future)
