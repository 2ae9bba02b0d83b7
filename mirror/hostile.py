"""Hostile outlets on loopback: the faults real regional sites have, one small site per fault.

The outlet mirror (mirror/server.py) is a well-behaved world with a few traps. This is the other world: an
outlet that redirects warta to an internal address, answers robots.txt with 503, asks it to wait with 429
and Retry-After, serves "Halaman tidak ditemukan" with 200 OK and og:type article, a bot challenge in place
of the article, the same article under four URLs, mislabelled charsets, a gzip bomb for a sitemap, a page
that never ends, a connection that never answers, PDF and PNG as text/html, truncated bodies, redirect
loops, endless calendars and random next links, a listing with 5,000 links, and content nested past
libxml2's depth limit.

HostileSite serves one outlet: `route(path, query) -> Reply | (status, content_type, body) | None` (None is
a 404), on a loopback address, and records every request (path, time, client port) so a test can tell what
a crawl fetched and when. SCENARIOS builds each fault's route; HostileMirror starts them all, with two
servers nobody should ever reach (`victims`: 127.0.0.9 and another port of 127.0.0.1, as an internal
service would be), and writes the registry that crawls them.

Everything is bounded: a hanging answer waits at most Reply.hang seconds (and ends at shutdown), a page
that never ends stops at Reply.endless bytes or when the client goes away.
"""

from __future__ import annotations

import gzip
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PARAGRAPHS = [
    "Pemerintah Kota Binjai menggelar apel gabungan aparatur sipil negara di lapangan kantor wali kota pada "
    "Senin pagi, diikuti seluruh pimpinan organisasi perangkat daerah, camat dan lurah.",
    "Wali Kota Binjai meminta seluruh pimpinan organisasi perangkat daerah meningkatkan pelayanan publik bagi "
    "warga, terutama layanan kependudukan, kesehatan dan perizinan yang setiap hari dibutuhkan masyarakat.",
    "Ia juga meminta rumah sakit umum daerah membuka layanan pengaduan masyarakat secara langsung dan daring, "
    "serta menindaklanjuti setiap keluhan warga paling lambat dalam tiga hari kerja.",
]


@dataclass
class Reply:
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True  # send Content-Length (False: the body ends when the connection closes)
    declared_length: int | None = None  # a Content-Length other than the body's (a truncated answer)
    hang: float = 0.0  # seconds to hold the connection before answering anything (a black hole)
    trickle: float = 0.0  # seconds between 64-byte pieces of the body
    endless: int = 0  # bytes of filler streamed after the body, without Content-Length (a page that never ends)


Answer = Reply | tuple[int, str, bytes | str]
Route = Callable[[str, str], Answer | None]


def article(title: str, published: str | None = "2025-08-25T10:12:00+07:00", canonical: str | None = None,
            image: str | None = None, paragraphs: list[str] | None = None, og_type: str | None = None) -> str:
    """A page warta's extractor takes as an article (JSON-LD NewsArticle, a WordPress entry-content body)."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
    if published:
        ld["datePublished"] = published
    head = f"<title>{title}</title><script type='application/ld+json'>{json.dumps(ld)}</script>"
    if canonical is not None:
        head += f"<link rel='canonical' href='{canonical}'>"
    if image is not None:
        head += f"<meta property='og:image' content='{image}'>"
    if og_type is not None:
        head += f"<meta property='og:type' content='{og_type}'>"
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up (a crawler cutting an endless page) is part of the game, not an error."""


