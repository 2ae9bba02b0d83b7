"""warta's web front end: a Flask application factory over the one search function.

Every HTML page has a JSON twin (Datasette's idea): `/` and `/api/search`, `/artikel/<id>` and
`/api/articles/<id>`, `/pantauan` and `/api/pantauan`. The app reads the index through
indexer.search.Searcher (which follows `warta index` updates and rebuilds by itself), the outlet registry
for names, and the store's crawl runs and watches; its one write is a watch made in the browser.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, request
from werkzeug.exceptions import BadHost, HTTPException, MethodNotAllowed

from indexer.search import Searcher
from registry import load_registry, url_problem
from runtime.paths import data_dir, index_path

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class ConfigError(ValueError):
    """A setting the app cannot run with (the message says which)."""


def create_app(data: str | Path | None = None, seeds: str | Path | None = None, **config) -> Flask:
    """data: the directory holding the index (default $WARTA_DATA or ./data); seeds: the outlet registry.
    WARTA_BASE_URL (config or environment): the public address, for the Atom feed's absolute links;
    without it the feed links relatively (the Host header is never trusted for links)."""
    app = Flask(__name__)
    app.config.update(WARTA_DATA=Path(data) if data else data_dir(), JSON_SORT_KEYS=False,
                      WARTA_BASE_URL=os.environ.get("WARTA_BASE_URL", ""))
    app.config.update(config)
    base = app.config["WARTA_BASE_URL"]
    if base and (url_problem(base) or urlsplit(base).query or urlsplit(base).fragment):
        raise ConfigError(f"WARTA_BASE_URL {base!r}: expected the public http(s) address, like "
                          f"'https://warta.example.id/' ({url_problem(base) or 'no query or fragment'})")
    app.config["WARTA_BASE_URL"] = base.rstrip("/")
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["warta.searcher"] = Searcher(index_path(app.config["WARTA_DATA"]))
    app.extensions["warta.outlets"] = load_registry(seeds)

    from search_web import api, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        """Routing errors (404, 405) happen before a blueprint is chosen: JSON under /api, a page elsewhere."""
        if isinstance(exc, BadHost):  # no URL can be built for this request, so no page either
            message = "the Host header is not a host name"
            if request.path.startswith("/api/"):
                return api.error(400, message)
            return Response(f"400 Bad Request: {message}\n", 400, mimetype="text/plain")
        if request.path.startswith("/api/"):
            return with_allow(api.error(exc.code or 500, exc.description or exc.name), exc)
        messages = {404: "Halaman tidak ditemukan.", 405: "warta hanya bisa dibaca: metode ini tidak tersedia."}
        body, status = pages.error_page(exc.code or 500, messages.get(exc.code, exc.name))
        return with_allow(Response(body, status, mimetype="text/html"), exc)

    return app


def with_allow(response: Response, exc: HTTPException) -> Response:
    """A 405 says which methods the resource does allow."""
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


class SecurityHeaders:
    """WSGI middleware: the security headers on every response, however it was made (Flask's last-resort
    500 included), unless a view set its own."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = [*headers, *((n, v) for n, v in SECURITY_HEADERS.items() if n.lower() not in present)]
            return start_response(status, headers, exc_info)
        return self.app(environ, start)
