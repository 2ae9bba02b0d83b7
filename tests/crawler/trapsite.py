"""The crawl tests' one-off outlets: mirror/hostile.py's HostileSite under the name these tests know it by.

`TrapSite(route)` serves `route(path, query) -> (status, content_type, body) | Reply | None` (None: 404) on
127.0.0.1 and records every request, so a test can count what a crawl fetched.
"""

from mirror.hostile import PARAGRAPHS, HostileSite, Reply, article, listing, rss

TrapSite = HostileSite

__all__ = ["PARAGRAPHS", "Reply", "TrapSite", "article", "listing", "rss"]