class HostileSite:
    def __init__(self, route: Route, host: str = "127.0.0.1"):
        self.route = route
        self.hits: list[tuple[str, float]] = []  # (path with query, time)
        self.completed: list[str] = []  # paths whose whole answer was written (the client waited for it)
        self.closing = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                site.hits.append((self.path, time.time()))
                answer = site.route(parts.path, parts.query) or (404, "text/html", "<h1>404 Not Found</h1>")
                try:
                    site._send(self, answer if isinstance(answer, Reply) else Reply(*answer))
                    site.completed.append(self.path)
                except (BrokenPipeError, ConnectionResetError, TimeoutError):
                    self.close_connection = True

            def log_message(self, *args) -> None:
                pass

        self.server = _Server((host, 0), Handler)
        self.base = f"http://{host}:{self.server.server_address[1]}"

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.hang and self.closing.wait(reply.hang):
            raise TimeoutError("the site is closing")
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        ctype = reply.content_type
        if ";" not in ctype and ctype.startswith("text/") and "charset" not in ctype:
            ctype += "; charset=utf-8"
        handler.send_response(reply.status)
        handler.send_header("Content-Type", ctype)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.endless or not reply.length:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        else:
            handler.send_header("Content-Length", str(reply.declared_length or len(body)))
        handler.end_headers()
        if reply.trickle:
            for i in range(0, len(body), 64):
                if self.closing.wait(reply.trickle):
                    raise TimeoutError("the site is closing")
                handler.wfile.write(body[i:i + 64])
                handler.wfile.flush()
        else:
            handler.wfile.write(body)
        filler = b"<p>" + b"isi " * 4000 + b"</p>\n"
        sent = 0
        while sent < reply.endless and not self.closing.is_set():
            handler.wfile.write(filler)
            sent += len(filler)
        if reply.declared_length:
            handler.close_connection = True

    def __enter__(self) -> HostileSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/") -> str:
        return self.base + path

    def paths(self, since: float = 0.0) -> list[str]:
        return [p for p, at in list(self.hits) if at >= since]

    def outlet(self, outlet: str = "trap", platform: str = "wordpress", **fields) -> str:
        """This site as a registry entry (no politeness delay: it is ours)."""
        entry = {"id": outlet, "name": f"Hostile {outlet}", "url": self.url("/"), "platform": platform,
                 "regions": ["Kota Binjai"], "delay": 0, **fields}
        return "[[outlet]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in entry.items())

    def seeds(self, path: Path, platform: str = "wordpress", outlet: str = "trap", **fields) -> Path:
        """A registry with this site as its one outlet."""
        path.write_text(self.outlet(outlet, platform, **fields), encoding="utf-8")
        return path


# -- the scenarios ----------------------------------------------------------------------------------------

def slug(name: str, day: int = 25) -> str:
    return f"/2025/08/{day:02d}/{name}/"


def _articles(*names: str) -> dict[str, str]:
    return {slug(n): article(" ".join(w.capitalize() for w in n.split("-"))) for n in names}


def _site(pages: dict[str, Answer], home: list[str] | None = None, robots: str = "User-agent: *\nAllow: /\n",
          extra: Route | None = None) -> Route:
    """A WordPress-like outlet: robots.txt, a home listing (pages' paths, or `home`), and the pages."""
    def route(path: str, query: str) -> Answer | None:
        if path == "/robots.txt":
            return 200, "text/plain", robots
        if path == "/":
            return 200, "text/html", listing(home if home is not None else list(pages))
        answer = extra(path, query) if extra else None
        if answer is not None:
            return answer
        page = pages.get(path + (f"?{query}" if query else ""), pages.get(path))
        if isinstance(page, str):
            return 200, "text/html", page
        return page
    return route


@dataclass(frozen=True)
class Victims:
    """Servers an outlet must never make warta reach: another host, and another port of the outlet's host."""
    other_host: HostileSite
    other_port: HostileSite


def offsite(v: Victims) -> Route:
    """Articles that redirect to an internal address: neither may be requested."""
    pages: dict[str, Answer] = _articles("apel-gabungan-pemko-binjai-senin")
    pages[slug("dialihkan-ke-alamat-internal")] = Reply(301, headers={
        "Location": v.other_host.url("/latest/meta-data/iam/")})
    pages[slug("dialihkan-ke-port-lain")] = Reply(302, headers={"Location": v.other_port.url("/admin/")})
    pages[slug("penyegaran-meta-ke-internal")] = (
        f"<html><head><meta http-equiv='refresh' content='0; url={v.other_host.url('/meta/')}'></head></html>")
    return _site(pages)


