"""Run crawls of several outlets at once in one Scrapy process (one crawler per outlet, so each keeps
its own politeness settings and its own run record)."""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.spiders.outlet import OutletSpider
from indexer.records import CrawlRun
from indexer.store import Store
from warta.locks import OutletLock
from warta.registry import Outlet


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
          refresh: bool = False, log_level: str = "WARNING", **overrides) -> list[CrawlRun]:
    """Crawl the outlets concurrently; blocks until all are done. Returns the runs it recorded.

    An outlet another process is crawling (its lock is held) is not crawled; its run says "skipped".
    """
    Store(store).close()  # create the schema before several crawlers open it at once
    locks = {o.id: OutletLock(Path(store).parent, o.id) for o in outlets}
    skipped = [o for o in outlets if not locks[o.id].acquire()]
    outlets = [o for o in outlets if o not in skipped]
    run_ids: list[int] = []
    try:
        if outlets:
            _crawl(outlets, store, since, limit, refresh, log_level, run_ids, **overrides)
    finally:
        # A run still "running" here ended without closing its spider (a signal before Scrapy's handlers were
        # in place, an exception); we hold its outlet's lock, so no one else is running it.
        with Store(store) as db:
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
           **overrides) -> None:
    """Run the crawlers; run_ids receives the id of every run they began (also when the process stops with an
    exception, so the caller still finds, and closes, what was recorded)."""
    process = CrawlerProcess(scrapy_settings(store, log_level, **overrides))
    if log_level.upper() != "DEBUG":
        # Give-ups and size limits are counted in the run record and the summary table; a line each is noise.
        for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.httpcompression"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    crawlers = []
    for outlet in outlets:
        crawler = process.create_crawler(OutletSpider)
        crawlers.append(crawler)
        process.crawl(crawler, outlet=outlet, since=since, limit=limit, refresh=refresh)
    try:
        process.start()
    finally:
        run_ids += [c.spider.run_id for c in crawlers if getattr(c.spider, "run_id", None) is not None]
