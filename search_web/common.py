"""What the page and API views share: the app's searcher, outlet registry and crawl status."""

from __future__ import annotations

from flask import current_app

from indexer.index import IndexMissingError
from indexer.search import Searcher
from indexer.store import Store
from warta.paths import store_path
from warta.registry import Outlet
from warta.status import OutletStatus, outlet_statuses


def searcher() -> Searcher:
    return current_app.extensions["warta.searcher"]


def outlets() -> list[Outlet]:
    return current_app.extensions["warta.outlets"]


def statuses() -> list[OutletStatus] | None:
    """Per-outlet freshness from the store (read-only), or None before the first crawl."""
    data = current_app.config["WARTA_DATA"]
    if not store_path(data).exists():
        return None
    try:
        indexed = searcher().outlet_counts()
    except IndexMissingError:
        indexed = {}
    with Store(store_path(data), readonly=True) as store:
        return outlet_statuses(outlets(), store, indexed, data)
