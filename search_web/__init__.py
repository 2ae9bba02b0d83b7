"""warta's web front end: a Flask application factory over the one search function.

Every HTML page has a JSON twin (Datasette's idea): `/` and `/api/search`, `/artikel/<id>` and
`/api/articles/<id>`. The app only reads: the index through indexer.search.Searcher (which follows
`warta index` updates and rebuilds by itself) and the outlet registry for names.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from indexer.search import Searcher
from warta.paths import data_dir, index_path
from warta.registry import load_registry

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(data: str | Path | None = None, seeds: str | Path | None = None, **config) -> Flask:
    """data: the directory holding the index (default $WARTA_DATA or ./data); seeds: the outlet registry."""
    app = Flask(__name__)
    app.config.update(WARTA_DATA=Path(data) if data else data_dir(), JSON_SORT_KEYS=False, **config)
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
        if request.path.startswith("/api/"):
            return api.error(exc.code or 500, exc.description or exc.name)
        messages = {404: "Halaman tidak ditemukan.", 405: "warta hanya bisa dibaca: metode ini tidak tersedia."}
        return pages.error_page(exc.code or 500, messages.get(exc.code, exc.name))

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
