"""HTML -> Article: trafilatura plus what it does not know about Indonesian outlets. This module only
orchestrates; each step has its own module.

The order of work:
1. a cheap look at the page (pagekind.py): its kind by structure. A page that declares an article (JSON-LD
   article type, article:published_time, articleBody, a WordPress single-post body) is never a listing; a
   listing is many short linked teasers, a listing body class or a listing URL with no article signal;
   error pages and non-HTML never reach extraction;
2. declared metadata (metadata.py): title (site names stripped), dates, author, image, tags;
3. the body (body.py): the theme's article container when the page has a known one (td-post-content,
   jeg_post_content, entry-content, post-body, isi-berita, itemprop=articleBody), cleaned of furniture and
   teaser cards (boilerplate.py) and read block by block, so that Blogger's <div>-and-<br> paragraphs survive;
   its short non-sentence lines must be read by trafilatura too. When the page has no known container, or
   the container holds far less than the page's article block, the general path: trafilatura on the cleaned
   page. Cleaning never removes the element that holds the article block;
4. paragraph rules on the result (tidy.py): labels, cross-links, furniture lines, bylines (which become the
   author), the headline repeated as a first paragraph, and a body printed twice;
5. the article's own date: declared, the line beside the headline, the first paragraph's dateline, the URL;
6. a quality gate: too short, not Indonesian, no title -> Rejected with the reason;
7. where and who (places.py): the regions the article is about and the government bodies it names.

extract() raises nothing but Rejected: an unexpected error in a part is logged with the URL and counted in
ERRORS, and the part falls back: metadata and the body to trafilatura's reading, the paragraph rules, the
date and places to nothing (the body as read, no date, no places).
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from datetime import datetime
from urllib.parse import urlsplit

import trafilatura
from lxml import etree

from crawler import body, dates, metadata, places
from crawler.language import is_indonesian
from crawler.pagekind import Rejected, page_info, parse
from crawler.tidy import printed_headline, tidy
from registry import Outlet
from store import Article

MIN_WORDS = 40
MIN_WORDS_DECLARED = 15  # a page that declares itself an article may be a short news flash


def extract(html: str | bytes, url: str, outlet: Outlet | None = None, *, language_gate: bool = True,
            fetched: datetime | None = None) -> Article:
    """Extract one article or raise Rejected with the reason (language_gate=False: any language passes, for
    scoring the body on foreign evaluation sets).

    Never raises anything but Rejected: an unexpected error in the metadata, date or boilerplate code falls
    back to trafilatura for that part (logged with the URL, counted in ERRORS); an error nothing can mend
    is Rejected("extract-error").
    """
    try:
        return _extract(html, url, outlet, language_gate, fetched)
    except Rejected:
        raise
    except Exception as exc:
        _error("page", url, exc)
        raise Rejected("extract-error") from exc


# Unexpected errors by the part of extraction that fell back ("metadata", "body", "tidy", "date", "page"),
# for the crawl run to report as extract-errors; the log line names the URL.
ERRORS: Counter = Counter()
log = logging.getLogger("warta.extract")


def _error(part: str, url: str, exc: BaseException) -> None:
    ERRORS[part] += 1
    log.warning("extract-error in %s for %s: %s: %s", part, url, type(exc).__name__, exc)


def _extract(html: str | bytes, url: str, outlet: Outlet | None, language_gate: bool,
             fetched: datetime | None = None) -> Article:
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        raise Rejected("empty")
    tree = parse(html)
    info = page_info(tree, url)
    if info.is_challenge:
        raise Rejected("challenge")
    if info.is_error:
        raise Rejected("error-page")
    if info.is_listing:
        raise Rejected("listing-page")
    try:
        meta = metadata.read(tree)
    except Exception as exc:
        _error("metadata", url, exc)
        meta = _fallback_meta(tree, url)
    site_names = [meta.site_name, urlsplit(url).hostname or ""] + ([outlet.name, outlet.host] if outlet else [])
    title = printed_headline(metadata.clean_title(meta.title, site_names), meta.headline_h1)
    if not title:
        raise Rejected("no-title")
    min_words = MIN_WORDS_DECLARED if info.declared else MIN_WORDS
    try:
        paragraphs = body.read(tree, url, outlet.drop if outlet else (), min_words)
    except Exception as exc:
        _error("body", url, exc)
        paragraphs = _plain_body(parse(html), url)  # the tree may be half cleaned: start again from the page
    try:
        paragraphs, credits = tidy(paragraphs, title, meta.headline_h1)
    except Exception as exc:
        _error("tidy", url, exc)
        credits = {}
    text = "\n\n".join(paragraphs)
    if len(text.split()) < min_words:
        raise Rejected("too-short")
    if language_gate and not is_indonesian(text, meta.lang):
        raise Rejected("not-indonesian")
    author = meta.author or credits.get("reporter") or credits.get("author") or credits.get("editor", "")
    try:
        published = _published(meta, url, paragraphs, fetched)
    except Exception as exc:
        _error("date", url, exc)
        published = None
    try:
        # a government's own website names its head without the region ("kata Bupati"): the registry knows whose
        home = places.home_of(outlet.regions) if outlet and outlet.platform == "goid" else None
        found = places.tag(title, "\n".join(paragraphs), home, outlet.office if home else None)
        regions, actors = tuple(found.region_names()), tuple(found.actors)
    except Exception as exc:
        _error("places", url, exc)
        regions, actors = (), ()
    return Article(url=url, outlet=outlet.id if outlet else "", title=title, text=text,
                   published=published, modified=meta.modified, author=author,
                   language="id", regions=regions, image=meta.image, tags=tuple(meta.tags),
                   outlet_regions=outlet.regions if outlet else (), actors=actors)


def _fallback_meta(tree: etree._Element, url: str) -> metadata.PageMeta:
    """Title, dates and author as trafilatura reads them, for a page whose metadata broke warta's reader."""
    meta = metadata.PageMeta()
    try:
        doc = trafilatura.bare_extraction(copy.deepcopy(tree), url=url, with_metadata=True, only_with_metadata=False)
    except Exception as exc:
        _error("metadata-fallback", url, exc)
        doc = None
    if doc is not None:
        meta.title, meta.author = doc.title or "", doc.author or ""
        meta.site_name, meta.image = doc.sitename or "", doc.image or ""
        meta.published = dates.parse_iso(doc.date) if doc.date else None
    if not meta.title:
        meta.title = " ".join(" ".join(str(t) for t in tree.xpath("//head/title//text()")).split())
    return meta


