"""One mirror site: turns a request path into the response the real outlet would send.

Routing follows each platform's URL scheme (WordPress permalinks, /feed/, Yoast and core sitemaps;
Blogger's /YYYY/MM/slug.html, /feeds/posts/default, /search; a .go.id CMS's /berita?page=N), plus the
site's traps from mirror/sites.toml. Pure request -> response, so it can be tested without sockets.
"""

from __future__ import annotations

import gzip
import math
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qs, quote, unquote

from mirror import feeds
from mirror.build import MirrorConfig, SiteContent
from mirror.hostile import CHALLENGE
from mirror.model import WIB, MirrorArticle
from mirror.render import ArticleView, SiteView, render, slugify

WORDPRESS = ("newspaper", "jnews", "wpplain")
TRACKING_FEED = "?utm_source=rss&utm_medium=rss&utm_campaign={slug}"
FBCLID = "?fbclid=IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMs"
PRIVATE = {"wordpress": "/arsip-internal/", "blogger": "/search", "goid": "/berita/draft/"}
# A minimal valid PDF (one empty page): enough for content sniffing and for a crawler to skip.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
       b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
# 1x1 JPEG, served for every image path.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e"
    "1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501"
    "010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131"
    "410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a"
    "535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6"
    "b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ff"
    "d9")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the server waits before answering (slow pages)


