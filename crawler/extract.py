"""HTML -> Article: trafilatura plus what it does not know about Indonesian outlets.

The order of work:
1. a cheap look at the page (page_info): listings, error pages and non-HTML never reach extraction;
2. declared metadata (metadata.py): title, dates, author, image, tags;
3. the body: the theme's article container when the page has a known one (td-post-content,
   jeg_post_content, entry-content, post-body, isi-berita, itemprop=articleBody), cleaned of furniture
   (boilerplate.py) and read block by block, so that Blogger's <div>-and-<br> paragraphs survive;
   otherwise trafilatura on the cleaned page;
4. paragraph rules on the result: labels, cross-links, bylines (which become the author), the headline
   repeated as a first paragraph, and a body printed twice;
5. a quality gate: too short, not Indonesian, no title -> Rejected with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from crawler import boilerplate, dates, metadata
from crawler.language import is_indonesian
from crawler.urls import NOT_ARTICLE
from indexer.records import Article
from warta.registry import Outlet

MIN_WORDS = 40

# WordPress body classes of listing pages; Blogger and CMS listings are caught by counting posts.
_LISTING_BODY = re.compile(r"\b(?:archive|category|tag|author|search|search-results|home|blog|paged)\b")
_ERROR_BODY = re.compile(r"\berror404\b|\berror-page\b")
_ERROR_TITLE = re.compile(r"\b(?:404|not found|tidak ditemukan|halaman tidak ada|page not found|error 5\d\d|"
                          r"database error|kesalahan server)\b", re.IGNORECASE)
_POSTS = ('//*[contains(concat(" ", normalize-space(@class), " "), " post-outer ")]'
          ' | //*[contains(concat(" ", normalize-space(@class), " "), " card-berita ")]'
          ' | //article')
# Article containers of the themes and CMSs warta knows, most specific first.
_BODY_CLASSES = ("td-post-content", "jeg_post_content", "isi-berita", "detail-berita", "post-body", "entry-content",
                 "post-content", "article-content", "content-detail", "news-content", "single-content",
                 "detail__body-text", "read__content", "txt-article", "article-body", "content-berita")
_BODY_XPATH = " | ".join(
    ["//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' articleBody ')]"]
    + [f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {c} ')]" for c in _BODY_CLASSES])
_BLOCKS = frozenset({"p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article",
                     "ul", "ol", "dl", "dd", "dt", "header", "main", "center", "figure", "address"})
_SKIP = frozenset({"table", "figure", "img", "h1"})


_PAGED_PATH = re.compile(r"/page/\d+/?$")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


class Rejected(Exception):  # noqa: N818 (a verdict, not an error)
    """The page is not an article warta should store; str(exc) is the reason, a short slug."""


@dataclass(frozen=True)
class PageInfo:
    canonical: str
    is_listing: bool
    is_error: bool = False


def parse(html: str | bytes) -> etree._Element:
    if isinstance(html, str):  # lxml refuses decoded text that still declares an encoding (XHTML themes)
        html = _XML_DECL.sub("", html, count=1)
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, etree.ParserError) as exc:
        raise Rejected("unparseable") from exc
    return tree


def page_info(html: str | etree._Element) -> PageInfo:
    """Cheap structural facts about a page, read before the (expensive) extraction."""
    try:
        tree = parse(html) if isinstance(html, str | bytes) else html
    except Rejected:
        return PageInfo("", False)
    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), "")
    body_class = " ".join(tree.xpath("//body/@class"))
    og_type = " ".join(tree.xpath('//meta[@property="og:type"]/@content'))
    listing = bool(_LISTING_BODY.search(body_class)) or (og_type != "article" and len(tree.xpath(_POSTS)) > 3)
    title = " ".join(" ".join(tree.xpath("//head/title//text()")).split())
    error = bool(_ERROR_BODY.search(body_class) or tree.xpath("//body[@id='error-page']")
                 or (og_type != "article" and _ERROR_TITLE.search(title)))
    return PageInfo(canonical.strip(), listing and not error, error)


def extract(html: str | bytes, url: str, outlet: Outlet | None = None, *, language_gate: bool = True) -> Article:
    """Extract one article or raise Rejected with the reason (language_gate=False: any language passes, for
    scoring the body on foreign evaluation sets)."""
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        raise Rejected("empty")
    tree = parse(html)
    info = page_info(tree)
    if info.is_error:
        raise Rejected("error-page")
    if info.is_listing or _listing_url(url) or (info.canonical and _listing_url(info.canonical)):
        raise Rejected("listing-page")
    meta = metadata.read(tree)
    site_names = [meta.site_name] + ([outlet.name, outlet.host] if outlet else [])
    title = metadata.clean_title(meta.title, site_names)
    if not title:
        raise Rejected("no-title")
    paragraphs = _body(tree, url, outlet.drop if outlet else ())
    paragraphs, credits = _tidy(paragraphs, title, meta.headline_h1)
    text = "\n\n".join(paragraphs)
    if len(text.split()) < MIN_WORDS:
        raise Rejected("too-short")
    if language_gate and not is_indonesian(text, meta.lang):
        raise Rejected("not-indonesian")
    author = meta.author or credits.get("reporter") or credits.get("author") or credits.get("editor", "")
    return Article(url=url, outlet=outlet.id if outlet else "", title=title, text=text,
                   published=_published(meta, url, paragraphs), modified=meta.modified, author=author,
                   language="id", regions=outlet.regions if outlet else (), image=meta.image,
                   tags=tuple(meta.tags))


def _listing_url(url: str) -> bool:
    """Search, label, category, tag, author and paged URLs: listings on every platform."""
    parts = urlsplit(url)
    query = {k.lower() for k in parse_qs(parts.query, keep_blank_values=True)}
    return bool(NOT_ARTICLE.match(parts.path or "/") or _PAGED_PATH.search(parts.path)
                or query & {"page", "paged", "s", "q", "start-index", "updated-max", "label"})


def _body(tree: etree._Element, url: str, drop: tuple[str, ...]) -> list[str]:
    container = _container(tree)
    if container is not None:
        boilerplate.drop_furniture(container, drop)
        boilerplate.drop_read_also(container)
        paragraphs = _blocks(container)
        if sum(len(p.split()) for p in paragraphs) >= MIN_WORDS:
            return paragraphs
    boilerplate.drop_furniture(tree, drop)
    boilerplate.drop_read_also(tree)
    text = trafilatura.extract(tree, url=url, include_comments=False, include_tables=False, with_metadata=False,
                               deduplicate=True)
    return [p for p in (text or "").split("\n") if p.strip()]


def _container(tree: etree._Element) -> etree._Element | None:
    """The theme's article body: the candidate holding the most paragraph text."""
    best, best_len = None, 0
    for el in tree.xpath(_BODY_XPATH):
        size = sum(len(t) for t in el.xpath(".//p//text() | ./text() | ./div/text()"))
        if size > best_len:
            best, best_len = el, size
    return best