def robots_5xx(v: Victims) -> Route:
    """robots.txt answers 503: RFC 9309 says nothing may be fetched."""
    def route(path: str, query: str) -> Answer | None:
        if path == "/robots.txt":
            return 503, "text/plain", "Service Unavailable"
        return _site(_articles("apel-gabungan-pemko-binjai-senin"))(path, query)
    return route


def robots_deny(v: Victims) -> Route:
    """robots.txt disallows everything: only robots.txt is fetched, and that is the outlet's choice."""
    return _site(_articles("apel-gabungan-pemko-binjai-senin"), robots="User-agent: *\nDisallow: /\n")


def retry_after(v: Victims) -> Route:
    """The first article request gets 429 with Retry-After: 3; the host must stay quiet for those seconds."""
    names = [f"berita-pemko-binjai-nomor-{n}" for n in range(1, 9)]
    pages = _articles(*names)
    asked = threading.Lock()
    state = {"sent": False}

    def extra(path: str, query: str) -> Answer | None:
        if path in pages:
            with asked:
                if not state["sent"]:
                    state["sent"] = True
                    return Reply(429, "text/html", "<h1>Too Many Requests</h1>", {"Retry-After": "3"})
        return None
    return _site(pages, extra=extra)


SOFT_404 = ("<!doctype html><html lang='id'><head><meta charset='utf-8'><title>Halaman tidak ditemukan - Kabar "
            "Binjai</title><meta property='og:type' content='article'></head><body><h1>Halaman tidak ditemukan"
            "</h1><p>Maaf, halaman yang Anda cari tidak tersedia. Silakan kembali ke beranda Kabar Binjai atau "
            "gunakan kotak pencarian untuk menemukan berita pemerintah kota yang Anda butuhkan.</p></body></html>")
NOT_FOUND = ("<!doctype html><html lang='id'><head><meta charset='utf-8'><title>404 Not Found</title>"
             "<meta property='og:type' content='article'><meta property='article:published_time' "
             "content='2025-08-25T10:00:00+07:00'></head><body class='single'><h1>404 Not Found</h1><p>Berita yang "
             "Anda cari mungkin sudah dihapus, diganti namanya atau untuk sementara tidak tersedia bagi pembaca."
             "</p></body></html>")
CHALLENGE = ("<!doctype html><html lang='id'><head><meta charset='utf-8'><title>Just a moment...</title>"
             "<meta property='og:type' content='article'></head><body><div id='cf-wrapper'><h1>Pemerintah Kota "
             "Binjai</h1><p>Mohon tunggu sebentar, kami sedang memeriksa peramban Anda sebelum mengakses situs "
             "berita pemerintah daerah ini. Proses ini berlangsung otomatis.</p></div><script>window._cf_chl_opt="
             "{cvId:'3'};</script><script src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1'></script>"
             "</body></html>")


def soft_404(v: Victims) -> Route:
    """200-OK error pages dressed as articles, and a bot challenge in place of one."""
    pages: dict[str, Answer] = _articles("apel-gabungan-pemko-binjai-senin")
    pages[slug("berita-yang-sudah-dihapus-redaksi")] = SOFT_404
    pages[slug("tautan-lama-yang-sudah-mati")] = NOT_FOUND
    pages[slug("berita-di-balik-tantangan-bot")] = CHALLENGE
    return _site(pages)


def twins(v: Victims, port: Callable[[], int]) -> Route:
    """One article (no rel=canonical) listed under four URLs: with and without the slash, the print view, the
    https twin."""
    path = slug("wali-kota-binjai-resmikan-pasar-tavip")
    page = article("Wali Kota Binjai Resmikan Pasar Tavip")

    def route(p: str, query: str) -> Answer | None:
        if p == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nAllow: /\n"
        if p == "/":
            return 200, "text/html", listing([path + "?print=1", path.rstrip("/"), path,
                                              f"https://127.0.0.1:{port()}{path}"])
        if p.rstrip("/") == path.rstrip("/"):
            return 200, "text/html", page
        return None
    return route


MISLABELLED_CP1252 = "Pemkab Binjai Salurkan Bantuan \u201cRp 5 Juta\u201d \u2013 Warga Senang"
MISLABELLED_UTF8 = "Wali Kota Resmikan Caf\u00e9 UMKM \u2013 Binjai Timur"