class Site:
    def __init__(self, content: SiteContent, config: MirrorConfig, base_url: str):
        self.spec = content.spec
        self.view = SiteView(content.spec, base_url)
        self.config = config
        self.all = content.articles
        self.visible = max(0, len(self.all) - config.reserve_per_site)
        self._lock = threading.Lock()
        self._flaky_served: set[str] = set()
        self._huge: bytes | None = None
        self._cache: tuple | None = None
        self.family = "wordpress" if self.spec.theme in WORDPRESS else self.spec.theme
        self.failing = False  # set True to make the whole site answer 500, as a broken server does
        # What a redesign or a new CDN does to the article pages, as a test sets it mid-run (the listings stay):
        # "shell" renders each article as a script-only app shell with no text in the HTML (a redesign warta's
        # extractor cannot read), "challenge" serves a bot challenge in its place; None serves the article.
        self.redesign: str | None = None

    # -- content ------------------------------------------------------------------------------------
    def release(self, count: int = 1) -> list[MirrorArticle]:
        """Publish the next held-back articles, as if the newsroom just posted them."""
        with self._lock:
            start = self.visible
            self.visible = min(len(self.all), self.visible + count)
            return self.all[start:self.visible]

    def articles(self) -> list[MirrorArticle]:
        """Published articles a polite crawler can reach, oldest first: what a complete crawl stores."""
        return self._indexes()[0]

    def _indexes(self) -> tuple[list[MirrorArticle], dict[str, MirrorArticle], dict[str, MirrorArticle],
                                dict[str, int]]:
        """(articles, by path, by number, position by path), rebuilt only when a release publishes more."""
        cached = self._cache
        if cached and cached[0] == self.visible:
            return cached[1]
        private = self._private()
        arts = [a for a in self.all[: self.visible] if a is not private]
        value = (arts, {a.path: a for a in arts}, {str(a.number): a for a in arts},
                 {a.path: i for i, a in enumerate(arts)})
        self._cache = (self.visible, value)
        return value

    def _private(self) -> MirrorArticle | None:
        """An article that lives only under the robots.txt-disallowed section."""
        hidden = [a for a in self.all[: self.visible] if not a.pinned]
        return hidden[min(1, len(hidden) - 1)] if "private" in self.spec.traps and hidden else None

    def _newest(self, n: int | None = None, query: str = "") -> list[ArticleView]:
        arts = self.articles()[::-1]
        return [ArticleView(a, self.view, query) for a in (arts[:n] if n else arts)]

    def _by_path(self) -> dict[str, MirrorArticle]:
        return self._indexes()[1]

    def _special(self, index: int) -> MirrorArticle:
        arts = self.articles()
        return arts[min(index, len(arts) - 1)]

    def trap_paths(self) -> dict[str, str]:
        """Trap name -> path, for the traps this site serves."""
        newest = self.articles()[-1]

        def permalink(slug: str) -> str:
            return self.spec.permalink.format(yyyy=f"{newest.published:%Y}", mm=f"{newest.published:%m}",
                                              dd=f"{newest.published:%d}", slug=slug, number=newest.number + 3)

        paths = {}
        t = self.spec.traps
        if "dead" in t:
            paths["dead"] = permalink("pemko-gelar-rapat-koordinasi-yang-sudah-dihapus")
        if "error" in t:
            paths["error"] = permalink("galat-server-basis-data-berita")
        if "loop" in t:
            paths["loop"] = permalink("tautan-berputar-a")
            paths["loop_b"] = permalink("tautan-berputar-b")
        if "huge" in t:
            paths["huge"] = permalink("laporan-lengkap-realisasi-apbd-beserta-lampiran")
        if "chain" in t:
            paths["chain"] = self._chain_start(self._special(1))
        if "pdf" in t:
            paths["pdf"] = ("/uploads/dokumen/lkjip-2024.pdf" if self.family == "goid"
                            else "/wp-content/uploads/2025/01/laporan-kinerja-2024.pdf")
        if "private" in t:
            paths["private"] = self._private_path(self._private())
        if "slow" in t:
            paths["slow"] = self._special(2).path
        if "flaky" in t:
            paths["flaky"] = self._special(3).path
        return paths

    def _chain_start(self, a: MirrorArticle) -> str:
        return f"/berita.php?id={a.number}" if self.family == "goid" else f"/lama/{a.slug}/"

    def _private_path(self, a: MirrorArticle) -> str:
        if self.family == "blogger":
            return f"/search?q={quote(a.slug)}"
        return f"{PRIVATE[self.family]}{a.number}/{a.slug}/"

    def listed_paths(self) -> list[str]:
        """Article paths as discovery sees them (sitemaps, feeds), traps included."""
        paths = [a.path for a in self.articles()]
        return paths + [p for k, p in self.trap_paths().items() if k not in ("slow", "flaky", "loop_b", "private")]

    # -- HTTP ---------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: str, accept_gzip: bool = False) -> Response:
        try:
            if self.failing:
                raise RuntimeError("site switched to failing")
            response = self._route(path, parse_qs(query, keep_blank_values=True), query)
            if self.redesign and path in self._by_path():
                response = self._redesigned(self._by_path()[path])
        except Exception as exc:  # a mirror bug must look like a server error, not hang the crawler
            response = Response(500, f"mirror error: {exc!r}".encode(), {"Content-Type": "text/plain"})
        response.headers.setdefault("Server", "nginx" if self.family != "blogger" else "GSE")
        response.headers.setdefault("Date", _http_date(datetime.now(WIB)))
        ctype = response.headers.get("Content-Type", "")
        if (accept_gzip and self.config.gzip and len(response.body) > 1024 and "gzip" not in ctype
                and not ctype.startswith(("application/pdf", "image/"))):
            response.body = gzip.compress(response.body, compresslevel=1)
            response.headers["Content-Encoding"] = "gzip"
            response.headers["Vary"] = "Accept-Encoding"
        if method == "HEAD":
            response.headers["Content-Length"] = str(len(response.body))
            response.body = b""
        return response

    def _redesigned(self, a: MirrorArticle) -> Response:
        if self.redesign == "challenge":
            return Response(403, CHALLENGE.encode(), {"Content-Type": "text/html; charset=utf-8"})
        title = a.title.replace("&", "&amp;").replace("<", "&lt;")
        page = (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
                "<meta property='og:type' content='article'></head><body><div id='__next'></div>"
                f"<script id='__NEXT_DATA__' type='application/json'>{{\"props\":{{\"id\":{a.number}}}}}</script>"
                "<script src='/_next/static/chunks/main.js'></script></body></html>")
        return Response(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def _route(self, path: str, q: dict[str, list[str]], raw_query: str) -> Response:
        traps = {v: k for k, v in self.trap_paths().items()}
        if path == "/robots.txt":
            return self._robots()
        if path.endswith((".jpg", ".png")):
            return Response(200, JPEG, {"Content-Type": "image/jpeg", "Cache-Control": "max-age=31536000"})
        if path in traps and traps[path] not in ("slow", "flaky"):
            return self._trap(traps[path], path, raw_query)
        if self.family == "wordpress":
            return self._wordpress(path, q)
        if self.family == "blogger":
            return self._blogger(path, q)
        return self._goid(path, q)

    def _trap(self, name: str, path: str, raw_query: str) -> Response:
        if name == "dead":
            return self._not_found()
        if name == "error":
            if self.family == "wordpress":
                body = ("<!DOCTYPE html><html lang=\"en-US\"><head><meta charset=\"UTF-8\"><title>Database Error"
                        "</title></head><body id=\"error-page\"><div class=\"wp-die-message\"><h1>Error "
                        "establishing a database connection</h1></div></body></html>")
            else:
                body = ("<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal "
                        "Server Error</h1></center><hr><center>nginx</center></body></html>")
            return Response(500, body.encode(), {"Content-Type": "text/html; charset=UTF-8"})
        if name in ("loop", "loop_b"):
            other = self.trap_paths()["loop_b" if name == "loop" else "loop"]
            return _redirect(self.view.url(other), 301)
        if name == "chain":
            a = self._special(1)
            middle = f"/index.php?mod=berita&id={a.number}" if self.family == "goid" else f"/?p={a.number}"
            return _redirect(self.view.url(middle), 301)
        if name == "pdf":
            return Response(200, PDF, {"Content-Type": "application/pdf",
                                       "Content-Disposition": 'inline; filename="laporan.pdf"'})
        if name == "private":
            return self._article(self._private())
        if name == "huge":
            return self._huge_page()
        raise AssertionError(name)

    def _huge_page(self) -> Response:
        if self._huge is None:
            a = self._special(0)
            filler = "Laporan realisasi anggaran pendapatan dan belanja daerah per kegiatan dan sub kegiatan. "
            rows = "".join(f"<tr><td>{i}</td><td>{filler}</td><td>Rp {i * 1375:,}</td></tr>"
                           for i in range(self.config.huge_mb * 1024 * 1024 // 130))
            page = self._render_article(a).replace("</body>", f"<table class=\"lampiran\">{rows}</table></body>")
            self._huge = page.encode(self._charset, "xmlcharrefreplace")
        return Response(200, self._huge, {"Content-Type": f"text/html; charset={self._charset}"})

    # -- WordPress ----------------------------------------------------------------------------------
    def _wordpress(self, path: str, q: dict[str, list[str]]) -> Response:
        if path == "/" and "p" in q:
            a = self._by_number(q["p"][0])
            return _redirect(self.view.url(a.path), 301) if a else self._not_found()
        if path == "/" and "s" in q:
            term = q["s"][0].lower()
            return self._listing("search", f"Hasil pencarian: {q['s'][0]}",
                                 [a for a in self._newest() if term in a.title.lower()], 1, lambda n: "")
        if path.startswith("/lama/"):
            slug = path.strip("/").split("/")[-1]
            a = next((a for a in self.articles() if a.slug == slug), None)
            return _redirect(self.view.url(f"/?p={a.number}"), 301) if a else self._not_found()
        if path in ("/redaksi/", "/tentang-kami/"):
            return self._listing("archive", "Redaksi", [], 1, lambda n: "")
        if path.startswith("/feed"):
            return self._wp_feed(q)
        sitemap = self._wp_sitemap(path)
        if sitemap is not None:
            return sitemap
        base, page = _split_page(path)
        if base in ("/", ""):
            return self._paged("home", self.spec.name, self._newest(), page, "/")
        for prefix, kind, keys in (("/category/", "category", lambda a: {slugify(a.category)}),
                                   ("/tag/", "tag", lambda a: {slugify(t) for t in a.tags}),
                                   ("/author/", "author", lambda a: {slugify(a.author)})):
            if base.startswith(prefix):
                slug = base[len(prefix):].strip("/")
                items = [a for a in self._newest() if slug in keys(a)]
                if not items:
                    return self._not_found()
                heading = {"category": items[0].category, "author": items[0].author}.get(kind, slug.replace("-", " "))
                return self._paged(kind, heading, items, page, base)
        if path.endswith("/amp/") or q.get("amp"):
            a = self._by_path().get(path[: -len("amp/")] if path.endswith("/amp/") else path)
            return self._amp(a) if a else self._not_found()
        a = self._by_path().get(path)
        return self._article(a) if a else self._not_found()

    def _wp_feed(self, q: dict[str, list[str]]) -> Response:
        page = int(q.get("paged", ["1"])[0] or 1)
        size = self.spec.feed_size
        if "endless" in self.spec.traps:  # every ?paged=N past the end: the last page again
            page = min(page, max(1, math.ceil(len(self._newest()) / size)))
        items = self._newest()[(page - 1) * size: page * size]
        if not items:
            return self._not_found()
        suffix = TRACKING_FEED if "tracking" in self.spec.traps else ""
        return _xml(feeds.wordpress_rss(self.view, items, suffix), "application/rss+xml")

    def _wp_sitemap(self, path: str) -> Response | None:
        """The sitemaps of the outlet's WordPress SEO setup: Yoast's or WordPress core's."""
        entries = self._sitemap_entries()
        chunks = max(1, math.ceil(len(entries) / self.config.sitemap_size))
        if self.spec.sitemap == "yoast":
            return self._yoast_sitemap(path, entries, chunks)
        if self.spec.sitemap == "core":
            return self._core_sitemap(path, entries, chunks)
        return None

    def _yoast_sitemap(self, path: str, entries: list, chunks: int) -> Response | None:
        size = self.config.sitemap_size
        xsl = self.view.url("/main-sitemap.xsl")
        if path == "/sitemap.xml":
            return _redirect(self.view.url("/sitemap_index.xml"), 301)
        if path == "/sitemap_index.xml":
            names = [f"post-sitemap{'' if i == 0 else i + 1}.xml" for i in range(chunks)]
            index = [(self.view.url("/" + n), entries[min(len(entries), (i + 1) * size) - 1][1])
                     for i, n in enumerate(names)]
            index += [(self.view.url("/page-sitemap.xml"), None), (self.view.url("/category-sitemap.xml"), None),
                      (self.view.url("/author-sitemap.xml"), None)]
            return _xml(feeds.sitemap_index(index, xsl))
        if path.startswith("/post-sitemap") and path.endswith(".xml"):
            n = path[len("/post-sitemap"):-4]
            i = int(n) - 1 if n.isdigit() else 0 if n == "" else -1
            if not 0 <= i < chunks:
                return self._not_found()
            part = entries[i * size:(i + 1) * size]
            images = {loc: img for loc, _, img in part if img}
            return _xml(feeds.urlset([(loc, lm) for loc, lm, _ in part], images=images, stylesheet=xsl))
        if path == "/page-sitemap.xml":
            return _xml(feeds.urlset([(self.view.url("/"), None), (self.view.url("/redaksi/"), None)],
                                     images={}, stylesheet=xsl))
        if path == "/category-sitemap.xml":
            cats = sorted({slugify(a.category) for a in self.articles()})
            return _xml(feeds.urlset([(self.view.url(f"/category/{c}/"), None) for c in cats], images={}))
        if path == "/author-sitemap.xml":
            authors = sorted({slugify(a.author) for a in self.articles()})
            return _xml(feeds.urlset([(self.view.url(f"/author/{c}/"), None) for c in authors], images={}))
        if path == "/news-sitemap.xml" and self.spec.news_sitemap:
            return _xml(feeds.news_sitemap(self._newest(self.spec.feed_size), self.spec.name))
        return None

    def _core_sitemap(self, path: str, entries: list, chunks: int) -> Response | None:
        size = self.config.sitemap_size
        xsl = self.view.url("/wp-sitemap.xsl")
        if path == "/sitemap.xml":
            return _redirect(self.view.url("/wp-sitemap.xml"), 301)
        if path == "/wp-sitemap.xml":
            index = [(self.view.url(f"/wp-sitemap-posts-post-{i + 1}.xml"), None) for i in range(chunks)]
            index += [(self.view.url("/wp-sitemap-taxonomies-category-1.xml"), None),
                      (self.view.url("/wp-sitemap-users-1.xml"), None)]
            return _xml(feeds.sitemap_index(index, self.view.url("/wp-sitemap-index.xsl")))
        if path.startswith("/wp-sitemap-posts-post-") and path.endswith(".xml"):
            i = int(path[len("/wp-sitemap-posts-post-"):-4] or 0) - 1
            if not 0 <= i < chunks:
                return self._not_found()
            return _xml(feeds.urlset([(loc, lm) for loc, lm, _ in entries[i * size:(i + 1) * size]],
                                     stylesheet=xsl))
        if path == "/wp-sitemap-taxonomies-category-1.xml":
            cats = sorted({slugify(a.category) for a in self.articles()})
            return _xml(feeds.urlset([(self.view.url(f"/category/{c}/"), None) for c in cats], stylesheet=xsl))
        if path == "/wp-sitemap-users-1.xml":
            authors = sorted({slugify(a.author) for a in self.articles()})
            return _xml(feeds.urlset([(self.view.url(f"/author/{c}/"), None) for c in authors], stylesheet=xsl))
        return None

    def _sitemap_entries(self) -> list[tuple[str, datetime | None, str]]:
        """(loc, lastmod, image) of every listed article, oldest first; traps at the end."""
        by_path = self._by_path()
        out = []
        newest = self.articles()[-1].modified
        for p in self.listed_paths():
            a = by_path.get(p)
            out.append((self.view.url(p), a.modified if a else newest, self.view.url(a.image) if a else ""))
        return out

    # -- Blogger ------------------------------------------------------------------------------------
    def _blogger(self, path: str, q: dict[str, list[str]]) -> Response:
        if path == "/feeds/posts/default" or path == "/feeds/posts/summary":
            try:
                start = max(1, int(q.get("start-index", ["1"])[0]))
                per_page = min(500, max(1, int(q.get("max-results", ["25"])[0])))
            except ValueError:
                return Response(400, b"Invalid start-index or max-results", {"Content-Type": "text/plain"})
            items = self._newest()
            return _xml(feeds.blogger_atom(self.view, items[start - 1:start - 1 + per_page], len(items), start,
                                           per_page, "7085124385317201"), "application/atom+xml")
        if path == "/sitemap.xml":
            size = min(self.config.sitemap_size, 150)
            entries = self._sitemap_entries()[::-1]
            if "page" in q:
                page = int(q["page"][0] or 1)
                part = entries[(page - 1) * size: page * size]
                return _xml(feeds.urlset([(loc, lm) for loc, lm, _ in part])) if part else self._not_found()
            pages = max(1, math.ceil(len(entries) / size))
            return _xml(feeds.sitemap_index([(self.view.url(f"/sitemap.xml?page={i}"), None)
                                             for i in range(1, pages + 1)]))
        if path == "/sitemap-pages.xml":
            return _xml(feeds.urlset([(self.view.url("/p/tentang-kami.html"), None),
                                      (self.view.url("/p/kontak.html"), None)]))
        if path == "/search" or path.startswith("/search/label/"):
            label = unquote(path[len("/search/label/"):]) if path.startswith("/search/label/") else ""
            items = self._newest()
            if label:
                items = [a for a in items if label in a.tags]
            if "q" in q:
                items = [a for a in items if q["q"][0].lower() in (a.title + a.slug).lower()]
            return self._listing("search", label or "Hasil penelusuran", items[:7], 1, lambda n: "")
        if path == "/":
            items = self._newest()
            older = (self.view.url(f"/search?updated-max={quote(items[6].published.isoformat())}&max-results=7")
                     if len(items) > 7 else None)
            return self._html(render("blogger", "listing.html", site=self.view, heading=self.spec.name, kind="home",
                                     items=items[:7], page=1, num_pages=math.ceil(len(items) / 7), prev_url=None,
                                     next_url=older, latest=items[:5]))
        if path.startswith("/p/") and path.endswith(".html"):
            return self._not_found() if path not in ("/p/tentang-kami.html", "/p/kontak.html") else self._html(
                render("blogger", "listing.html", site=self.view, heading="Tentang Kami", kind="archive", items=[],
                       page=1, num_pages=1, prev_url=None, next_url=None, latest=self._newest(5)))
        a = self._by_path().get(path)
        return self._article(a) if a else self._not_found()

    # -- .go.id CMS ---------------------------------------------------------------------------------
    def _goid(self, path: str, q: dict[str, list[str]]) -> Response:
        if path in ("/sitemap.xml.gz", "/sitemap.xml") and self.spec.sitemap == "goid":
            body = feeds.urlset([(loc, lm) for loc, lm, _ in self._sitemap_entries()]).encode()
            if path.endswith(".gz"):
                return Response(200, gzip.compress(body), {"Content-Type": "application/x-gzip"})
            return _xml(body.decode())
        if path == "/index.php" and q.get("mod") == ["berita"]:
            a = self._by_number(q.get("id", [""])[0])
            return _redirect(self.view.url(a.path), 301) if a else self._not_found()
        if path in ("/", "/index.php"):
            return self._listing("home", self.spec.name, self._newest(6), 1, lambda n: "/berita")
        if path == "/berita":
            try:
                page = int(q.get("page", ["1"])[0])
            except ValueError:
                page = 1
            return self._paged("archive", "Berita", self._newest(), max(1, page), "/berita", empty_ok=True)
        if path in ("/pengumuman", "/profil", "/ppid"):
            return self._listing("archive", path.strip("/").title(), [], 1, lambda n: "")
        if path.startswith("/berita/baca/"):
            parts = path.split("/")
            a = self._by_number(parts[3]) if len(parts) > 3 else None
            if a and a.path != path:
                return _redirect(self.view.url(a.path), 301)
            return self._article(a) if a else self._not_found()
        return self._not_found()

    # -- pages --------------------------------------------------------------------------------------
    @property
    def _charset(self) -> str:
        return self.spec.encoding

    def _html(self, page: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        h = {"Content-Type": f"text/html; charset={self._charset if self._charset != 'utf-8' else 'UTF-8'}"}
        if self.family == "wordpress":
            h["Link"] = f'<{self.view.url("/wp-json/")}>; rel="https://api.w.org/"'
        h.update(headers or {})
        return Response(status, page.encode(self._charset, "xmlcharrefreplace"), h)

    def _render_article(self, a: MirrorArticle) -> str:
        arts = self.articles()
        i = self._indexes()[3].get(a.path, len(arts))
        related = [ArticleView(x, self.view) for x in arts[max(0, i - 3):i][::-1]]
        query = FBCLID if "tracking" in self.spec.traps else ""
        pdf = self.trap_paths().get("pdf")
        return render(self.spec.theme, "article.html", site=self.view, a=ArticleView(a, self.view),
                      related=related, latest=self._newest(5, query),
                      read_also=related[0] if related else None, now=datetime.now(WIB),
                      pdf_url=self.view.url(pdf) if pdf else None, comments=[])

    def _article(self, a: MirrorArticle) -> Response:
        traps = self.trap_paths()
        if traps.get("flaky") == a.path:
            with self._lock:
                first = a.path not in self._flaky_served
                self._flaky_served.add(a.path)
            if first:
                return Response(503, b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                                {"Content-Type": "text/html", "Retry-After": "1"})
        response = self._html(self._render_article(a), headers={"Last-Modified": _http_date(a.modified)})
        if traps.get("slow") == a.path:
            response.delay = self.config.slow_seconds
        return response

    def _amp(self, a: MirrorArticle) -> Response:
        return self._html(render("amp", "article.html", site=self.view, a=ArticleView(a, self.view)))

    def _paged(self, kind: str, heading: str, items: list[ArticleView], page: int, base: str,
               empty_ok: bool = False) -> Response:
        size = self.spec.page_size
        num_pages = max(1, math.ceil(len(items) / size))
        if "endless" in self.spec.traps and kind == "home":
            # pagination that never ends: past the last page, the last page again, with a next link
            shown = min(page, num_pages)
            return self._listing(kind, heading, items[(shown - 1) * size: shown * size], page,
                                 lambda n: self.view.url("/" if n == 1 else f"/page/{n}/"), page + 1)
        if page > num_pages and not empty_ok:
            return self._not_found()

        def page_url(n: int) -> str:
            if self.family == "goid":
                return self.view.url(f"{base}?page={n}")
            return self.view.url(base if n == 1 else f"{base.rstrip('/')}/page/{n}/")

        return self._listing(kind, heading, items[(page - 1) * size: page * size], page, page_url, num_pages)

    def _listing(self, kind: str, heading: str, items: list[ArticleView], page: int, page_url,
                 num_pages: int = 1) -> Response:
        return self._html(render(
            self.spec.theme, "listing.html", site=self.view, heading=heading, kind=kind, items=items, page=page,
            num_pages=num_pages, prev_url=page_url(page - 1) if page > 1 else None,
            next_url=page_url(page + 1) if page < num_pages else None, latest=self._newest(5)))

    def _not_found(self) -> Response:
        return self._html(render(self.spec.theme, "404.html", site=self.view, latest=self._newest(5)), status=404)

    def _robots(self) -> Response:
        if self.family == "wordpress":
            disallow = ["/wp-admin/"] + ([PRIVATE["wordpress"]] if "private" in self.spec.traps else [])
            sitemaps = {"yoast": ["/sitemap_index.xml"], "core": ["/wp-sitemap.xml"]}.get(self.spec.sitemap, [])
            if self.spec.news_sitemap:
                sitemaps.append("/news-sitemap.xml")
            text = feeds.robots(self.view, disallow, ["/wp-admin/admin-ajax.php"], sitemaps)
        elif self.family == "blogger":
            text = feeds.robots(self.view, ["/search"], ["/"], ["/sitemap.xml", "/sitemap-pages.xml"], blogger=True)
        else:
            disallow = ["/admin/", "/cgi-bin/"] + ([PRIVATE["goid"]] if "private" in self.spec.traps else [])
            text = feeds.robots(self.view, disallow, [], ["/sitemap.xml.gz"] if self.spec.sitemap == "goid" else [])
        return Response(200, text.encode(), {"Content-Type": "text/plain; charset=utf-8"})

    def _by_number(self, value: str) -> MirrorArticle | None:
        return self._indexes()[2].get(value)


def _split_page(path: str) -> tuple[str, int]:
    """/category/x/page/3/ -> (/category/x/, 3)"""
    parts = path.rstrip("/").split("/")
    if len(parts) >= 3 and parts[-2] == "page" and parts[-1].isdigit():
        return "/".join(parts[:-2]) + "/", int(parts[-1])
    return path, 1


def _redirect(location: str, status: int) -> Response:
    return Response(status, b"", {"Location": location, "Content-Type": "text/html; charset=UTF-8"})


def _xml(text: str, ctype: str = "application/xml") -> Response:
    return Response(200, text.encode("utf-8"), {"Content-Type": f"{ctype}; charset=UTF-8",
                                                "X-Robots-Tag": "noindex, follow"})


def _http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)
