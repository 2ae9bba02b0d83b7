"""What the page and API views share: the app's searcher, outlet registry and crawl status."""

from __future__ import annotations

from flask import current_app

from indexer.search import Searcher
from warta.registry import Outlet
from warta.status import OutletStatus, read_statuses


def searcher() -> Searcher:
    return current_app.extensions["warta.searcher"]


def outlets() -> list[Outlet]:
    return current_app.extensions["warta.outlets"]


def statuses() -> list[OutletStatus] | None:
    """Per-outlet freshness from the store (read-only), or None before the first crawl."""
    return read_statuses(outlets(), current_app.config["WARTA_DATA"], searcher())