def charset(v: Victims) -> Route:
    """Windows-1252 bytes labelled UTF-8, and UTF-8 labelled ISO-8859-1 (the page's meta says UTF-8)."""
    one = article(MISLABELLED_CP1252).encode("cp1252")
    two = article(MISLABELLED_UTF8).encode("utf-8")
    return _site({slug("bantuan-rp-lima-juta-warga"): (200, "text/html; charset=utf-8", one),
                  slug("wali-kota-resmikan-cafe-umkm"): (200, "text/html; charset=iso-8859-1", two)})


def gzip_bomb(v: Victims) -> Route:
    """robots.txt names a gzip'd sitemap that unpacks to 60 MB; the feed still lists the articles."""
    bomb = gzip.compress(b"<?xml version='1.0'?><urlset>" + b" " * (60 * 1024 * 1024), compresslevel=9)
    pages = _articles("apel-gabungan-pemko-binjai-senin")

    def extra(path: str, query: str) -> Answer | None:
        if path == "/sitemap-berita.xml.gz":
            return 200, "application/x-gzip", bomb
        return None
    robots = "User-agent: *\nAllow: /\nSitemap: /sitemap-berita.xml.gz\n"
    return _site(pages, robots=robots, extra=extra)


def endless_page(v: Victims) -> Route:
    """An article page that streams 60 MB without Content-Length (warta stops at its 8 MB cap)."""
    pages: dict[str, Answer] = _articles("apel-gabungan-pemko-binjai-senin")
    pages[slug("laporan-tanpa-akhir-dari-server")] = Reply(body="<html><body>", endless=60 * 1024 * 1024)
    return _site(pages)


def black_hole(v: Victims) -> Route:
    """An article whose server accepts the connection and never answers; another that trickles forever."""
    pages: dict[str, Answer] = _articles("apel-gabungan-pemko-binjai-senin")
    pages[slug("permintaan-tanpa-jawaban-sama-sekali")] = Reply(hang=120)
    pages[slug("halaman-yang-menetes-sangat-pelan")] = Reply(body=article("Menetes") * 20, trickle=1.0)
    return _site(pages)


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + bytes(range(256)) * 40 + b"\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40


def binary(v: Victims) -> Route:
    """PDF and PNG served as text/html at article URLs; a body cut short of its Content-Length; a redirect
    loop."""
    pages: dict[str, Answer] = _articles("apel-gabungan-pemko-binjai-senin")
    pages[slug("lampiran-apbd-dalam-bentuk-pdf")] = (200, "text/html", PDF)
    pages[slug("foto-kegiatan-dalam-bentuk-png")] = (200, "text/html", PNG)
    pages[slug("halaman-yang-terpotong-di-tengah")] = Reply(body=article("Terpotong").encode()[:900],
                                                             declared_length=20000)
    pages[slug("tautan-berputar-satu")] = Reply(302, headers={"Location": slug("tautan-berputar-dua")})
    pages[slug("tautan-berputar-dua")] = Reply(302, headers={"Location": slug("tautan-berputar-satu")})
    home = [p for p in pages if p != slug("tautan-berputar-dua")]
    return _site(pages, home=home)


def calendar(v: Victims) -> Route:
    """An archive whose every page links the next day forever, and a "next" link to a random page number."""
    rng = random.Random(7)

    def route(path: str, query: str) -> Answer | None:
        if path == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nAllow: /\n"
        if path == "/" or path.startswith("/page/"):
            n = int(path.strip("/").split("/")[-1]) if path != "/" else 1
            links = [slug(f"agenda-pemko-hari-ke-{n}-nomor-{k}", n % 28 + 1) for k in (1, 2)]
            return 200, "text/html", listing(links, next_url=f"/page/{rng.randrange(2, 10**9)}/")
        if path.startswith("/2025/08/"):
            return 200, "text/html", article(f"Agenda Pemko {path.strip('/').split('/')[-1]}")
        return None
    return route


