"""The JSON API: the same search as the page, as data. Errors are JSON too, never an HTML traceback.

An error is {status, error, message, code, params}: `error` the HTTP status's name, `message` English prose
for a person, `code` a stable identifier a client can branch on (or translate, with `params`, the values
the message names) instead of parsing the prose. The web page renders the same codes in Bahasa Indonesia.
"""

from __future__ import annotations

import itertools
import logging

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from indexer.query import UserError
from indexer.search import IndexMissingError, SearchError
from indexer.serialize import article_json, result_json, timeline_json
from monitor.status import failing_watches, status_json
from search_web import profiles
from search_web.common import StoreUnreadableError, outlets, searcher, statuses, watch_rows
from search_web.export import FORMATS, lines
from search_web.openapi import document
from search_web.params import ParamError, search_request, timeline_params, to_args

bp = Blueprint("api", __name__, url_prefix="/api")
log = logging.getLogger(__name__)


NAMES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error",
         503: "Service Unavailable"}
CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 500: "internal_error",
         503: "unavailable"}  # when nothing more precise is known


def error(status: int, message: str, code: str | None = None, params: dict | None = None):
    """The JSON error response (see the module's docstring for its fields)."""
    response = jsonify({"status": status, "error": NAMES.get(status, "Error"), "message": message,
                        "code": code or CODES.get(status, "error"), "params": params or {}})
    response.status_code = status
    return response


@bp.errorhandler(ParamError)
@bp.errorhandler(SearchError)
def _bad_request(exc: UserError):
    return error(400, str(exc), exc.code, exc.params)


@bp.errorhandler(IndexMissingError)
def _no_index(exc: IndexMissingError):
    return error(503, str(exc), "index_missing")


@bp.errorhandler(StoreUnreadableError)
def _store_unreadable(exc: StoreUnreadableError):
    return error(503, str(exc), "store_unreadable")


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException):
    from search_web import with_allow
    return with_allow(error(exc.code or 500, exc.description or exc.name), exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    log.exception("API request failed: %s", request.full_path)
    return error(500, "internal error; it has been logged", "internal_error")


@bp.get("/search")
def search():
    req = search_request(request.args)
    if not req.query:
        raise ParamError("query_required", name="q")
    return jsonify(result_json(searcher().search(req)))


@bp.get("/timeline")
def timeline():
    req, interval, by = timeline_params(request.args)
    return jsonify(timeline_json(searcher().timeline(req, interval, by)))


@bp.get("/export")
def export():
    """Every match, streamed in the search's order (search_web/export.py); a client that goes away stops it."""
    req, _, _ = timeline_params(request.args)
    fmt = (request.args.get("format") or "csv").strip()
    if fmt not in FORMATS:
        raise ParamError("not_one_of", name="format", choices=", ".join(FORMATS), value=fmt[:40])
    rows = searcher().export(req)
    first = next(rows, None)  # errors (a bad query, no index) surface here, as a JSON error, not mid-stream

    def body():
        try:
            yield from lines(itertools.chain([first] if first else [], rows), fmt)
        finally:
            rows.close()  # a client gone halfway: the index generation is let go at once

    name = profiles.slugify(req.query or "semua")[:60] or "warta"
    return Response(body(), mimetype=FORMATS[fmt].split(";")[0], content_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="warta-{name}.{fmt}"'})


@bp.get("/<any(wilayah, lembaga):kind>/<slug>")
def profile(kind: str, slug: str):
    value = profiles.find(searcher(), kind, slug)
    if value is None:
        return error(404, f"no {'region' if kind == 'wilayah' else 'government body'} {slug[:60]!r} in the index",
                     "profile_not_found")
    found = profiles.profile(searcher(), kind, value)
    return jsonify(profiles.profile_json(found, url_for("pages.search", **to_args(found.request))))


@bp.get("/articles/<article_id>")
def article(article_id: str):
    found = searcher().article(article_id)
    if found is None:
        return error(404, f"no article with id {article_id[:40]!r}", "article_not_found")
    return jsonify(article_json(found))


@bp.get("/outlets")
def outlet_list():
    try:
        counts = searcher().outlet_counts()
    except IndexMissingError:
        counts = {}
    return jsonify({"outlets": [
        {"id": o.id, "name": o.name, "url": o.url, "platform": o.platform, "regions": list(o.regions),
         "articles": counts.get(o.id, 0)} for o in outlets()]})


@bp.get("/status")
def status():
    found = statuses()
    return jsonify({"outlets": [status_json(s) for s in found or []], "crawled": found is not None,
                    "failing_watches": failing_watches(current_app.config["WARTA_DATA"])})


@bp.get("/pantauan")
def watch_list():
    """The /pantauan page as data. Where a watch delivers (its webhook URL, its address) is not shown to
    visitors: only which channels it has."""
    return jsonify({"watches": [
        {"name": w["name"], "query": w["query"], "outlets": w["outlets"], "regions": w["regions"],
         "actors": w["actors"], "channels": [c for c in ("webhook", "email") if w[c]], "created": w["created"],
         "feed": url_for("pages.watch_feed", name=w["name"]),
         "stories": [{k: s[k] for k in ("story", "url", "title", "outlet", "published", "found")}
                     for s in w["stories"]],
         "failing": [{k: f[k] for k in ("channel", "waiting", "last_error")} for f in w["failing"]]}
        for w in watch_rows()]})


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/<path:anything>")
def _unknown(anything: str):
    return error(404, f"no API endpoint /api/{anything[:60]}", "no_endpoint")