def _plain_body(tree: etree._Element, url: str) -> list[str]:
    try:
        text = trafilatura.extract(copy.deepcopy(tree), url=url, include_comments=False)
    except Exception as exc:
        _error("body-fallback", url, exc)
        return []
    return [p for p in (text or "").split("\n") if p.strip()]


def _published(meta: metadata.PageMeta, url: str, paragraphs: list[str],
               fetched: datetime | None = None) -> datetime | None:
    """The article's own date, in this order: declared (article:published_time, JSON-LD datePublished, ...),
    the date line beside the headline (relative times against the fetch time), the dateline of the first
    paragraph ("BINJAI, Senin (3/11/2025) -"), a date in the URL; else none rather than a guess. A date line
    that disagrees with a full /yyyy/mm/dd/ URL loses to the URL, which the CMS wrote at publication."""
    if meta.published:
        return meta.published
    line = meta.meta_line
    written = (dates.parse_indonesian(line) or dates.parse_relative(line, fetched)) if line else None
    from_url = dates.from_url(url)
    full_url = bool(from_url and dates.URL_DATE.search(url).group(3))
    if written and (not full_url or written.date() == from_url.date()):
        return written
    if full_url:
        return from_url
    for p in paragraphs[:2]:
        dateline = dates.parse_indonesian(p[:160])
        if dateline:
            return dateline
    return from_url


