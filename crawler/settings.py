"""Scrapy settings for warta: polite by default, bounded everywhere.

Per-outlet values (concurrency, delay) come from the registry and are applied by the spider.
"""

BOT_NAME = "warta"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "warta/0.1 (+https://github.com/warta-search/warta; berita pemerintah daerah; crawler@warta.id)"
ROBOTSTXT_OBEY = True

# Politeness: a few requests per outlet at a time, AutoThrottle adapting the delay to the server.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5

# Robustness: bounded time and size per response, retries with backoff, redirects followed but bounded.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 0.5  # seconds; doubles with each retry, Retry-After honoured up to the max
RETRY_BACKOFF_MAX = 30.0
# A 429 or 503 with Retry-After pauses the whole host (every queued request to it waits), up to this long; a
# server asking for more than this ends the outlet's run (budget "retry-after") and the next run carries on.
RETRY_AFTER_MAX = 120.0
REDIRECT_MAX_TIMES = 6
DOWNLOADER_MIDDLEWARES = {
    # Every request, redirects and robots.txt included, passes the gate first: only the outlet's own hosts,
    # nothing once the budget is spent or the crawl is stopping.
    "crawler.middlewares.GateMiddleware": 40,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,  # the gate does this, redirects included
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsMiddleware": 100,  # RFC 9309: 5xx or unreachable is "disallow all"; fetched once
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.encoding.CharsetMiddleware": 560,  # before retries see it, after decompression made the body
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}

# No server inside the crawl: Scrapy's telnet console and its remote-control HTTP server (2.19+, which runs
# code sent to it) both listen on a port; an unattended crawler beside the store must open none.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}
LOG_LEVEL = "INFO"
# "2026-11-23 09:00:41 +0700": local time with its offset, so a line read later, on another machine or beside
# a journal kept in UTC, still says when it happened. The scheduler's own log uses it too.
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S %z"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# Where the pipeline writes (overridden by `warta crawl --data`).
WARTA_STORE = "data/warta.sqlite3"
# Extraction workers (processes); 0 extracts in the crawler's own process.
WARTA_EXTRACT_WORKERS = 2
# Per-outlet budget of one run: once spent, nothing more is requested (queued requests are dropped), the run
# ends as finished with warta/budget/spent in its stats, and the next run goes on from there. Each paged
# listing is also bounded by the registry's max_pages.
WARTA_OUTLET_BUDGET_SECONDS = 3600.0
WARTA_OUTLET_BUDGET_PAGES = 20000
# A crawl frontier shared with other crawl processes (redis://host:port/N; `warta crawl --frontier`), or None
# for one of this process's own (crawler/frontier.py).
WARTA_FRONTIER = None
# Seconds from SIGTERM or Ctrl-C until a crawl stops whatever is still in flight (nothing new is sent meanwhile).
WARTA_STOP_GRACE_SECONDS = 5.0
