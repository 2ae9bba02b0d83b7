"""A tiny outlet on loopback for the traps the mirror does not serve: every answer is set by the test.

`TrapSite(route)` serves `route(path, query) -> (status, content_type, body)` (None: 404) on 127.0.0.1 and
records every request, so a test can count what a crawl fetched. article() renders a page warta's extractor
takes as an article.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

Answer = tuple[int, str, bytes | str]

PARAGRAPHS = [
    "Pemerintah Kota Binjai menggelar apel gabungan aparatur sipil negara di lapangan kantor wali kota pada "
    "Senin pagi, diikuti seluruh pimpinan organisasi perangkat daerah, camat dan lurah.",
    "Wali Kota Binjai meminta seluruh pimpinan organisasi perangkat daerah meningkatkan pelayanan publik bagi "
    "warga, terutama layanan kependudukan, kesehatan dan perizinan yang setiap hari dibutuhkan masyarakat.",
    "Ia juga meminta rumah sakit umum daerah membuka layanan pengaduan masyarakat secara langsung dan daring, "
    "serta menindaklanjuti setiap keluhan warga paling lambat dalam tiga hari kerja.",
]


def article(title: str, published: str | None = "2025-08-25T10:12:00+07:00", canonical: str | None = None,
            image: str | None = None) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
    if published:
        ld["datePublished"] = published
    head = f"<title>{title}</title><script type='application/ld+json'>{json.dumps(ld)}</script>"
    if canonical is not None:
        head += f"<link rel='canonical' href='{canonical}'>"
    if image is not None:
        head += f"<meta property='og:image' content='{image}'>"
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'>{head}</head><body>"
            f"<article><h1 class='entry-title'>{title}</h1><div class='entry-content'>{body}</div></article>"
            f"</body></html>")


def listing(links: list[str], next_url: str | None = None) -> str:
    items = "".join(f"<li><a href='{u}'>{u}</a></li>" for u in links)
    nxt = f"<a class='next page-numbers' href='{next_url}'>Berikutnya</a>" if next_url else ""
    return f"<!doctype html><html lang='id'><head><title>Berita</title></head><body><ul>{items}</ul>{nxt}</body></html>"


def rss(links: list[str]) -> str:
    items = "".join(f"<item><title>{u}</title><link>{u}</link></item>" for u in links)
    return f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>"


class TrapSite:
    def __init__(self, route: Callable[[str, str], Answer | None]):
        self.route = route
        self.hits: list[tuple[str, float]] = []  # (path with query, time)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                site.hits.append((self.path, time.time()))
                answer = site.route(parts.path, parts.query) or (404, "text/html", "<h1>404 Not Found</h1>")
                status, ctype, body = answer
                body = body.encode("utf-8") if isinstance(body, str) else body
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype if "charset" in ctype else f"{ctype}; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> TrapSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/") -> str:
        return self.base + path

    def paths(self, since: float = 0.0) -> list[str]:
        return [p for p, at in list(self.hits) if at >= since]

    def seeds(self, path: Path, platform: str = "wordpress", outlet: str = "trap", **fields) -> Path:
        """A registry with this site as its one outlet (no politeness delay: it is ours)."""
        lines = ["[[outlet]]", f'id = "{outlet}"', 'name = "Trap News"', f'url = "{self.url("/")}"',
                 f'platform = "{platform}"', 'regions = ["Kota Binjai"]', "delay = 0"]
        lines += [f"{k} = {json.dumps(v)}" for k, v in fields.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
