"""`warta serve`: the app behind waitress, a production WSGI server (threads, no debugger, no reloader)."""

from __future__ import annotations

import logging
from pathlib import Path

from waitress.server import create_server

from search_web import create_app


def make_server(data: Path, seeds: Path | None, host: str, port: int, threads: int = 8):
    """The server, listening already (so a port in use or a bad address is an OSError here, before any
    "serving" line); `.run()` serves until Ctrl-C or SIGTERM."""
    logging.basicConfig()  # as waitress.serve does: warnings and logged errors reach stderr
    logging.getLogger("waitress").setLevel(logging.WARNING)
    app = create_app(data, seeds)
    return create_server(app, host=host, port=port, threads=threads, ident="warta",
                         clear_untrusted_proxy_headers=True)


def serve(data: Path, seeds: Path | None, host: str, port: int, threads: int = 8) -> None:
    make_server(data, seeds, host, port, threads).run()
