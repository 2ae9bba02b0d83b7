"""Write what the spider yields into the article store, and record the crawl run with its stats."""

from __future__ import annotations

import logging

from scrapy import signals

from crawler.items import AliasItem, ArticleItem, RejectItem
from indexer.store import Store

log = logging.getLogger("warta.crawl")


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
        return pipeline

    def open_spider(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        self.store = Store(self.crawler.settings.get("WARTA_STORE"))
        self.run = self.store.begin_run(spider.outlet.id)

    def process_item(self, item, spider=None):
        stats = self.crawler.stats
        if isinstance(item, ArticleItem):
            outcome = self.store.save(item.article, item.html, item.aliases)
            setattr(self.run, outcome, getattr(self.run, outcome) + 1)
            stats.inc_value(f"warta/articles/{outcome}")
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
        stats = self.crawler.stats.get_stats()
        run = self.run
        run.pages = stats.get("downloader/response_count", 0)
        run.errors = sum(v for k, v in stats.items() if k.startswith("warta/errors/"))
        run.error = getattr(spider, "last_error", "")
        run.result = {"finished": "ok", "shutdown": "interrupted"}.get(reason, "failed")
        if run.result == "ok" and run.pages and not stats.get("warta/listings_ok", 0):
            run.result, run.error = "failed", run.error or "no listing (sitemap, feed or archive) could be read"
        if run.result == "ok" and not run.pages:
            run.result, run.error = "failed", run.error or "no page could be fetched"
        self.store.finish_run(run, stats)
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(run.rejected.items())) or "none"
        log.info("crawl %s: %s, %d pages, %d new, %d updated, %d unchanged, rejected: %s, %d errors%s",
                    run.outlet, run.result, run.pages, run.new, run.updated, run.unchanged, rejected, run.errors,
                    f" (last: {run.error})" if run.error else "")
        self.store.close()
