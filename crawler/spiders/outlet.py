"""The one spider: crawls one registry outlet, discovering articles the way its platform publishes them.

Discovery reads robots.txt Sitemap: lines, sitemaps (indexes, gzip, Google News), feeds (RSS, Atom with
Blogger paging) and archive pages, always from the top, and fetches only article URLs the store does not
hold yet. Listing pagination stops at the first page that brings nothing new, so a scheduled re-crawl
costs a handful of requests plus the new articles.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.internet.error import TimeoutError as TxTimeoutError

from crawler import extraction_pool
from crawler.discovery import (
    STANDARD,
    Entry,
    ListingError,
    parse_archive,
    parse_feed,
    parse_sitemap,
    wordpress_feed_page,
)
from crawler.extract import Rejected, page_info
from crawler.items import AliasItem, ArticleItem, RejectItem
from crawler.urls import canonicalize, is_article_url, same_site
from indexer.store import Store
from warta.registry import Outlet, load_registry, select

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class OutletSpider(scrapy.Spider):
    name = "outlet"

    def __init__(self, outlet: str | Outlet, seeds: str | None = None, since: str | date | None = None,
                 limit: int | str | None = None, refresh: bool | str = False, **kwargs):
        super().__init__(**kwargs)
        self.outlet = outlet if isinstance(outlet, Outlet) else select(load_registry(seeds), [outlet])[0]
        self.allowed_domains = list(self.outlet.allowed_hosts)
        self.since = _since(since)
        self.limit = int(limit) if limit else None
        self.refresh = refresh in (True, "1", "true", "yes")
        self.known: set[str] = set()
        self.backfilled = False  # has a crawl of this outlet ever finished? If not, walk listings to the end
        self.queued: set[str] = set()  # canonical article URLs requested in this run
        self.stored: set[str] = set()  # canonical URLs of articles stored in this run
        self.pending_aliases: dict[str, set[str]] = {}  # article URL being extracted -> URLs that led to it
        self.last_error = ""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        outlet = spider.outlet
        settings = crawler.settings
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", outlet.concurrency, priority="spider")
        settings.set("DOWNLOAD_DELAY", outlet.delay, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", max(outlet.delay, 0.1), priority="spider")
        if outlet.delay == 0:  # a local mirror or a benchmark: no politeness delay to adapt
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        return spider

    # -- discovery ----------------------------------------------------------------------------------
    async def start(self):
        with Store(self.settings.get("WARTA_STORE")) as store:
            self.known = set() if self.refresh else store.known_urls(self.outlet.id)
            self.backfilled = store.has_finished_run(self.outlet.id)
        yield scrapy.Request(urljoin(self.outlet.url, "/robots.txt"), callback=self.parse_robots,
                             errback=self.robots_failed, meta={"handle_httpstatus_all": True}, priority=100)

    def parse_robots(self, response: Response):
        sitemaps = []
        if response.status == 200:
            sitemaps = [urljoin(response.url, u) for u in sitemap_urls_from_robots(response.body, response.url)]
        yield from self._listings(sitemaps)

    def robots_failed(self, failure):
        self._error("robots.txt", failure)
        yield from self._listings([])

    def _listings(self, robots_sitemaps: list[str]):
        standard = STANDARD[self.outlet.platform]
        sitemaps = list(self.outlet.sitemaps) + robots_sitemaps
        if not sitemaps:  # probe the platform's usual names; a 404 there is expected, not an error
            sitemaps = [urljoin(self.outlet.url, p) for p in standard["sitemaps"]]
        feeds = list(self.outlet.feeds) or [urljoin(self.outlet.url, p) for p in standard["feeds"]]
        archives = list(self.outlet.archives) + [urljoin(self.outlet.url, p) for p in standard["archives"]]
        for url in dict.fromkeys(sitemaps):
            yield self._listing(url, self.parse_sitemap, probe=not robots_sitemaps)
        for url in dict.fromkeys(feeds):
            yield self._listing(url, self.parse_feed, probe=not self.outlet.feeds)
        for url in dict.fromkeys(archives):
            yield self._listing(url, self.parse_archive, probe=False)

    def _listing(self, url: str, callback, probe: bool, **meta) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.listing_failed, priority=50,
                              meta={"probe": probe, **meta})

    def parse_sitemap(self, response: Response):
        try:
            listing = parse_sitemap(response.body)
        except ListingError as exc:
            yield from self._bad_listing(response, str(exc))
            return
        self.crawler.stats.inc_value("warta/listings_ok")
        for child in listing.children:
            if self.since and child.date and child.date.date() < self.since:
                continue  # a sub-sitemap whose newest entry predates --since
            yield self._listing(child.url, self.parse_sitemap, probe=False)
        for entry in listing.entries:
            yield from self._consider(entry)

    def parse_feed(self, response: Response):
        try:
            listing = parse_feed(response.body, response.url)
        except ListingError as exc:
            yield from self._bad_listing(response, str(exc))
            return
        self.crawler.stats.inc_value("warta/listings_ok")
        fresh = 0
        for entry in listing.entries:
            for request in self._consider(entry):
                fresh += 1
                yield request
        if not self._walk_on(fresh, listing.entries):
            return
        page = response.meta.get("page", 1) + 1
        next_url = listing.next_url or (wordpress_feed_page(response.url, page)
                                        if self.outlet.platform == "wordpress" else None)
        if next_url:
            yield self._listing(next_url, self.parse_feed, probe=True, page=page)

    def parse_archive(self, response: Response):
        if not response.headers.get(b"Content-Type", b"text/html").startswith(HTML_TYPES):
            return
        try:
            listing = parse_archive(response.text, response.url)
        except ListingError as exc:
            yield from self._bad_listing(response, str(exc))
            return
        self.crawler.stats.inc_value("warta/listings_ok")
        fresh = 0
        for entry in listing.entries:
            for request in self._consider(entry):
                fresh += 1
                yield request
        if self._walk_on(fresh, listing.entries) and listing.next_url \
                and same_site(listing.next_url, self.outlet.allowed_hosts):
            yield self._listing(listing.next_url, self.parse_archive, probe=False)

    def _walk_on(self, fresh: int, entries: list[Entry]) -> bool:
        """Whether to read the next page of a paged listing.

        A page with nothing new ends the walk, once a crawl of the outlet has finished: everything older
        was seen then. Until then (a first crawl, or one that was killed) the walk goes to the end, so a
        restarted crawl also reaches what the killed one never listed.
        """
        dates = [e.date for e in entries if e.date]
        if self.since and dates and max(dates).date() < self.since:
            return False
        if self.limit is not None and len(self.queued) >= self.limit:
            return False
        return bool(entries) and (fresh > 0 or not self.backfilled)

    def _consider(self, entry: Entry):
        """Yield a request for entry if it is a new article URL of this outlet."""
        stats = self.crawler.stats
        url = entry.url
        if not same_site(url, self.outlet.allowed_hosts) or not is_article_url(url, self.outlet.platform):
            return
        canon = canonicalize(url)
        if canon in self.queued:
            return
        if canon in self.known:
            stats.inc_value("warta/skipped/known")
            return
        if self.since and entry.date and entry.date.date() < self.since:
            stats.inc_value("warta/skipped/before_since")
            return
        if self.limit is not None and len(self.queued) >= self.limit:
            stats.inc_value("warta/skipped/limit")
            return
        self.queued.add(canon)
        priority = int(entry.date.timestamp() // 86400) - 20000 if entry.date else 0  # newer first
        yield scrapy.Request(canon, callback=self.parse_article, errback=self.article_failed,
                             dont_filter=True, priority=max(-10, min(10, priority)), meta={"canon": canon})

    # -- articles -----------------------------------------------------------------------------------
    async def parse_article(self, response: Response):
        canon = response.meta["canon"]
        ctype = response.headers.get(b"Content-Type", b"")
        if not ctype.startswith(HTML_TYPES):
            yield RejectItem(canon, self.outlet.id, "not-html")
            return
        html = response.text
        info = page_info(html)
        key = canonicalize(response.url)
        if info.canonical:
            declared = canonicalize(urljoin(response.url, info.canonical))
            if same_site(declared, self.outlet.allowed_hosts):
                key = declared
        aliases = {canon, canonicalize(response.url), *map(canonicalize, response.meta.get("redirect_urls", []))}
        aliases.discard(key)
        if key in self.stored or (key != canon and key in self.known and not self.refresh):
            self.crawler.stats.inc_value("warta/duplicates")
            if key in self.pending_aliases:  # its extraction is in flight: the aliases ride along with it
                self.pending_aliases[key] |= aliases
            else:
                yield AliasItem(key, aliases)
            return
        self.stored.add(key)
        self.pending_aliases[key] = aliases
        try:
            article = await extraction_pool.extract(html, key, self.outlet,
                                                    self.settings.getint("WARTA_EXTRACT_WORKERS"))
        except Rejected as exc:
            self.pending_aliases.pop(key, None)
            yield RejectItem(key, self.outlet.id, str(exc))
            return
        aliases = self.pending_aliases.pop(key, aliases)
        if self.since and article.published and article.published.date() < self.since:
            yield RejectItem(key, self.outlet.id, "before-since", remember=False)
            return
        yield ArticleItem(article, html.encode("utf-8"), aliases)  # as decoded by its charset, so kept as UTF-8

    def article_failed(self, failure):
        request = failure.request
        reason = self._error(request.url, failure)
        # Dead, broken or oversized pages are counted, not remembered: the next crawl may find them mended.
        yield RejectItem(request.meta.get("canon", request.url), self.outlet.id, reason, remember=False)

    def listing_failed(self, failure):
        request = failure.request
        if request.meta.get("probe") and failure.check(HttpError):
            self.crawler.stats.inc_value("warta/listings_absent")
            return
        self._error(request.url, failure)

    def _bad_listing(self, response: Response, problem: str):
        if not response.meta.get("probe"):
            self.crawler.stats.inc_value("warta/errors/bad_listing")
            self.last_error = f"{response.url}: {problem}"
            self.logger.warning("%s: unreadable listing %s: %s", self.outlet.id, response.url, problem)
        return iter(())

    def _error(self, url: str, failure) -> str:
        if failure.check(HttpError):
            reason = f"http-{failure.value.response.status}"
        elif failure.check(IgnoreRequest) and "redirections" in str(failure.value):
            reason = "redirect-loop"
        elif failure.check(TxTimeoutError, asyncio.TimeoutError):
            reason = "timeout"
        elif "maxsize" in str(failure.value).lower() or "max size" in str(failure.value).lower():
            reason = "too-large"
        else:
            reason = type(failure.value).__name__
        self.crawler.stats.inc_value(f"warta/errors/{reason}")
        self.last_error = f"{url}: {reason}"
        self.logger.info("%s: %s failed: %s", self.outlet.id, url, reason)
        return reason


def _since(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").replace(tzinfo=UTC).date()
    except ValueError:
        raise ValueError(f"--since: expected YYYY-MM-DD, got {value!r}") from None
