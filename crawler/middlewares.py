"""Downloader middlewares: the gate every request passes, and retries that slow the whole host.

The gate (GateMiddleware) runs first for every request the crawl would send, the ones Scrapy makes itself
included (redirects, retries, robots.txt): a request for any host but the outlet's own is dropped before a
connection is opened, so an outlet that redirects to 169.254.169.254 or 127.0.0.1:5432 cannot make warta
fetch it (a check after the fetch, as before, is a server-side request forgery with extra steps). It also
drops every request once the outlet's budget is spent (OutletSpider.budget_spent: the run ends as finished
and the next one carries on) and once the crawl is stopping (SIGTERM, Ctrl-C), so a stop opens no new
connection and ends within seconds instead of after every retry chain.

Retries (BackoffRetryMiddleware): Scrapy's RetryMiddleware re-queues at once, which hammers a server that is
already failing. Here a retry waits base * 2**n seconds first. A response that says Retry-After pauses the
whole host for that long instead, up to RETRY_AFTER_MAX, from the moment its headers arrive (Scrapy's
headers_received signal: by the time the response has passed the middlewares, a fast server has answered
the rest of the queue): the host's download slot holds the requests queued in it, and the gate holds the
ones on their way. A 429 or 503 asking for longer than the ceiling ends the outlet's run ("retry-after"),
counted in the run's stats, and the next scheduled run tries again.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.httpobj import urlparse_cached

from crawler.urls import fetchable, outlet_ports


class OverBudget(IgnoreRequest):
    """A request dropped because its outlet's crawl budget is spent."""


class Offsite(IgnoreRequest):
    """A request for a host that is not the outlet's (a redirect elsewhere): never sent."""


class Stopping(IgnoreRequest):
    """A request dropped because the crawl is stopping."""


class AlreadyHeld(IgnoreRequest):
    """A redirect to an article page this crawl holds already (a shortlink to a permalink read from the
    sitemap): not fetched twice; args[1] is the URL held."""


class GateMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request, spider=None):
        spider = spider or self.crawler.spider
        stats = self.crawler.stats
        outlet = getattr(spider, "outlet", None)
        if outlet is not None and not fetchable(request.url, outlet.allowed_hosts, outlet_ports(outlet.url)):
            stats.inc_value("warta/skipped/offsite")
            if request.meta.get("redirect_urls"):
                stats.inc_value("warta/skipped/offsite-redirect")
            raise Offsite(f"not one of the outlet's hosts: {request.url[:200]}")
        wait = paused_for(spider, request)
        if wait > 0:  # the host asked us to wait (Retry-After): this request waits with the rest
            stats.inc_value("warta/paused/held")
            await asyncio.sleep(wait)
        frontier = getattr(spider, "frontier", None)
        if frontier is not None and frontier.shared:  # the host's turn among all the outlet's crawl processes
            turn = frontier.take_turn(urlparse_cached(request).hostname or "", outlet.delay if outlet else 0.0)
            if turn > 0:
                await asyncio.sleep(turn)
        held = spider.redirect_held(request) if hasattr(spider, "redirect_held") else None
        if held:
            stats.inc_value("warta/skipped/redirect-to-known")
            raise AlreadyHeld(f"redirected to {held}, held already", held)
        if not self.crawler.crawling:  # Crawler.stop_async() under way: a signal, or the crawl is ending
            stats.inc_value("warta/skipped/stopping")
            raise Stopping("the crawl is stopping")
        check = getattr(spider, "budget_spent", None)
        if check is not None and check():
            stats.inc_value("warta/skipped/budget")
            raise OverBudget(f"crawl budget spent ({check()})")
        return None


def paused_for(spider, request: Request) -> float:
    """Seconds left of a pause the request's host asked for (0 when none)."""
    until = getattr(spider, "paused_until", {}).get(urlparse_cached(request).hostname or "", 0.0)
    return until - time.monotonic()


def retry_after(headers, now: datetime | None = None) -> float | None:
    """Seconds the server asks us to wait (RFC 9110 10.2.3: delay-seconds or an HTTP-date), else None."""
    value = (headers.get(b"Retry-After") or b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings, crawler=None):
        super().__init__(settings)
        self.crawler = crawler
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.pause_cap = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings, crawler)
        crawler.signals.connect(middleware.headers_received, signal=signals.headers_received)
        return middleware

    def headers_received(self, headers, body_length, request: Request, spider=None) -> None:
        asked = retry_after(headers)
        if asked is not None and asked > 0:
            self._pause_host(request, min(asked, self.pause_cap))

    async def process_response(self, request: Request, response: Response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after(response.headers) if response.status in (429, 503) else None
        if asked is not None and asked > self.pause_cap:
            self._give_up(request, response, asked)
            return response
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{response.status}",
                                  max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                                  priority_adjust=self.priority_adjust, stats_base_key="retry")
        if retry is None:
            return response
        if asked is None:  # with Retry-After, the retry waits in the paused host's queue with everything else
            await asyncio.sleep(min(self.cap, self.base * 2 ** request.meta.get("retry_times", 0)))
        return retry

    def _pause_host(self, request: Request, seconds: float) -> None:
        """Hold every request to this host for `seconds` (a longer pause already set stays): the ones on their
        way wait in the gate (spider.paused_until), the ones queued in the host's download slot in it."""
        spider = self.crawler.spider
        host = urlparse_cached(request).hostname or ""
        until = time.monotonic() + seconds
        paused = spider.paused_until
        if until <= paused.get(host, 0.0):
            return
        paused[host] = until
        stats = self.crawler.stats
        stats.inc_value("warta/paused/retry-after")
        stats.max_value("warta/paused/longest-seconds", round(seconds, 1))
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            hold(downloader, slot, seconds)
        spider.frontier.pause(host, seconds)  # and the outlet's other crawl processes, if it has any
        spider.note(f"{host} asked to wait {seconds:.0f} s (Retry-After); the host was paused")

    def _give_up(self, request: Request, response: Response, seconds: float) -> None:
        stats = self.crawler.stats
        stats.inc_value("warta/paused/retry-after-too-long")
        if not stats.get_value("warta/budget/spent"):
            stats.set_value("warta/budget/spent", "retry-after")
        self.crawler.spider.note(f"{request.url}: Retry-After {seconds:.0f} s is over {self.pause_cap:.0f} s; "
                                 "the rest of this outlet waits for the next run")


def hold(downloader, slot, seconds: float) -> None:
    """Send nothing from a download slot's queue for `seconds`.

    A slot (one per host) holds its queue while it has a `latercall` pending: Scrapy's own way of waiting out
    DOWNLOAD_DELAY (Downloader._process_queue), here a longer wait. Requests already sent are not affected.
    """
    if slot.latercall:
        slot.latercall.cancel()
    slot.latercall = call_later(seconds, downloader._latercall, slot)
