"""The system of record: every article crawled (with its raw HTML), every crawl run, the change log that
`warta index` follows, and the watches' state. The crawler writes it; the index is derived from it and can
be rebuilt from it at any time. On SQLite (store/sqlite.py, the default that needs nothing) or PostgreSQL
(store/postgres.py, for several machines); open_store picks by the location. Code above the store names only
what this package exports, never sqlite3 or psycopg."""

from __future__ import annotations

from pathlib import Path

from store.errors import StoreBusy, StoreError, is_busy
from store.location import file_path, is_server
from store.records import Article, CrawlRun
from store.sqlite import REJECT_RETRY, Store, content_hash, problem
from store.watches import WatchExists, WatchStore

__all__ = ["REJECT_RETRY", "Article", "CrawlRun", "Store", "StoreBusy", "StoreError", "WatchExists", "WatchStore",
           "content_hash", "exists", "is_busy", "is_server", "open_store", "problem"]


def exists(location: str | Path) -> bool:
    """Whether there is a store at location to read (a server's store is made when first opened)."""
    if is_server(location):
        from store.postgres import has_store

        return has_store(str(location))
    return file_path(location).exists()


def open_store(location: str | Path, readonly: bool = False) -> Store:
    """The store at location: a file path or sqlite:///path (SQLite), or postgresql://user@host:port/db."""
    location = str(location)
    if is_server(location):
        from store.postgres import PostgresStore

        return PostgresStore(location, readonly)
    return Store(file_path(location), readonly)
