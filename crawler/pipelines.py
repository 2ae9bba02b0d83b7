"""Write what the spider yields into the article store, and record the crawl run with its stats.

Crawled pages are untrusted: before an article is stored, validate() keeps only what warta may show and
link. Its URL (and its aliases) must be http(s) on the outlet's own hosts; its image an http(s) URL; its
dates between 1990-01-01 and two days from now (a date outside is dropped and counted, the article kept).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from scrapy import signals

from crawler.items import AliasItem, ArticleItem, RejectItem
from crawler.urls import HTTP_SCHEMES, same_site
from registry import Outlet
from store import Article, Store, open_store

log = logging.getLogger("warta.crawl")

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before any Indonesian regional news site existed
FUTURE_SLACK = timedelta(days=2)  # time zones and scheduled posts; anything later is a broken date


class InvalidArticleError(ValueError):
    """An article warta must not store (its URL is not the outlet's http(s) URL)."""


def validate(article: Article, outlet: Outlet, now: datetime | None = None) -> tuple[Article, list[str]]:
    """The article as it may be stored, and what was dropped from it ("date-out-of-range", "bad-image").

    Raises InvalidArticleError when its URL is not an http(s) URL on the outlet's hosts.
    """
    if not same_site(article.url, outlet.allowed_hosts):
        raise InvalidArticleError(f"not an http(s) URL of {outlet.id}: {article.url[:200]!r}")
    now = now or datetime.now(UTC)
    changes, dropped = {}, []
    for field in ("published", "modified"):
        value = getattr(article, field)
        if value is not None and not plausible_date(value, now):
            changes[field] = None
            dropped.append("date-out-of-range")
    if article.image and urlsplit(article.image).scheme.lower() not in HTTP_SCHEMES:
        changes["image"] = ""
        dropped.append("bad-image")
    return (replace(article, **changes) if changes else article), dropped


def plausible_date(value: datetime, now: datetime | None = None) -> bool:
    """Whether a crawled date can be a news article's: 1990-01-01 up to two days from now."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return EARLIEST <= value <= (now or datetime.now(UTC)) + FUTURE_SLACK


# Sent by crawler.run when a stop's grace has run out: the run is recorded (as interrupted, with what it stored)
# before the reactor stops, since Scrapy's spider_closed would not come.
forced_stop = object()


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store: Store | None = None
        self.run = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run is recorded on spider_closed, the one place that is told why the spider closed
        # (finish_reason is not in the stats yet when pipelines close).
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.forced_stop, signal=forced_stop)
        return pipeline

    def forced_stop(self) -> None:
        if self.run is not None and self.store is not None:
            self.spider_closed(self.crawler.spider, "shutdown")

    def open_spider(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        self.store = open_store(self.crawler.settings.get("WARTA_STORE"))
        self.run = self.store.begin_run(spider.outlet.id)
        spider.run_id = self.run.id  # how `warta crawl` finds the runs it started, whatever else runs at once

    def process_item(self, item, spider=None):
        if self.run is None:  # after a forced stop recorded the run; the next crawl fetches it again
            return item
        stats = self.crawler.stats
        if isinstance(item, ArticleItem):
            outlet = (spider or self.crawler.spider).outlet
            try:
                article, dropped = validate(item.article, outlet)
            except InvalidArticleError as exc:
                log.warning("crawl %s: not stored: %s", outlet.id, exc)
                self.run.rejected["bad-url"] = self.run.rejected.get("bad-url", 0) + 1
                stats.inc_value("warta/rejected/bad-url")
                return item
            for what in dropped:
                stats.inc_value(f"warta/dropped/{what}")
                log.info("crawl %s: %s dropped from %s", outlet.id, what, article.url)
            aliases = {a for a in item.aliases if same_site(a, outlet.allowed_hosts)}
            outcome = self.store.save(article, item.html, aliases)
            setattr(self.run, outcome, getattr(self.run, outcome) + 1)
            stats.inc_value(f"warta/articles/{outcome}")
            if outcome in ("new", "updated"):  # what monitor/yields.py compares with the outlet's history
                stats.inc_value("warta/yield/chars", len(article.text))
                stats.inc_value("warta/yield/dated", int(article.published is not None))
        elif isinstance(item, AliasItem):
            if self.store.has_article(item.article_url):
                self.store.add_aliases(item.article_url, item.aliases)
        elif isinstance(item, RejectItem):
            if item.remember:
                self.store.reject(item.url, item.outlet, item.reason)
            self.run.rejected[item.reason] = self.run.rejected.get(item.reason, 0) + 1
            stats.inc_value(f"warta/rejected/{item.reason}")
        return item

    def spider_closed(self, spider, reason: str) -> None:
        if self.run is None:
            return
        stats = self.crawler.stats.get_stats()
        run = self.run
        run.pages = stats.get("downloader/response_count", 0)
        run.errors = sum(v for k, v in stats.items() if k.startswith("warta/errors/"))
        run.error = getattr(spider, "last_error", "") or getattr(spider, "last_note", "")
        run.result = {"finished": "ok", "shutdown": "interrupted"}.get(reason, "failed")
        forbidden = stats.get("warta/skipped/robots", 0)
        if run.result == "ok" and forbidden and not stats.get("warta/listings_ok", 0):
            problem = getattr(spider, "robots_problem", "")
            if problem:  # robots.txt unreachable (5xx, network): RFC 9309 says assume complete disallow; a
                # server failing is a broken outlet, and the scheduler backs off
                run.result, run.error = "failed", f"{problem}: nothing may be fetched until it can be read (RFC 9309)"
            else:  # robots.txt forbids it: the outlet's choice, not a broken outlet; no backoff, status says so
                run.result, run.error = "blocked", f"robots.txt disallows warta ({forbidden} requests not sent)"
        extract_errors = stats.get("warta/errors/extract-error", 0)
        if run.result == "ok" and extract_errors:  # pages warta could not read because of its own bug
            run.result = "errors"
            run.error = f"{extract_errors} extraction error(s); last: {getattr(spider, 'last_extract_error', '')}"
        # (on a shared frontier another process may have read every listing)
        if run.result == "ok" and run.pages and not stats.get("warta/listings_ok", 0) and not getattr(
                getattr(spider, "frontier", None), "listings_read", False):
            run.result, run.error = "failed", run.error or "no listing (sitemap, feed or archive) could be read"
        if run.result == "ok" and not run.pages:
            run.result, run.error = "failed", run.error or "no page could be fetched"
        self.store.finish_run(run, stats)
        self.run = None  # recorded: a later close (after a forced stop) records nothing twice
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(run.rejected.items())) or "none"
        log.info("crawl %s: %s, %d pages, %d new, %d updated, %d unchanged, rejected: %s, %d errors%s",
                    run.outlet, run.result, run.pages, run.new, run.updated, run.unchanged, rejected, run.errors,
                    f" (last: {run.error})" if run.error else "")
        self.store.close()
