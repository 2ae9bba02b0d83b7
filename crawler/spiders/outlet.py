"""The one spider: crawls one registry outlet, discovering articles the way its platform publishes them.

Discovery reads robots.txt Sitemap: lines, sitemaps (indexes, gzip, Google News), feeds (RSS, Atom with
Blogger paging) and archive pages, always from the top, and fetches only article URLs the store does not
hold yet. Listing pagination stops at the first page that brings nothing new, so a scheduled re-crawl
costs a handful of requests plus the new articles.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
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
from crawler.encoding import HTML_TYPES, looks_binary
from crawler.frontier import LocalFrontier, RedisFrontier
from crawler.items import AliasItem, ArticleItem, RejectItem
from crawler.middlewares import AlreadyHeld, Offsite, OverBudget, Stopping
from crawler.pagekind import head_info
from crawler.robots import ForbiddenByRobots, unreachable
from crawler.urls import is_article_url, page_key, safe_canonical, same_site
from registry import Outlet, load_registry, select
from store import open_store

# Rejections not remembered: the next crawl tries the page again (a bug in extraction, once mended; a bot
# challenge, once the outlet lets warta in again).
TRANSIENT = frozenset({"extract-error", "challenge"})


class OutletSpider(scrapy.Spider):
    name = "outlet"

    def __init__(self, outlet: str | Outlet, seeds: str | None = None, since: str | date | None = None,
                 limit: int | str | None = None, refresh: bool | str = False, **kwargs):
        super().__init__(**kwargs)
        self.outlet = outlet if isinstance(outlet, Outlet) else select(load_registry(seeds), [outlet])[0]
        self.allowed_domains = list(self.outlet.allowed_hosts)
        self.since = parse_since(since)
        self.limit = int(limit) if limit else None
        self.refresh = refresh in (True, "1", "true", "yes")
        self.known: dict[str, str] = {}  # page_key -> a URL the store holds for it (article, alias, reject)
        self.backfilled = False  # has a crawl of this outlet ever finished? If not, walk listings to the end
        self.queued: dict[str, str] = {}  # page key -> URL of each article requested in this run
        self.stored: dict[str, str] = {}  # page key -> URL of each article stored (or being extracted) this run
        self.pending_aliases: dict[str, set[str]] = {}  # page key being extracted -> URLs that led to it
        self.early_aliases: dict[str, set[str]] = {}  # page key queued, not fetched yet -> URLs redirected to it
        # What this run has queued and seen: in memory, or shared on Redis with the outlet's other crawl
        # processes (--frontier); claims of kind "article" (page keys queued), "listed" (canonical article URLs
        # seen on a listing page), "page" (digests of the paged listing pages read).
        self.frontier = LocalFrontier()
        self.last_error = ""
        self.last_extract_error = ""
        self.last_note = ""
        self.paused_until: dict[str, float] = {}  # host -> monotonic time a Retry-After pause ends
        self.robots_problem = ""  # robots.txt unreachable: RFC 9309 says nothing may be fetched

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        outlet = spider.outlet
        settings = crawler.settings
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", outlet.concurrency, priority="spider")
        # Few requests past the gate at once: the rest wait in the scheduler, where a Retry-After pause, a
        # spent budget or a stop still reaches them (a request in a download slot's queue is as good as sent).
        settings.set("CONCURRENT_REQUESTS", 4 * outlet.concurrency, priority="spider")
        settings.set("DOWNLOAD_DELAY", outlet.delay, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", max(outlet.delay, 0.1), priority="spider")
        if outlet.delay == 0:  # a local mirror or a benchmark: no politeness delay to adapt
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        if settings.get("WARTA_FRONTIER"):
            spider.frontier = RedisFrontier(settings.get("WARTA_FRONTIER"), outlet.id)
            settings.set("SCHEDULER", "crawler.frontier.FrontierScheduler", priority="spider")
            # The host's turn on the frontier spaces the requests of all the processes (the gate waits for
            # it); a delay of each process's own on top would only put its requests out of turn.
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        return spider

    # -- discovery ----------------------------------------------------------------------------------
    async def start(self):
        with open_store(self.settings.get("WARTA_STORE")) as store:
            self.known = {} if self.refresh else {page_key(u): u for u in store.known_urls(self.outlet.id)}
            self.backfilled = store.has_finished_run(self.outlet.id)
        # The one fetch of robots.txt: crawler.robots.RobotsMiddleware reads the rules from this response too.
        yield scrapy.Request(urljoin(self.outlet.url, "/robots.txt"), callback=self.parse_robots,
                             errback=self.robots_failed, meta={"handle_httpstatus_all": True, "robots": True},
                             priority=100)

    def parse_robots(self, response: Response):
        sitemaps = []
        if response.status == 200:
            sitemaps = [urljoin(response.url, u) for u in sitemap_urls_from_robots(response.body, response.url)]
        elif unreachable(response.status):
            self.robots_problem = f"robots.txt answered {response.status}"
        yield from self._listings(sitemaps)

    def robots_failed(self, failure):
        self.robots_problem = f"robots.txt could not be fetched ({self._error('robots.txt', failure)})"
        yield from self._listings([])

    def note(self, message: str) -> None:
        """Something the run should tell (a host that asked us to wait): the run's message unless an error
        says more."""
        self.last_note = message
        self.logger.info("%s: %s", self.outlet.id, message)

    def _listings(self, robots_sitemaps: list[str]):
        standard = STANDARD[self.outlet.platform]
        sitemaps = list(self.outlet.sitemaps) + robots_sitemaps
        if not sitemaps:  # probe the platform's usual names; a 404 there is expected, not an error
            sitemaps = [urljoin(self.outlet.url, p) for p in standard["sitemaps"]]
        feeds = list(self.outlet.feeds) or [urljoin(self.outlet.url, p) for p in standard["feeds"]]
        archives = list(self.outlet.archives) + [urljoin(self.outlet.url, p) for p in standard["archives"]]
        for url in dict.fromkeys(sitemaps):
            yield from self._listing(url, self.parse_sitemap, probe=not robots_sitemaps)
        for url in dict.fromkeys(feeds):
            yield from self._listing(url, self.parse_feed, probe=not self.outlet.feeds)
        for url in dict.fromkeys(archives):
            yield from self._listing(url, self.parse_archive, probe=False)

    def _listing(self, url: str, callback, probe: bool, **meta) -> list[scrapy.Request]:
        """A request for a listing page (as a list: none once the budget is spent)."""
        if self.budget_spent():
            self.crawler.stats.inc_value("warta/skipped/budget")
            return []
        return [scrapy.Request(url, callback=callback, errback=self.listing_failed, priority=50,
                               meta={"probe": probe, **meta})]

    def parse_sitemap(self, response: Response):
        try:
            listing = parse_sitemap(response.body)
        except ListingError as exc:
            yield from self._bad_listing(response, exc)
            return
        self._listing_read()
        for child in listing.children:
            if self.since and child.date and child.date.date() < self.since:
                continue  # a sub-sitemap whose newest entry predates --since
            yield from self._listing(child.url, self.parse_sitemap, probe=False)
        requests, _ = self._read_listing(listing.entries)
        yield from requests

    def parse_feed(self, response: Response):
        try:
            listing = parse_feed(response.body, response.url)
        except ListingError as exc:
            yield from self._bad_listing(response, exc)
            return
        self._listing_read()
        requests, unseen = self._read_listing(listing.entries)
        yield from requests
        page = response.meta.get("page", 1)
        next_url = listing.next_url or (wordpress_feed_page(response.url, page + 1)
                                        if self.outlet.platform == "wordpress" else None)
        if self._walk_on(response, page, len(requests), unseen, listing.entries, next_url):
            yield from self._listing(next_url, self.parse_feed, probe=True, page=page + 1)

    def parse_archive(self, response: Response):
        if not response.headers.get(b"Content-Type", b"text/html").startswith(HTML_TYPES):
            return
        try:
            listing = parse_archive(response.text, response.url)
        except ListingError as exc:
            yield from self._bad_listing(response, exc)
            return
        self._listing_read()
        requests, unseen = self._read_listing(listing.entries)
        yield from requests
        page = response.meta.get("page", 1)
        next_url = listing.next_url if listing.next_url and same_site(listing.next_url, self.outlet.allowed_hosts) \
            else None
        if self._walk_on(response, page, len(requests), unseen, listing.entries, next_url):
            yield from self._listing(next_url, self.parse_archive, probe=False, page=page + 1)

    def _read_listing(self, entries: list[Entry]) -> tuple[list[scrapy.Request], int]:
        """Requests for the listing page's new articles, and how many of its article URLs this run had not
        seen on any listing page before."""
        found = [(entry, canon) for entry in entries if (canon := self._article_url(entry.url))]
        unseen = sum(self.frontier.claim("listed", [canon for _, canon in found]))
        requests = [r for entry, canon in found for r in self._consider(entry, canon)]
        return requests, unseen

    def _listing_read(self) -> None:
        self.crawler.stats.inc_value("warta/listings_ok")
        self.frontier.note_listing_read()

    def _walk_on(self, response: Response, page: int, fresh: int, unseen: int, entries: list[Entry],
                 next_url: str | None) -> bool:
        """Whether to read the next page of a paged listing; when not, the reason is counted in the run's
        stats (warta/walks/REASON), so a run tells why each of its listing walks ended.

        Every walk ends: at the listing's last page; at a page (after the first) that shows no article URL
        this run had not already seen on a listing; at a page whose content repeats one read before (a site
        serving the same listing for every page number); at the outlet's max_pages; when the outlet's
        budget is spent. Once a crawl of the outlet has finished, a page with nothing new to fetch also ends
        the walk: everything older was seen then. Until then (a first crawl, or one that was killed) the walk
        goes on through known articles, so a restarted crawl also reaches what the killed one never listed.
        """
        repeated = not self.frontier.claim("page", [hashlib.sha1(response.body).hexdigest()])[0]
        dates = [e.date for e in entries if e.date]
        if not next_url:
            reason = "last-page"
        elif not entries:
            reason = "empty-page"
        elif repeated:
            reason = "repeated-page"
        elif page > 1 and not unseen:
            reason = "nothing-unseen"
        elif page >= self.outlet.max_pages:
            reason = "page-cap"
        elif self.budget_spent():
            reason = "budget"
        elif self.since and dates and max(dates).date() < self.since:
            reason = "since"
        elif self.limit is not None and len(self.queued) >= self.limit:
            reason = "limit"
        elif self.backfilled and not fresh:
            reason = "nothing-new"
        else:
            return True
        self.crawler.stats.inc_value(f"warta/walks/{reason}")
        if reason in ("repeated-page", "nothing-unseen", "page-cap", "budget"):
            self.logger.info("%s: listing walk stopped at %s (page %d): %s", self.outlet.id, response.url,
                             page, reason)
        return False

    def budget_spent(self) -> str | None:
        """"time" or "pages" once this outlet's crawl budget is spent (then nothing new is requested), else None.

        The budget bounds one run of one outlet whatever its listings do; what is left is fetched next run.
        On a shared frontier it bounds the processes together (their requests, from the first one's start).
        """
        stats = self.crawler.stats
        spent = stats.get_value("warta/budget/spent")
        if spent:
            return spent
        settings = self.crawler.settings
        requests = self.frontier.requests(stats.get_value("downloader/request_count", 0))
        spent = (self.frontier.spent_reason  # another process of a shared crawl found it spent
                 or ("time" if time.time() - self.frontier.started > settings.getfloat("WARTA_OUTLET_BUDGET_SECONDS")
                     else None)
                 or ("pages" if requests >= settings.getint("WARTA_OUTLET_BUDGET_PAGES") else None))
        if spent:
            self.frontier.spend(spent)
            stats.set_value("warta/budget/spent", spent)
            self.logger.warning("%s: crawl budget (%s) spent; the rest waits for the next run", self.outlet.id, spent)
        return spent

    def _article_url(self, url: str) -> str | None:
        """The canonical URL of an article of this outlet, or None for any other link."""
        if not same_site(url, self.outlet.allowed_hosts) or not is_article_url(url, self.outlet.platform):
            return None
        canon = self._canonical(url)
        if canon is None:  # a malformed link (a bad port): skipped, the rest of the listing goes on
            self.crawler.stats.inc_value("warta/skipped/bad-url")
        return canon

    def _consider(self, entry: Entry, canon: str | None = None) -> list[scrapy.Request]:
        """A request for entry if it is a new article URL of this outlet (as a list: none or one)."""
        stats = self.crawler.stats
        canon = canon or self._article_url(entry.url)
        if canon is None or page_key(canon) in self.queued:
            return []
        if page_key(canon) in self.known:
            stats.inc_value("warta/skipped/known")
            return []
        if self.since and entry.date and entry.date.date() < self.since:
            stats.inc_value("warta/skipped/before_since")
            return []
        if self.limit is not None and len(self.queued) >= self.limit:
            stats.inc_value("warta/skipped/limit")
            return []
        if self.budget_spent():
            stats.inc_value("warta/skipped/budget")
            return []
        if not self.frontier.claim("article", [page_key(canon)])[0]:  # queued by another crawl process
            stats.inc_value("warta/skipped/claimed")
            return []
        self.queued[page_key(canon)] = canon
        priority = int(entry.date.timestamp() // 86400) - 20000 if entry.date else 0  # newer first
        return [scrapy.Request(canon, callback=self.parse_article, errback=self.article_failed,
                               dont_filter=True, priority=max(-10, min(10, priority)), meta={"canon": canon})]

    # -- articles -----------------------------------------------------------------------------------
    async def parse_article(self, response: Response):
        canon = response.meta["canon"]
        ctype = response.headers.get(b"Content-Type", b"")
        if not ctype.startswith(HTML_TYPES) or looks_binary(response.body):  # a PDF or image served as HTML
            yield RejectItem(canon, self.outlet.id, "not-html")
            return
        html = response.text
        declared_canonical, challenge = head_info(html)
        if challenge:  # not worth an extraction
            self._blocked(canon)
            yield RejectItem(canon, self.outlet.id, "challenge", remember=False)
            return
        key = self._canonical(response.url)
        if key is None or not same_site(key, self.outlet.allowed_hosts):  # redirected off the outlet's hosts
            yield RejectItem(canon, self.outlet.id, "offsite", remember=False)
            return
        if declared_canonical:
            # Only an http(s) URL on the outlet's own hosts may name the article (never javascript:, never
            # another site); anything else falls back to the URL the page was fetched from.
            declared = self._canonical(urljoin(response.url, declared_canonical))
            if declared and same_site(declared, self.outlet.allowed_hosts):
                key = declared
            else:
                self.crawler.stats.inc_value("warta/ignored/canonical")
        aliases = {canon, key, *map(self._canonical, [response.url, *response.meta.get("redirect_urls", [])])}
        aliases = {a for a in aliases if a and same_site(a, self.outlet.allowed_hosts)}
        aliases.discard(key)
        page = page_key(key)
        held = self.stored.get(page) or (self.known.get(page) if page != page_key(canon) and not self.refresh
                                         else None)
        if held:  # the page is stored (or being extracted) under this URL or a twin of it
            self.crawler.stats.inc_value("warta/duplicates")
            aliases = (aliases | {key}) - {held}
            if page in self.pending_aliases:  # its extraction is in flight: the aliases ride along with it
                self.pending_aliases[page] |= aliases
            else:
                yield AliasItem(held, aliases)
            return
        self.stored[page] = key
        self.pending_aliases[page] = aliases | self.early_aliases.pop(page, set())
        try:
            done = await extraction_pool.extract(html, key, self.outlet, self.settings.getint("WARTA_EXTRACT_WORKERS"))
        except Exception as exc:  # a bug in extraction (or a worker that keeps dying), not a verdict on the page
            done = extraction_pool.Extracted(None, "extract-error", {"page": 1})
            self.logger.error("%s: extraction of %s failed", self.outlet.id, key, exc_info=exc)
        if done.errors or done.rejected == "extract-error":
            self._extract_error(key, done)
        if done.article is None:
            self.pending_aliases.pop(page, None)
            if done.rejected in TRANSIENT:
                self.stored.pop(page, None)
                if done.rejected == "challenge":
                    self._blocked(key)
                    yield RejectItem(key, self.outlet.id, "challenge", remember=False)
                return
            yield RejectItem(key, self.outlet.id, done.rejected)
            return
        article = done.article
        aliases = self.pending_aliases.pop(page, aliases)
        if self.since and article.published and article.published.date() < self.since:
            yield RejectItem(key, self.outlet.id, "before-since", remember=False)
            return
        yield ArticleItem(article, html.encode("utf-8"), aliases)  # as decoded by its charset, so kept as UTF-8

    def _blocked(self, url: str) -> None:
        """A bot challenge came back instead of the article: the outlet (or its CDN) is blocking warta. Counted
        and told in the run, never stored and never remembered."""
        self.crawler.stats.inc_value("warta/blocked/challenge")
        self.last_error = f"{url}: a bot-challenge page came back instead of the article (diblokir?)"

    def _extract_error(self, url: str, done) -> None:
        """An unexpected error inside extraction on this page (whether a fallback saved the article or not):
        counted in the run (warta/errors/extract-error, and by part), logged with the URL, and the run's
        result says it had errors."""
        stats = self.crawler.stats
        stats.inc_value("warta/errors/extract-error")
        for part, n in done.errors.items():
            stats.inc_value(f"warta/extract-errors/{part}", n)
        what = "not extracted" if done.article is None else "extracted by a fallback"
        parts = ", ".join(sorted(done.errors)) or "page"
        self.last_error = self.last_extract_error = f"{url}: extraction error in {parts}, {what}"
        self.logger.warning("%s: extraction error in %s on %s (%s)", self.outlet.id, parts, url, what)

    def _canonical(self, url: str) -> str | None:
        return safe_canonical(url, self.outlet.platform)

    def article_failed(self, failure):
        request = failure.request
        if failure.check(AlreadyHeld):
            yield from self._alias(failure.value.args[1], request.meta["canon"])
            return
        if self._not_sent(failure):
            return
        reason = self._error(request.url, failure)
        # Dead, broken or oversized pages are counted, not remembered: the next crawl may find them mended.
        yield RejectItem(request.meta.get("canon", request.url), self.outlet.id, reason, remember=False)

    def listing_failed(self, failure):
        request = failure.request
        if self._not_sent(failure):
            return
        if request.meta.get("probe") and failure.check(HttpError):
            self.crawler.stats.inc_value("warta/listings_absent")
            return
        self._error(request.url, failure)

    def redirect_held(self, request) -> str | None:
        """The URL of an article this run or the store holds (or has queued) that an article request was
        redirected to, when that is another page than the one requested: a shortlink (?p=ID) to a permalink
        the sitemap listed. Asked by the gate, so the page is not fetched twice."""
        origin = request.meta.get("canon")
        if not origin or not request.meta.get("redirect_urls"):
            return None
        target = self._canonical(request.url)
        page = page_key(target) if target else None
        if page is None or page == page_key(origin):
            return None
        held = self.stored.get(page) or self.queued.get(page) or self.known.get(page)
        if held is None and self.frontier.shared and not self.frontier.claim("article", [page])[0]:
            held = target  # another crawl process of the outlet has it
        return held

    def _alias(self, held: str, alias: str):
        """Remember alias for the article at held, wherever that article is in this run."""
        page = page_key(held)
        if page in self.pending_aliases:
            self.pending_aliases[page].add(alias)
        elif page in self.queued and page not in self.stored:
            self.early_aliases.setdefault(page, set()).add(alias)
        else:
            yield AliasItem(held, {alias})

    def _not_sent(self, failure) -> bool:
        """A request warta chose not to send (budget, stopping, another host, robots.txt): counted where it
        was dropped, never an error of the outlet's."""
        if failure.check(ForbiddenByRobots):
            self.crawler.stats.inc_value("warta/skipped/robots")
        return bool(failure.check(OverBudget, Offsite, Stopping, ForbiddenByRobots))

    def _bad_listing(self, response: Response, problem: ListingError):
        if not response.meta.get("probe") or problem.kind != "unreadable":  # a gzip bomb is never expected
            kind = "bad_listing" if problem.kind == "unreadable" else problem.kind
            self.crawler.stats.inc_value(f"warta/errors/{kind}")
            self.last_error = f"{response.url}: {problem}"
            self.logger.warning("%s: unreadable listing %s: %s", self.outlet.id, response.url, problem)
        return iter(())

    def _error(self, url: str, failure) -> str:
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"warta/errors/{reason}")
        self.last_error = f"{url}: {reason}"
        self.logger.info("%s: %s failed: %s", self.outlet.id, url, reason)
        return reason


