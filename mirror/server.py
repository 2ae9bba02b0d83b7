"""Serve the mirror sites over real HTTP, each on its own loopback address like a separate host.

Separate addresses (127.0.1.1, 127.0.1.2, ...) matter: Scrapy keys politeness (download slots) and the
offsite filter by host name, so sites sharing one host would hide per-domain behaviour from the tests.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from mirror.build import MirrorConfig, build, load_site_specs
from mirror.model import MirrorArticle
from mirror.site import Site
from registry import load_registry


@dataclass(frozen=True)
class Hit:
    """One request the mirror answered, so tests can check what a crawler fetched."""

    site: str
    method: str
    path: str  # with query string
    status: int
    user_agent: str
    at: float


class Mirror:
    """All mirror sites, started and stopped together.

    >>> with Mirror(MirrorConfig(articles_per_site=20)) as mirror:
    ...     mirror.url("tri3news")
    """

    def __init__(self, config: MirrorConfig | None = None, registry: str | Path | None = None,
                 port: int = 0, single_host: bool = False):
        self.config = config or MirrorConfig()
        self.registry = registry
        self.port = port
        self.single_host = single_host  # all sites on 127.0.0.1, told apart by port (for hosts without 127.0.1.x)
        self.sites: dict[str, Site] = {}
        self.hits: list[Hit] = []
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self._specs = load_site_specs(registry)
        self._content = build(self.config, self._specs)

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> Mirror:
        for n, content in enumerate(self._content, 1):
            host = "127.0.0.1" if self.single_host else f"127.0.1.{n}"
            server = _Server((host, self.port + (n - 1 if self.single_host and self.port else 0)), _Handler)
            server.mirror = self
            base = f"http://{host}:{server.server_address[1]}"
            site = Site(content, self.config, base)
            server.site = site
            self.sites[content.spec.id] = site
            thread = threading.Thread(target=server.serve_forever, name=f"mirror-{content.spec.id}", daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def url(self, site_id: str, path: str = "/") -> str:
        return self.sites[site_id].view.url(path)

    def truth(self, site_id: str | None = None) -> list[MirrorArticle]:
        """Every article a complete crawl should store (robots-hidden and trap pages excluded)."""
        sites = [self.sites[site_id]] if site_id else self.sites.values()
        return [a for s in sites for a in s.articles()]

    def release(self, site_id: str | None = None, count: int = 1) -> list[MirrorArticle]:
        """Publish held-back articles on one site or on every site."""
        sites = [self.sites[site_id]] if site_id else self.sites.values()
        return [a for s in sites for a in s.release(count)]

    def hits_for(self, site_id: str) -> list[Hit]:
        return [h for h in list(self.hits) if h.site == site_id]

    def write_seeds(self, path: str | Path, delay: float = 0.0) -> Path:
        """A registry file for the mirror: the real entries, pointed at the mirror's addresses."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# Written by the warta outlet mirror: the registry's outlets, pointed at the local mirror.", ""]
        for outlet in load_registry(self.registry):
            site = self.sites.get(outlet.id)
            if site is None:
                continue
            lines += ["[[outlet]]", f"id = {_q(outlet.id)}", f"name = {_q(outlet.name)}",
                      f"url = {_q(site.view.url('/'))}", f"platform = {_q(outlet.platform)}",
                      f"regions = [{', '.join(map(_q, outlet.regions))}]"]
            for field in ("sitemaps", "feeds", "archives", "drop"):
                values = [_relative(v) for v in getattr(outlet, field)]
                if values:
                    lines.append(f"{field} = [{', '.join(map(_q, values))}]")
            lines += [f"schedule = {_q(outlet.schedule)}", f"concurrency = {outlet.concurrency}",
                      f"delay = {delay}", ""]
        path.write_text("\n".join(lines), encoding="utf-8")
        return path


def serve_forever(mirror: Mirror, release_every: float = 0.0) -> None:
    """Run until interrupted; with release_every, publish one new article per site at that interval."""
    try:
        while True:
            time.sleep(release_every or 3600)
            if release_every:
                for a in mirror.release():
                    print(f"mirror: published {a.site} {mirror.url(a.site, a.path)}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        mirror.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    site: Site
    mirror: Mirror

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up between requests (killed crawl, size limit) is normal web life, not news."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    server_version = "nginx"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer("GET")

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def _answer(self, method: str) -> None:
        parts = urlsplit(self.path)
        accept_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        site = self.server.site
        response = site.handle(method, parts.path or "/", parts.query, accept_gzip)
        self.server.mirror.hits.append(Hit(site.spec.id, method, self.path, response.status,
                                           self.headers.get("User-Agent", ""), time.time()))
        if response.delay:
            time.sleep(response.delay)
        self._server_name = response.headers.get("Server", "nginx")
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                if name not in ("Server", "Date"):  # send_response writes both
                    self.send_header(name, value)
            if method != "HEAD":
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout or a size limit): that is its right

    def version_string(self) -> str:
        return getattr(self, "_server_name", "nginx")

    def log_message(self, format: str, *args) -> None:  # quiet: tests read Mirror.hits instead
        pass


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _relative(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
