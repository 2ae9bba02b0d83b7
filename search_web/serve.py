"""`warta serve`: the app behind a production WSGI server, on every core.

A search holds its catalog's lock while it touches Whoosh, so one process answers about as fast as one
core allows however many threads it has. With --workers N (default: the number of cores) gunicorn
pre-forks N processes behind one port, each with its own app and Searcher (opened after the fork, so
each follows `warta index` commits and rebuilt generations by itself); a worker that dies is replaced,
and SIGTERM lets requests in flight finish before the workers stop. Where gunicorn cannot run (no
fork, as on Windows) and for --workers 1, waitress serves the one process with threads.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

from search_web import create_app

GRACEFUL_SECONDS = 30  # how long SIGTERM waits for requests in flight


def default_workers() -> int:
    return os.cpu_count() or 1


def can_prefork() -> bool:
    try:
        import fcntl  # noqa: F401 - gunicorn needs POSIX

        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return hasattr(os, "fork")


def make_server(data: Path, seeds: Path | None, host: str, port: int, threads: int = 8, workers: int = 1):
    """The server, its address checked already (a port in use or a bad address is an OSError here, before
    any "serving" line; ConfigError for a bad setting); `.run()` serves until Ctrl-C or SIGTERM."""
    logging.basicConfig()  # warnings and logged errors reach stderr
    app = create_app(data, seeds)  # settings are checked here, in the parent, once
    if workers > 1 and can_prefork():
        _check_address(host, port)
        return _Prefork(data, seeds, host, port, threads, workers)
    from waitress.server import create_server

    logging.getLogger("waitress").setLevel(logging.WARNING)
    return create_server(app, host=host, port=port, threads=threads, ident="warta",
                         clear_untrusted_proxy_headers=True)


def _check_address(host: str, port: int) -> None:
    """Bind and release the address, so a taken port is one clear error instead of gunicorn's retry loop."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class _Prefork:
    """gunicorn's arbiter with warta's app factory; built lazily so waitress-only machines never import it."""

    def __init__(self, data: Path, seeds: Path | None, host: str, port: int, threads: int, workers: int):
        from gunicorn.app.base import BaseApplication

        class Application(BaseApplication):
            def load_config(self) -> None:
                bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
                for key, value in {"bind": [bind], "workers": workers, "threads": threads,
                                   "worker_class": "gthread", "graceful_timeout": GRACEFUL_SECONDS,
                                   "timeout": 60, "keepalive": 5, "loglevel": "warning", "accesslog": None,
                                   "proc_name": "warta-serve", "preload_app": False,
                                   # a URL of many filters runs past gunicorn's 4,094-byte request line, which
                                   # it refuses with an HTML page the JSON API does not document; waitress
                                   # (one worker) takes 256 kB of headers, and so does this
                                   "limit_request_line": 0, "limit_request_field_size": 262144}.items():
                    self.cfg.set(key, value)

            def load(self):
                return create_app(data, seeds)  # in each worker, after the fork: its own Searcher

        self._application = Application()

    def run(self) -> None:
        self._application.run()


def serve(data: Path, seeds: Path | None, host: str, port: int, threads: int = 8, workers: int = 1) -> None:
    make_server(data, seeds, host, port, threads, workers).run()