def _blocks(root: etree._Element) -> list[str]:
    """Paragraph texts of root in reading order: a block element or a <br> ends a paragraph."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            out.append(text)
        buf.clear()

    def walk(el: etree._Element) -> None:
        if el.text:
            buf.append(el.text)
        for child in el:
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                pass
            elif child.tag == "br":
                flush()
            elif child.tag in _BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)
            if child.tail:
                buf.append(child.tail)

    walk(root)
    flush()
    return out


def _tidy(paragraphs: list[str], title: str, h1: str) -> tuple[list[str], dict[str, str]]:
    """Drop labels, cross-links, bylines, the repeated headline and a repeated body; collect the credits."""
    heads = {_norm(title), _norm(h1)}
    seen: set[str] = set()
    out: list[str] = []
    credits: dict[str, str] = {}
    repeating = False
    for p in paragraphs:
        p = boilerplate.strip_inline_read_also(p)
        if boilerplate.is_boilerplate(p):
            continue
        credit = boilerplate.credit(p)
        if credit:
            credits.setdefault(credit[0], credit[1])
            continue
        key = _norm(p)
        if key in heads and not out:
            continue
        # A body printed twice repeats its long paragraphs, and the short ones between them; a short line
        # that an article itself repeats ("Pasal 28:") stays.
        if key in seen and (repeating or len(key.split()) >= 8):
            repeating = True
            continue
        repeating = False
        seen.add(key)
        out.append(p)
    return out, credits


def _published(meta: metadata.PageMeta, url: str, paragraphs: list[str]) -> datetime | None:
    """Declared date first; then the theme's date line, the URL, and the dateline of the first paragraphs."""
    if meta.published:
        return meta.published
    written = dates.parse_indonesian(meta.meta_line) if meta.meta_line else None
    from_url = dates.from_url(url)
    if written and (not from_url or written.date() == from_url.date() or from_url.day == 1):
        return written
    if from_url:
        return from_url
    return dates.parse_indonesian(" ".join(paragraphs))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
