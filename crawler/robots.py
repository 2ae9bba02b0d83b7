"""robots.txt as RFC 9309 reads it, fetched once per host and shared with the spider.

Scrapy's RobotsTxtMiddleware takes a robots.txt that answers 5xx, or cannot be reached at all, as "allow
all". RFC 9309 2.3.1.4 says the opposite: an unreachable robots.txt (server or network error) means complete
disallow, until it can be read. 4xx means there is none (allow all), as in Scrapy.

The spider also needs robots.txt (its Sitemap: lines), and Scrapy's middleware fetches it on its own, so
each crawl fetched it twice. Here the spider's own request for the outlet's robots.txt (meta "robots")
is the one the middleware reads the rules from; other hosts of the outlet are fetched by the middleware as
usual. A request robots.txt forbids fails with ForbiddenByRobots, which the spider counts as skipped, not as
an error.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class ForbiddenByRobots(IgnoreRequest):
    """robots.txt does not let warta fetch this URL."""


def unreachable(status: int) -> bool:
    """RFC 9309 2.3.1.4: a server error means the rules are unknown, so nothing may be fetched."""
    return status >= 500


class RobotsMiddleware(RobotsTxtMiddleware):
    async def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get("robots"):  # the spider's robots.txt request: it is the one the rules come from
            netloc = request.meta.setdefault("robots_netloc", urlparse_cached(request).netloc)
            if netloc not in self._parsers:
                self._parsers[netloc] = Deferred()
            return None
        return await super().process_request(request)

    def process_response(self, request: Request, response: Response, spider=None):
        netloc = request.meta.get("robots_netloc")
        if request.meta.get("robots") and isinstance(self._parsers.get(netloc), Deferred):
            self._read(response, netloc)
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None):
        netloc = request.meta.get("robots_netloc")
        if request.meta.get("robots") and isinstance(self._parsers.get(netloc), Deferred):
            self._robots_error(exception, netloc)
        return None

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self._read(response, netloc)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        """robots.txt could not be fetched: unknown rules, nothing allowed."""
        self._stats.inc_value("warta/robots/unreachable")
        self._settle(netloc, DISALLOW_ALL)

    def process_request_2(self, rp, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise ForbiddenByRobots(str(exc)) from None

    def _read(self, response: Response, netloc: str) -> None:
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if unreachable(response.status):
            self._stats.inc_value("warta/robots/unreachable")
            body = DISALLOW_ALL
        elif 200 <= response.status < 300:
            body = response.body
        else:  # 4xx (and a 3xx left unfollowed): no rules
            body = b""
        self._settle(netloc, body)

    def _settle(self, netloc: str, body: bytes) -> None:
        parser = build_from_crawler(self._parserimpl, self.crawler, body)
        waiting = self._parsers.get(netloc)
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)
