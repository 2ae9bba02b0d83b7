"""Downloader middlewares: retry with backoff, and the per-outlet crawl budget.

Retry with exponential backoff: Scrapy's RetryMiddleware re-queues at once, which hammers a server
that is already failing. This waits base * 2**n seconds (or the server's Retry-After) first.

The budget: once an outlet's crawl has spent its time or page budget (OutletSpider.budget_spent), requests
still queued are dropped instead of fetched, so a run ends soon after, recorded as finished, and the next
run picks up what is left.
"""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response


class OverBudget(IgnoreRequest):  # noqa: N818 (Scrapy's IgnoreRequest family)
    """A request dropped because its outlet's crawl budget is spent."""


class BudgetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        spider = spider or self.crawler.spider
        check = getattr(spider, "budget_spent", None)
        if check is not None and check():
            self.crawler.stats.inc_value("warta/skipped/budget")
            raise OverBudget(f"crawl budget spent ({check()})")
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_response(self, request: Request, response: Response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{response.status}",
                                  max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                                  priority_adjust=self.priority_adjust, stats_base_key="retry")
        if retry is None:
            return response
        await asyncio.sleep(self._delay(request.meta.get("retry_times", 0), response))
        return retry

    def _delay(self, attempt: int, response: Response) -> float:
        after = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
        if after.isdigit():
            return min(self.cap, float(after))
        return min(self.cap, self.base * 2**attempt)
