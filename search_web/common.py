"""What the page and API views share: the app's searcher, outlet registry and crawl status."""

from __future__ import annotations

from flask import current_app

from indexer.search import Searcher
from monitor import watches
from monitor.status import OutletStatus, read_statuses
from monitor.watches import Watch
from registry import Outlet
from store import StoreError, WatchExists, is_busy

WEB_WATCHES = 200  # watches a visitor may make from the browser, so a public server cannot be flooded


def searcher() -> Searcher:
    return current_app.extensions["warta.searcher"]


def outlets() -> list[Outlet]:
    return current_app.extensions["warta.outlets"]


class StoreUnreadableError(Exception):
    """The store exists but cannot be read (damaged, not SQLite): HTTP 503 with this message."""


def statuses() -> list[OutletStatus] | None:
    """Per-outlet freshness from the store (read-only), or None before the first crawl."""
    try:
        return read_statuses(outlets(), current_app.config["WARTA_DATA"], searcher())
    except StoreError as exc:
        if is_busy(exc):
            raise
        current_app.logger.error("the store cannot be read: %s", exc)
        raise StoreUnreadableError(f"the article store cannot be read ({exc}); see the server's log") from None


def watch_rows(name: str | None = None, stories: int = 20) -> list[dict]:
    """The watches (or the one named) from the store, read-only, each with the stories it found since it was
    made (newest first) and its failing deliveries; [] before the first crawl or watch."""
    from runtime.paths import store_location
    from store import exists, open_store

    location = store_location(current_app.config["WARTA_DATA"])
    if not exists(location):
        return []
    with open_store(location, readonly=True) as store:
        failing = store.watches.failures()
        return [{**w, "stories": store.watches.stories(w["name"], stories),
                 "failing": [f for f in failing if f["watch"] == w["name"]]}
                for w in store.watches.all() if name is None or w["name"] == name]


class TooManyWatchesError(Exception):
    """The server holds as many watches as a visitor may make (WEB_WATCHES); more only with `warta watch add`."""


def add_watch(watch: Watch) -> int:
    """Make a watch from the web (the one place the web app writes to the store: a row in its watches
    table, which `warta schedule` then runs). Returns how many stories it matches already (its baseline)."""
    from runtime.paths import store_location
    from store import open_store

    with open_store(store_location(current_app.config["WARTA_DATA"])) as store:
        names = {w["name"] for w in store.watches.all()}
        if watch.name in names:
            raise WatchExists(watch.name)
        if len(names) >= current_app.config.get("WARTA_WEB_WATCHES", WEB_WATCHES):
            raise TooManyWatchesError
        return watches.add(store, searcher(), watch)
