"""Run crawls of several outlets at once in one Scrapy process (one crawler per outlet, so each keeps
its own politeness settings and its own run record)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.middlewares import hold
from crawler.pipelines import forced_stop
from crawler.spiders.outlet import OutletSpider
from registry import Outlet
from store import CrawlRun, open_store
from store.locks import outlet_lock

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress callbacks


@dataclass(frozen=True)
class CrawlProgress:
    """Where a crawl stands, summed over its outlets: what crawl() hands a progress callback (it shows nothing
    itself; `warta crawl` draws a bar from this on a terminal)."""

    outlets: int  # outlets being crawled
    finished: int  # of them, those whose crawl has ended
    pages: int  # responses received
    queued: int  # requests found and not yet answered (waiting, or in flight); grows as listings are read
    working: int = 0  # of the pages received, those still being read (extraction of an article takes a while)
    new: int = 0  # articles stored for the first time
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # pages that were not articles, or failed


def scrapy_settings(store: Path, log_level: str = "WARNING", **overrides) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("WARTA_STORE", str(store), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    workers = os.environ.get("WARTA_EXTRACT_WORKERS")
    if workers is not None:
        settings.set("WARTA_EXTRACT_WORKERS", int(workers), priority="cmdline")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    return settings


def crawl(outlets: list[Outlet], store: Path, since: date | str | None = None, limit: int | None = None,
          refresh: bool = False, log_level: str = "WARNING",
          progress: Callable[[CrawlProgress], None] | None = None, frontier: str | None = None,
          **overrides) -> list[CrawlRun]:
    """Crawl the outlets concurrently; blocks until all are done. Returns the runs it recorded.

    An outlet another process is crawling (its lock is held) is not crawled; its run says "skipped". On a
    shared frontier (a redis:// URL, crawler/frontier.py) there is no lock: the processes crawl it together.
    progress, if given, is called every PROGRESS_EVERY seconds with a CrawlProgress (in the crawl's thread).
    """
    open_store(store).close()  # create the schema before several crawlers open it at once
    if frontier:
        overrides["WARTA_FRONTIER"] = frontier
    locks = {} if frontier else {o.id: outlet_lock(store, o.id) for o in outlets}
    skipped = [o for o in outlets if o.id in locks and not locks[o.id].acquire()]
    outlets = [o for o in outlets if o not in skipped]
    run_ids: list[int] = []
    try:
        if outlets:
            _crawl(outlets, store, since, limit, refresh, log_level, run_ids, progress, **overrides)
    finally:
        # A run still "running" here ended without closing its spider (a signal before Scrapy's handlers were
        # in place, an exception); we hold its outlet's lock, so no one else is running it.
        with open_store(store) as db:
            if frontier:  # other processes crawl these outlets too: only this one's runs are known to be over
                db.interrupt_running(runs=run_ids)
            else:
                db.interrupt_running([o.id for o in outlets])
            # The runs this crawl recorded, by their ids: other crawls recording runs at the same time
            # cannot hide them.
            recorded = {r.outlet: r for r in db.runs_by_id(run_ids)}
        for lock in locks.values():
            lock.release()
    runs = [recorded[o.id] for o in outlets if o.id in recorded]
    now = datetime.now(UTC)
    return runs + [CrawlRun(outlet=o.id, started=now, finished=now, result="skipped",
                            error="another process is crawling this outlet") for o in skipped]


def _crawl(outlets: list[Outlet], store: Path, since, limit, refresh, log_level, run_ids: list[int],
           progress: Callable[[CrawlProgress], None] | None = None, **overrides) -> None:
    """Run the crawlers; run_ids receives the id of every run they began (also when the process stops with an
    exception, so the caller still finds, and closes, what was recorded)."""
    process = _Process(scrapy_settings(store, log_level, **overrides))
    if log_level.upper() != "DEBUG":
        # Give-ups and size limits are counted in the run record and the summary table; a line each is noise.
        for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.httpcompression"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    crawlers = []
    for outlet in outlets:
        crawler = process.create_crawler(OutletSpider)
        crawlers.append(crawler)
        process.crawl(crawler, outlet=outlet, since=since, limit=limit, refresh=refresh)
    if progress:
        _report_progress(crawlers, progress)
    try:
        process.start()
    finally:
        run_ids += [c.spider.run_id for c in crawlers if getattr(c.spider, "run_id", None) is not None]


class _Process(CrawlerProcess):
    """Scrapy's CrawlerProcess, with a stop that ends in seconds.

    On SIGINT or SIGTERM Scrapy stops gracefully: it waits for every request in flight, and retries and
    robots.txt-gated requests went on being sent meanwhile (a stop took 112 s against a slow outlet). Here
    nothing new is sent once a stop begins (the gate drops what comes, the download slots hold what is queued
    in them), and WARTA_STOP_GRACE_SECONDS later the
    reactor is stopped whatever is still in flight: each article is committed on its own, and crawl() marks
    the runs that could not close themselves as interrupted, so nothing is lost. Each run is recorded first,
    with what it stored (crawler.pipelines.forced_stop).
    """

    def _signal_shutdown(self, signum: int, frame) -> None:
        super()._signal_shutdown(signum, frame)
        from twisted.internet import reactor

        grace = self.settings.getfloat("WARTA_STOP_GRACE_SECONDS")
        reactor.callFromThread(self._hold_queues, grace + 1)
        reactor.callFromThread(reactor.callLater, grace, self._force_stop, signum)

    def _hold_queues(self, seconds: float) -> None:
        """Nothing queued in a download slot goes out once the stop began (the gate stops the rest)."""
        for crawler in self.crawlers:
            try:
                downloader = crawler.engine.downloader
            except AttributeError:  # its crawl has not started
                continue
            for slot in list(downloader.slots.values()):
                hold(downloader, slot, seconds)

    def _force_stop(self, signum: int) -> None:
        for crawler in self.crawlers:
            crawler.signals.send_catch_log(signal=forced_stop)
        self._signal_kill(signum, None)


def _report_progress(crawlers: list, progress: Callable[[CrawlProgress], None]) -> None:
    """Call progress every PROGRESS_EVERY seconds from the reactor (stopped with it). A callback that raises
    is dropped, not the crawl: a broken progress display must not cost the run."""
    from twisted.internet import task  # after CrawlerProcess installed its reactor

    def tick() -> None:
        try:
            progress(progress_of(crawlers))
        except Exception:
            log.debug("progress callback failed; no more progress this crawl", exc_info=True)
            ticker.stop()

    ticker = task.LoopingCall(tick)
    ticker.start(PROGRESS_EVERY, now=False)


def progress_of(crawlers: list) -> CrawlProgress:
    """Where these crawlers stand, from their stats (a crawler not started yet counts as nothing done)."""
    sums: dict[str, int] = {}
    finished = downloading = working = 0
    for crawler in crawlers:
        try:
            stats = crawler.stats.get_stats()
        except AttributeError:  # its stats are made when its crawl starts
            continue
        finished += "finish_reason" in stats
        try:  # what Scrapy's engine status (scrapy.utils.engine) reports: requests waiting for the outlet's
            # politeness slot or in flight, and responses its callbacks are still handling
            downloading += len(crawler.engine.downloader.active)
            working += len(crawler.engine.scraper.slot.active)
        except (AttributeError, TypeError):  # not started, or already closed
            pass
        for key, value in stats.items():
            if isinstance(value, int) and (key.startswith(("warta/articles/", "warta/rejected/", "scheduler/"))
                                           or key == "downloader/response_count"):
                sums[key] = sums.get(key, 0) + value
    rejected = sum(v for k, v in sums.items() if k.startswith("warta/rejected/"))
    return CrawlProgress(
        outlets=len(crawlers), finished=finished, pages=sums.get("downloader/response_count", 0),
        queued=max(0, sums.get("scheduler/enqueued", 0) - sums.get("scheduler/dequeued", 0)) + downloading,
        working=working,
        new=sums.get("warta/articles/new", 0), updated=sums.get("warta/articles/updated", 0),
        unchanged=sums.get("warta/articles/unchanged", 0), rejected=rejected)