def many_links(v: Victims) -> Route:
    """One listing with 5,000 links: tags, categories, other hosts and one page of its own paginated with
    itself; three of them are articles."""
    own = list(_articles("apel-gabungan-pemko-binjai-senin", "rapat-paripurna-dprd-kota-binjai",
                         "posyandu-keliling-kecamatan-binjai-timur"))
    links = []
    for n in range(4997):
        links.append((f"/tag/topik-{n}/", f"/category/rubrik-{n}/", f"https://portal-{n}.example/2025/08/01/x-y-z/",
                      f"/page/{n}/")[n % 4])
    links[1000:1000] = own
    return _site(_articles("apel-gabungan-pemko-binjai-senin", "rapat-paripurna-dprd-kota-binjai",
                           "posyandu-keliling-kecamatan-binjai-timur"), home=links)


def deep(v: Victims) -> Route:
    """An article whose body sits 400 elements deep (a page builder's nesting)."""
    page = article("Pemko Binjai Luncurkan Aplikasi Layanan Warga")
    page = page.replace("<article>", "<div class='vc_row'>" * 400 + "<article>").replace(
        "</article>", "</article>" + "</div>" * 400)
    return _site({slug("pemko-binjai-luncurkan-aplikasi-layanan-warga"): page})


SLOW = [slug(f"berita-lambat-pemko-binjai-{n}") for n in range(1, 13)]


def slow(seconds: float = 20.0) -> Route:
    """One quick article, then a dozen that each trickle for `seconds` (inside a 30 s timeout): a crawl to stop
    with requests in flight. The quick one is listed last, so it is fetched first (Scrapy's queue is LIFO)."""
    def route(path: str, query: str) -> Answer | None:
        if path == "/":
            return 200, "text/html", listing([*SLOW, slug("berita-cepat-pemko-binjai")])
        if path == slug("berita-cepat-pemko-binjai"):
            return 200, "text/html", article("Berita Cepat Pemko Binjai")
        if path in SLOW:
            page = article(f"Berita Lambat {path}")
            return Reply(body=page, trickle=seconds / (len(page) / 64))
        return None
    return route


# name -> (what it does, route builder); twins also needs its own port (for the https twin's URL).
SCENARIOS: dict[str, Callable[..., Route]] = {
    "offsite": offsite, "robots5xx": robots_5xx, "robotsdeny": robots_deny, "retryafter": retry_after,
    "soft404": soft_404, "twins": twins, "charset": charset, "gzipbomb": gzip_bomb, "endless": endless_page,
    "blackhole": black_hole, "binary": binary, "calendar": calendar, "manylinks": many_links, "deep": deep,
}
# Registry fields of a scenario. retryafter has a delay: with none, Scrapy 2.19 sends a host's whole queue at once
# whatever its concurrency (Downloader._process_queue marks a request transferring only once it starts).
FIELDS = {"retryafter": {"concurrency": 1, "delay": 0.1}, "calendar": {"max_pages": 6}}


class HostileMirror:
    """Every scenario, each its own outlet on its own port, plus the victims; `seeds()` writes the registry."""

    def __init__(self, names: list[str] | None = None):
        self.names = list(names or SCENARIOS)
        self.victims = Victims(HostileSite(lambda p, q: (200, "text/plain", "internal"), host="127.0.0.9"),
                               HostileSite(lambda p, q: (200, "text/plain", "admin")))
        self.sites: dict[str, HostileSite] = {}
        for name in self.names:
            build = SCENARIOS[name]
            holder: dict[str, HostileSite] = {}
            route = build(self.victims, lambda h=holder: h["site"].port) if name == "twins" else build(self.victims)
            holder["site"] = self.sites[name] = HostileSite(route)

    def __enter__(self) -> HostileMirror:
        for site in [self.victims.other_host, self.victims.other_port, *self.sites.values()]:
            site.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        for site in [self.victims.other_host, self.victims.other_port, *self.sites.values()]:
            site.__exit__(*exc)

    def seeds(self, path: Path) -> Path:
        text = "# warta's hostile outlets (mirror/hostile.py): each one misbehaves in one way\n\n"
        text += "\n".join(self.sites[n].outlet(n, **FIELDS.get(n, {})) for n in self.names)
        path.write_text(text, encoding="utf-8")
        return path
