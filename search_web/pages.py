"""The HTML pages: search, an article's clean copy, and an Atom feed of any search.

Every state (query, filters, sort, page) lives in the URL, so a search can be bookmarked and shared.
Crawled text reaches the templates as plain strings and Jinja escapes it; the only markup warta adds
is `<mark>` in snippets, which Snippet.html() builds around escaped text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup

from indexer.index import IndexMissingError
from indexer.search import SearchError, SearchRequest
from indexer.serialize import local_time
from search_web.common import StoreUnreadableError, outlets, searcher, statuses
from search_web.dates import tanggal, tanggal_jam
from search_web.params import ParamError, search_request, to_args

bp = Blueprint("pages", __name__)
FEED_SIZE = 20


@bp.app_template_filter("tanggal")
def _tanggal(when: datetime | None) -> str:
    return tanggal(local_time(when))


@bp.app_template_filter("tanggal_jam")
def _tanggal_jam(when: datetime | None) -> str:
    return tanggal_jam(local_time(when))


@bp.app_template_global()
def search_url(req: SearchRequest, endpoint: str = "pages.search", **changes) -> str:
    return url_for(endpoint, **to_args(req, **changes))


@bp.app_template_global()
def toggled(values: tuple[str, ...], value: str) -> list[str]:
    """The filter values with value switched on or off (for facet links)."""
    return [v for v in values if v.lower() != value.lower()] if _has(values, value) else [*values, value]


@bp.app_template_global("has")
def _has(values: tuple[str, ...], value: str) -> bool:
    return value.lower() in {v.lower() for v in values}


@bp.get("/")
def search():
    try:
        req = search_request(request.args)
    except ParamError as exc:
        return error_page(400, str(exc))
    if not req.query:
        return render_template("search.html", req=req, result=None, outlets=outlets())
    try:
        result = searcher().search(req)
    except SearchError as exc:
        return error_page(400, str(exc), req=req)
    except IndexMissingError:
        return _no_index(req)
    return render_template("search.html", req=req, result=result, outlets=outlets(),
                           snippet=lambda hit: Markup(hit.snippet.html()),
                           title=lambda hit: Markup(hit.title.html()))


@bp.get("/artikel/<article_id>")
def article(article_id: str):
    try:
        found = searcher().article(article_id)
    except IndexMissingError:
        return _no_index(None)
    if found is None:
        return error_page(404, "Artikel tidak ditemukan. Mungkin sudah dihapus dari indeks.")
    paragraphs = [p for p in found.body.split("\n\n") if p.strip()]
    return render_template("article.html", article=found, paragraphs=paragraphs, back=request.args.get("q", ""))


@bp.get("/status")
def status():
    try:
        found = statuses()
    except StoreUnreadableError:
        return error_page(503, "Data perayapan tidak dapat dibaca; lihat log server.")
    return render_template("status.html", statuses=found, now=datetime.now(UTC))


@bp.get("/search.atom")
def feed():
    """Newest first, so a feed reader can follow a topic."""
    try:
        req = search_request(request.args)
        if not req.query:
            raise ParamError("'q' is required: the words to follow")
        req = replace(req, sort="newest", page=1, per_page=FEED_SIZE)
        result = searcher().search(req)
    except (ParamError, SearchError) as exc:
        return error_page(400, str(exc))
    except IndexMissingError:
        return _no_index(None)
    updated = max((h.article.published for h in result.hits if h.article.published), default=None)
    # Links from the configured public address, or relative: never from the request's Host header.
    base = current_app.config.get("WARTA_BASE_URL", "")
    feed_path = url_for("pages.feed", **to_args(req, sort=None, per_page=None))
    body = render_template("feed.xml", req=req, result=result,
                           updated=(updated.replace(tzinfo=UTC) if updated else datetime.now(UTC)).isoformat(),
                           page_url=base + url_for("pages.search", **to_args(req, sort="newest", per_page=None)),
                           feed_url=base + feed_path,
                           feed_id=base + feed_path if base else f"tag:warta,2025:{feed_path}",
                           local_time=local_time)
    return Response(body, mimetype="application/atom+xml")


def _no_index(req: SearchRequest | None):
    return error_page(503, "Indeks pencarian belum dibuat. Jalankan 'warta crawl' lalu 'warta index'.", req=req)


def error_page(status: int, message: str, req: SearchRequest | None = None):
    return render_template("error.html", status=status, message=message, req=req), status
