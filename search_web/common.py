"""What the page and API views share: the app's searcher and outlet registry."""

from __future__ import annotations

from flask import current_app

from indexer.search import Searcher
from warta.registry import Outlet


def searcher() -> Searcher:
    return current_app.extensions["warta.searcher"]


def outlets() -> list[Outlet]:
    return current_app.extensions["warta.outlets"]
