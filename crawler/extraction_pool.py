"""Run extraction in worker processes: trafilatura is CPU-bound and would otherwise stall the reactor,
capping a crawl at one core no matter how many outlets it fetches from.

The workers never outlive the crawl: they die with it even on `kill -9` (runtime.processes.die_with_parent:
the kernel's parent-death signal) and stop on SIGTERM (a forked worker would otherwise inherit Scrapy's
handler and ignore it). A pool whose worker died (killed, out of memory) is broken for good in
concurrent.futures; it is replaced by a fresh one and the page is tried once more.

Extraction never raises anything but Rejected; an unexpected error inside it falls back for that part and is
counted in crawler.extract.ERRORS of the process it ran in (a worker). extract() brings those counts back
with the article, so the crawl run can report them (Extracted.errors; Rejected("extract-error") when nothing
could mend it).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TypeVar

from crawler import extract as extraction
from crawler.extract import Rejected
from registry import Outlet
from runtime.processes import close_inherited_sockets, die_with_parent, sigterm_held
from store import Article

log = logging.getLogger("warta.crawl")
T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None
_FORK = multiprocessing.get_context("fork")  # the after-fork hooks of runtime.processes need fork


def _executor(workers: int) -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        die_with_parent()
        # Workers are forked while the crawl has connections open; each closes its copies of them first.
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=_FORK, initializer=close_inherited_sockets)
        with sigterm_held():  # the pool forks all its workers on the first submit
            _pool.submit(int)
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool (if no one replaced it yet), so the next call starts a fresh one.

    Its surviving workers are killed outright: concurrent.futures terminates them with SIGTERM and then
    waits for each, at exit too, so one that ignores SIGTERM (a task changed its handler) or waits on a
    queue lock its killed sibling held would keep the crawl from ever exiting."""
    global _pool
    if _pool is pool:
        _pool = None
        for process in _workers(pool):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)


def worker_pids() -> list[int]:
    """The live pool's worker processes (for tests and diagnostics)."""
    return [p.pid for p in _workers(_pool)] if _pool is not None else []


def _workers(pool: ProcessPoolExecutor) -> list:
    """The pool's worker processes: concurrent.futures keeps them in a private attribute."""
    return list((pool._processes or {}).values())


@dataclass(frozen=True)
class Extracted:
    article: Article | None
    rejected: str = ""  # the reason, when the page is not an article
    errors: dict[str, int] = field(default_factory=dict)  # part of extraction -> unexpected errors (fell back)


def _extract_counted(html: str, url: str, outlet: Outlet) -> Extracted:
    """Runs where extraction runs (a worker): the article or the rejection, with the errors it counted."""
    before = dict(extraction.ERRORS)
    try:
        article, rejected = extraction.extract(html, url, outlet), ""
    except Rejected as exc:
        article, rejected = None, str(exc)
    errors = {k: n - before.get(k, 0) for k, n in extraction.ERRORS.items() if n > before.get(k, 0)}
    return Extracted(article, rejected, errors)


async def extract(html: str, url: str, outlet: Outlet, workers: int) -> Extracted:
    """Extract in a worker process (or inline with workers=0)."""
    if workers <= 0:
        return _extract_counted(html, url, outlet)
    return await run(_extract_counted, html, url, outlet, workers=workers, what=url)


async def run(fn: Callable[..., T], *args: object, workers: int, what: str = "") -> T:
    """fn(*args) in a worker process; if a worker dies meanwhile, once more in a fresh pool."""
    for attempt in (1, 2):
        pool = _executor(workers)
        try:
            return await asyncio.wrap_future(pool.submit(fn, *args))
        except BrokenProcessPool:
            _discard(pool)
            if attempt == 2:
                raise
            log.warning("extraction worker died (extracting %s); starting a fresh pool", what or fn.__name__)
    raise AssertionError("unreachable")
