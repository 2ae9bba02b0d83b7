"""`warta serve`: the app behind waitress, a production WSGI server (threads, no debugger, no reloader)."""

from __future__ import annotations

import logging
from pathlib import Path

from waitress import serve as waitress_serve

from search_web import create_app


def serve(data: Path, seeds: Path | None, host: str, port: int, threads: int = 8) -> None:
    logging.getLogger("waitress").setLevel(logging.WARNING)
    app = create_app(data, seeds)
    waitress_serve(app, host=host, port=port, threads=threads, ident="warta", clear_untrusted_proxy_headers=True)
