"""Retry with exponential backoff: Scrapy's RetryMiddleware re-queues at once, which hammers a server
that is already failing. This waits base * 2**n seconds (or the server's Retry-After) first."""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Request, Response


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
