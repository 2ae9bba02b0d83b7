"""The system of record: every article crawled (with its raw HTML), every crawl run, the change log that
`warta index` follows, and the watches' state. The crawler writes it; the index is derived from it and can
be rebuilt from it at any time. SQLite today (store/sqlite.py); code above the store names only what this
package exports, never sqlite3, so another engine changes this package only."""

from store.records import Article, CrawlRun
from store.sqlite import REJECT_RETRY, Store, StoreBusy, StoreError, content_hash, is_busy, problem
from store.watches import WatchExists, WatchStore

__all__ = ["REJECT_RETRY", "Article", "CrawlRun", "Store", "StoreBusy", "StoreError", "WatchExists", "WatchStore",
           "content_hash", "is_busy", "problem"]
