"""Downloader middlewares: the gate every request passes, and retries that slow the whole host.

The gate (GateMiddleware) runs first for every request the crawl would send, the ones Scrapy makes itself
included (redirects, retries, robots.txt): a request for any host but the outlet's own is dropped before a
connection is opened, so an outlet that redirects to 169.254.169.254 or 127.0.0.1:5432 cannot make warta
fetch it (a check after the fetch, as before, is a server-side request forgery with extra steps). It also
drops every request once the outlet's budget is spent (OutletSpider.budget_spent: the run ends as finished
and the next one carries on) and once the crawl is stopping (SIGTERM, Ctrl-C), so a stop opens no new
connection and ends within seconds instead of after every retry chain.

Retries (BackoffRetryMiddleware): Scrapy's RetryMiddleware re-queues at once, which hammers a server that is
already failing. Here a retry waits base * 2**n seconds first; a 429 or 503 that says Retry-After pauses
the whole host for that long instead (Scrapy's per-host download slot holds every queued request), up to
RETRY_AFTER_MAX. A server that asks for longer than that ends the outlet's run ("retry-after"), counted
in the run's stats, and the next scheduled run tries again.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later

from crawler.urls import fetchable, outlet_ports


class OverBudget(IgnoreRequest):  # noqa: N818 (Scrapy's IgnoreRequest family)
    """A request dropped because its outlet's crawl budget is spent."""


class Offsite(IgnoreRequest):  # noqa: N818
    """A request for a host that is not the outlet's (a redirect elsewhere): never sent."""


class Stopping(IgnoreRequest):  # noqa: N818
    """A request dropped because the crawl is stopping."""


class GateMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        spider = spider or self.crawler.spider
        stats = self.crawler.stats
        outlet = getattr(spider, "outlet", None)
        if outlet is not None and not fetchable(request.url, outlet.allowed_hosts, outlet_ports(outlet.url)):
            stats.inc_value("warta/skipped/offsite")
            if request.meta.get("redirect_urls"):
                stats.inc_value("warta/skipped/offsite-redirect")
            raise Offsite(f"not one of the outlet's hosts: {request.url[:200]}")
        if not self.crawler.crawling:  # Crawler.stop_async() under way: a signal, or the crawl is ending
            stats.inc_value("warta/skipped/stopping")
            raise Stopping("the crawl is stopping")
        check = getattr(spider, "budget_spent", None)
        if check is not None and check():
            stats.inc_value("warta/skipped/budget")
            raise OverBudget(f"crawl budget spent ({check()})")
        return None


def retry_after(response: Response, now: datetime | None = None) -> float | None:
    """Seconds the server asks us to wait (RFC 9110 10.2.3: delay-seconds or an HTTP-date), else None."""
    value = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
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
        self._paused: dict[str, float] = {}  # download slot key -> monotonic time its pause ends

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings, crawler)

    async def process_response(self, request: Request, response: Response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after(response) if response.status in (429, 503) else None
        if asked is not None and asked > self.pause_cap:
            self._give_up(request, response, asked)
            return response
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{response.status}",
                                  max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                                  priority_adjust=self.priority_adjust, stats_base_key="retry")
        if retry is None:
            return response
        if asked is not None:
            self._pause_host(request, asked)  # the retry waits in the host's queue with everything else
        else:
            await asyncio.sleep(min(self.cap, self.base * 2 ** request.meta.get("retry_times", 0)))
        return retry

    def _pause_host(self, request: Request, seconds: float) -> None:
        """Hold every request to this host for `seconds`.

        A download slot (one per host) holds its queue while it has a `latercall` pending: Scrapy's own way
        of waiting out DOWNLOAD_DELAY. A pause is such a call, later; a longer pause already set stays.
        """
        stats = self.crawler.stats
        stats.inc_value("warta/paused/retry-after")
        stats.max_value("warta/paused/longest-seconds", round(seconds, 1))
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        until = time.monotonic() + seconds
        if slot is not None and until > self._paused.get(key, 0.0):
            self._paused[key] = until
            if slot.latercall:
                slot.latercall.cancel()
            slot.latercall = call_later(seconds, downloader._latercall, slot)
        spider = self.crawler.spider
        if hasattr(spider, "note"):
            spider.note(f"{key} asked to wait {seconds:.0f} s (Retry-After); the host was paused")

    def _give_up(self, request: Request, response: Response, seconds: float) -> None:
        stats = self.crawler.stats
        stats.inc_value("warta/paused/retry-after-too-long")
        if not stats.get_value("warta/budget/spent"):
            stats.set_value("warta/budget/spent", "retry-after")
        spider = self.crawler.spider
        if hasattr(spider, "note"):
            spider.note(f"{request.url}: Retry-After {seconds:.0f} s is over {self.pause_cap:.0f} s; "
                        "the rest of this outlet waits for the next run")
