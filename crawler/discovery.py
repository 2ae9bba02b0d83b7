"""Reading listings: sitemaps, RSS/Atom feeds and archive pages -> (article URL, date) pairs + next page.

Pure functions over bytes/text so each format can be tested on its own; the spider decides what to fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

# Where each platform keeps its listings when the registry and robots.txt say nothing.
STANDARD = {
    "wordpress": {"sitemaps": ["/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml"], "feeds": ["/feed/"],
                  "archives": ["/"]},
    "blogger": {"sitemaps": ["/sitemap.xml"], "feeds": ["/feeds/posts/default?start-index=1&max-results=150"],
                "archives": ["/"]},
    "goid": {"sitemaps": ["/sitemap.xml"], "feeds": [], "archives": ["/berita", "/"]},
    "generic": {"sitemaps": ["/sitemap.xml"], "feeds": ["/feed/"], "archives": ["/"]},
}

_NEXT_TEXT = re.compile(r"^\s*(?:next|berikutnya|selanjutnya|halaman berikutnya|posting lama|older posts|"
                        r"next page|›|»|>|>>)\s*[»›→>]*\s*$", re.IGNORECASE)


class ListingError(ValueError):
    """A listing that cannot be read: kind "unreadable" (not XML, not a sitemap, not a feed; on a probed
    path that is expected) or "too-large" (a sitemap that unpacks past the limit: a gzip bomb, always
    an error of the outlet's)."""

    def __init__(self, message: str, kind: str = "unreadable"):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Entry:
    url: str
    date: datetime | None = None  # lastmod, pubDate, published: whatever the listing gives


@dataclass(frozen=True)
class Listing:
    entries: list[Entry]
    children: list[Entry]  # sub-sitemaps of a sitemap index
    next_url: str | None = None


def parse_sitemap(body: bytes, max_size: int = 50 * 1024 * 1024) -> Listing:
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=max_size)
        except OSError as exc:
            raise ListingError(f"bad gzip: {exc}") from None
        except ValueError:  # scrapy.utils.gz: the unpacked size passed max_size
            raise ListingError(f"gzip'd sitemap unpacks to more than {max_size} bytes", "too-large") from None
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ListingError(f"not a sitemap: {exc}") from None
    if sitemap.type not in ("urlset", "sitemapindex"):
        raise ListingError(f"not a sitemap: root element {sitemap.type!r}")
    items = [Entry(d["loc"].strip(), parse_date(d.get("lastmod") or d.get("publication_date")))
             for d in sitemap if d.get("loc")]
    return Listing([], items) if sitemap.type == "sitemapindex" else Listing(items, [])


def parse_feed(body: bytes, url: str) -> Listing:
    """RSS 2.0 or Atom; next_url from Atom rel=next (Blogger paging)."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                            recover=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"not a feed: {exc}") from None
    if root is None:
        raise ListingError("not a feed: empty document")
    tag = etree.QName(root).localname
    if tag == "rss":
        entries = [Entry(urljoin(url, (item.findtext("link") or "").strip()),
                         parse_date(item.findtext("pubDate")))
                   for item in root.iter("item") if (item.findtext("link") or "").strip()]
        return Listing(entries, [])
    if tag == "feed":
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = []
        for entry in root.findall("a:entry", ns):
            link = entry.find("a:link[@rel='alternate']", ns)
            if link is None:
                link = entry.find("a:link", ns)
            if link is not None and link.get("href"):
                entries.append(Entry(urljoin(url, link.get("href")),
                                     parse_date(entry.findtext("a:published", namespaces=ns)
                                                or entry.findtext("a:updated", namespaces=ns))))
        nxt = root.find("a:link[@rel='next']", ns)
        return Listing(entries, [], urljoin(url, nxt.get("href")) if nxt is not None else None)
    raise ListingError(f"not a feed: root element {tag!r}")


# huge_tree: libxml2 otherwise stops at 256 levels of nesting and drops everything deeper, silently.
_HTML_PARSER = lxml_html.HTMLParser(huge_tree=True)


def parse_archive(text: str, url: str) -> Listing:
    """All links of an HTML listing page, and its next page if it has one."""
    try:
        tree = lxml_html.fromstring(text, base_url=url, parser=_HTML_PARSER)
    except (ValueError, etree.ParserError) as exc:
        raise ListingError(f"not HTML: {exc}") from None
    links = [urljoin(url, href.strip()) for href in tree.xpath("//a/@href")
             if href.strip() and not href.strip().startswith(("#", "javascript:", "mailto:", "tel:"))]
    return Listing([Entry(u) for u in dict.fromkeys(links)], [], _next_page(tree, url))


def _next_page(tree, url: str) -> str | None:
    candidates = tree.xpath('//link[@rel="next"]/@href | //a[@rel="next"]/@href'
                            ' | //a[contains(concat(" ", normalize-space(@class), " "), " next ")]/@href'
                            ' | //a[contains(@class, "blog-pager-older-link")]/@href'
                            ' | //a[contains(@class, "wp-block-query-pagination-next")]/@href')  # block themes
    candidates += [a.get("href") for a in tree.xpath("//a[@href]") if _NEXT_TEXT.match(a.text_content() or "")]
    if not candidates:
        # ?page=N links: take N+1 (home-made CMS pagination without rel or labels)
        page = int(parse_qs(urlsplit(url).query).get("page", ["1"])[0] or 1)
        wanted = _with_query(url, page=page + 1)
        candidates = [h for h in tree.xpath("//a/@href") if urljoin(url, h) == wanted]
    for href in candidates:
        absolute = urljoin(url, href.strip())
        if absolute != url:
            return absolute
    return None


def _with_query(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update({k: str(v) for k, v in params.items()})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def wordpress_feed_page(url: str, page: int) -> str:
    """WordPress feeds page with ?paged=N."""
    return _with_query(url, paged=page)


def parse_date(value: str | None) -> datetime | None:
    """W3C dates of sitemaps and Atom, RFC 822 dates of RSS; naive dates are taken as UTC."""
    if not value:
        return None
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