def failure_reason(failure) -> str:
    """A short slug for why a request failed, the same across Scrapy versions (2.19 names its own download
    errors: DownloadTimeoutError, DownloadCancelledError for a body over DOWNLOAD_MAXSIZE)."""
    exc, name = failure.value, type(failure.value).__name__
    text = str(exc).lower()
    if failure.check(HttpError):
        return f"http-{exc.response.status}"
    if failure.check(IgnoreRequest) and "redirections" in text:
        return "redirect-loop"
    if failure.check(TxTimeoutError, asyncio.TimeoutError) or name in ("DownloadTimeoutError", "TimeoutError"):
        return "timeout"
    if name == "DownloadCancelledError" or "maxsize" in text or "max size" in text:
        return "too-large"
    if name in ("ResponseDataLossError", "ResponseFailed", "PotentialDataLoss"):
        return "truncated"
    if name in ("DownloadConnectionRefusedError", "ConnectionRefusedError", "CannotResolveHostError",
                "DNSLookupError"):
        return "unreachable"
    return name


def parse_since(value) -> date | None:
    """The --since bound (YYYY-MM-DD, or a date) as a date; None for none. ValueError says what was wrong."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").replace(tzinfo=UTC).date()
    except ValueError:
        raise ValueError(f"--since: expected YYYY-MM-DD, got {value!r}") from None
