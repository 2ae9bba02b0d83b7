"""HTML -> Article, with a quality gate that turns non-articles into a reason instead of a record.

This is trafilatura with its defaults plus the page checks the crawler needs; the Indonesian boilerplate
rules and date parsing are issue 4's work and land here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import html as lxml_html

from indexer.records import Article

MIN_WORDS = 40

# WordPress body classes of listing pages; Blogger and CMS listings are caught by counting posts.
_LISTING_BODY = re.compile(r"\b(?:archive|category|tag|author|search|search-results|home|blog|error404)\b")
_ARTICLE_TYPES = ("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle")


class Rejected(Exception):  # noqa: N818 (a verdict, not an error)
    """The page is not an article warta should store; str(exc) is the reason, a short slug."""


@dataclass(frozen=True)
class PageInfo:
    canonical: str
    is_listing: bool


def page_info(html: str) -> PageInfo:
    """Cheap structural facts about a page, read before the (expensive) extraction."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return PageInfo("", False)
    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), "")
    body_class = " ".join(tree.xpath("//body/@class"))
    og_type = " ".join(tree.xpath('//meta[@property="og:type"]/@content'))
    posts = len(tree.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " post-outer ")]'
                           ' | //*[contains(concat(" ", normalize-space(@class), " "), " card-berita ")]'
                           ' | //article'))
    listing = bool(_LISTING_BODY.search(body_class)) or (og_type != "article" and posts > 3)
    return PageInfo(canonical.strip(), listing)


def extract(html: str, url: str, outlet: str, regions: tuple[str, ...] = ()) -> Article:
    """Extract one article or raise Rejected with the reason."""
    if not html or not html.strip():
        raise Rejected("empty")
    if page_info(html).is_listing:
        raise Rejected("listing-page")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False)
    if doc is None or not (doc.text or "").strip():
        raise Rejected("no-text")
    text = "\n\n".join(p.strip() for p in doc.text.split("\n") if p.strip())
    if len(text.split()) < MIN_WORDS:
        raise Rejected("too-short")
    if not (doc.title or "").strip():
        raise Rejected("no-title")
    return Article(url=url, outlet=outlet, title=doc.title.strip(), text=text, published=_date(doc.date),
                   author=(doc.author or "").strip(), language="id", regions=regions, image=doc.image or "",
                   tags=tuple(t for t in (doc.tags or []) if t))


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
