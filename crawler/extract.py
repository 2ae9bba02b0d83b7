"""HTML -> Article: trafilatura plus what it does not know about Indonesian outlets.

The order of work:
1. a cheap look at the page (page_info): its kind by structure. A page that declares an article (JSON-LD
   article type, article:published_time, articleBody, a WordPress single-post body) is never a listing; a
   listing is many short linked teasers, a listing body class or a listing URL with no article signal;
   error pages and non-HTML never reach extraction;
2. declared metadata (metadata.py): title (site names stripped), dates, author, image, tags;
3. the body: the theme's article container when the page has a known one (td-post-content,
   jeg_post_content, entry-content, post-body, isi-berita, itemprop=articleBody), cleaned of furniture and
   teaser cards (boilerplate.py) and read block by block, so that Blogger's <div>-and-<br> paragraphs survive;
   its short non-sentence lines must be read by trafilatura too. When the page has no known container, or
   the container holds far less than the page's article block, the general path: trafilatura on the cleaned
   page. Cleaning never removes the element that holds the article block;
4. paragraph rules on the result: labels, cross-links, furniture lines, bylines (which become the author),
   the headline repeated as a first paragraph, and a body printed twice;
5. the article's own date: declared, the line beside the headline, the first paragraph's dateline, the URL;
6. a quality gate: too short, not Indonesian, no title -> Rejected with the reason.

extract() raises nothing but Rejected: an unexpected error in a part falls back to trafilatura for that part,
is logged with the URL and counted in ERRORS.
"""

from __future__ import annotations

import copy
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from crawler import boilerplate, dates, metadata, places
from crawler.language import is_indonesian
from crawler.urls import NOT_ARTICLE
from registry import Outlet
from store import Article

MIN_WORDS = 40
MIN_WORDS_DECLARED = 15  # a page that declares itself an article may be a short news flash

# Body class tokens of listing pages (WordPress archives, search, home) and of single articles; whole tokens,
# so `category-news` on a single post is no listing.
_LISTING_TOKENS = frozenset({"archive", "category", "tag", "author", "search", "search-results", "home", "blog",
                             "paged", "date"})
_SINGLE_TOKENS = re.compile(r"^(?:single|single-post|postid-\d+|post-template-default|single-format-\w+)$")
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
_STRUCTURAL = frozenset({"h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "dd", "dt"})


_PAGED_PATH = re.compile(r"/page/\d+/?$")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


# Comments and processing instructions out at parse time, as trafilatura's own loader does: a comment between
# two runs of text splits what is one paragraph, and trafilatura reads such trees worse. huge_tree: without it
# libxml2 stops at 256 levels of nesting and silently drops the rest (page builders nest that deep).
_PARSER = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)


class Rejected(Exception):  # noqa: N818 (a verdict, not an error)
    """The page is not an article warta should store; str(exc) is the reason, a short slug."""


@dataclass(frozen=True)
class PageInfo:
    canonical: str
    is_listing: bool
    is_error: bool = False
    declared: bool = False  # the page declares itself one article (JSON-LD, article:published_time, ...)
    is_challenge: bool = False  # a bot challenge in place of the page (is_error too): the outlet is blocking us


def parse(html: str | bytes) -> etree._Element:
    if isinstance(html, str):  # lxml refuses decoded text that still declares an encoding (XHTML themes)
        html = _XML_DECL.sub("", html, count=1)
    try:
        tree = lxml_html.document_fromstring(html, parser=_PARSER)
    except (ValueError, etree.ParserError) as exc:
        raise Rejected("unparseable") from exc
    return tree


def page_info(html: str | etree._Element, url: str = "") -> PageInfo:
    """Cheap structural facts about a page, read before the (expensive) extraction.

    The page's kind comes from its structure, not from theme class names alone: a page that declares an
    article (JSON-LD article type, article:published_time, itemprop=articleBody, a WordPress single-post body)
    is never a listing; one that only looks like one (og:type article, or one headline over one long text
    block) is a listing only under a listing URL. A listing is many short linked teasers, a listing body
    class or a listing URL, with no article signal against it.
    """
    try:
        tree = parse(html) if isinstance(html, str | bytes) else html
    except Rejected:
        return PageInfo("", False)
    try:
        canonical = str(next(iter(tree.xpath('//link[@rel="canonical"]/@href')), ""))
        tokens = set(" ".join(tree.xpath("//body/@class")).lower().split())
        og_type = {t.strip().lower() for t in tree.xpath('//meta[@property="og:type"]/@content')}
        declared = _declares_article(tree, tokens)
        looks = "article" in og_type or _one_headline_one_long_block(tree)
        url_listing = bool(url and _listing_url(url)) or bool(canonical and _listing_url(canonical))
        teasers = len(tree.xpath(_POSTS)) > 3 and not _long_block_words(tree) >= _LONG_BLOCK
        listing = not declared and ((url_listing and not looks) or bool(tokens & _LISTING_TOKENS)
                                    or (teasers and not looks))
        title = " ".join(" ".join(tree.xpath("//head/title//text()")).split())
        error = bool(_ERROR_BODY.search(" ".join(tokens)) or tree.xpath("//body[@id='error-page']")
                     or (not declared and "article" not in og_type and _ERROR_TITLE.search(title))
                     or _soft_404(tree, title))
        challenge = _challenge(tree, title)
    except (ValueError, TypeError, etree.LxmlError):  # a page too broken to read its structure: no verdict
        return PageInfo("", False)
    return PageInfo(canonical.strip(), listing and not error, error or challenge, declared, challenge)


# A page whose title or headline *is* an error message, whatever its theme declares (og:type article on every
# page): "Halaman tidak ditemukan - Kabar Binjai", "404 Not Found", "Oops! That page can't be found".
_ERROR_LEAD = re.compile(r"^\W*(?:(?:error\s*)?404\b|not found\b|page not found\b|halaman tidak (?:ditemukan|ada)\b|"
                         r"oops!? (?:that|this) page can.t be found|nothing (?:was )?found\b|"
                         r"maaf,? halaman (?:yang anda cari )?tidak ditemukan)", re.IGNORECASE)
# Bot challenges (Cloudflare, DDoS-Guard, Sucuri, Imunify): the interstitial, not a page that merely loads a
# bot-detection script (Cloudflare adds /cdn-cgi/challenge-platform/ to ordinary pages too).
_CHALLENGE_TITLE = re.compile(r"^\W*(?:just a moment|attention required|one moment,? please|checking your browser|"
                              r"please wait|ddos-guard|access denied|security check|sucuri website firewall|"
                              r"captcha|are you a robot|verifying you are human)", re.IGNORECASE)
_CHALLENGE_MARKS = ('//script[contains(., "_cf_chl_opt")] | //form[@id="challenge-form"] | '
                    '//*[@id="cf-challenge-running" or @id="challenge-running" or @id="cf-wrapper"] | '
                    '//*[contains(@class, "cf-browser-verification")] | //meta[@http-equiv="refresh"]'
                    '[contains(@content, "__cf_chl")] | //script[contains(@src, "/cdn-cgi/challenge-platform/h/")]')


def _soft_404(tree: etree._Element, title: str) -> bool:
    """A 200-OK error page: its title or its one headline says so, and no article-length text says otherwise."""
    heads = [title] + [" ".join(h.text_content().split()) for h in tree.xpath("//body//h1")[:2]]
    return any(_ERROR_LEAD.search(h) for h in heads if h) and _long_block_words(tree) < _LONG_BLOCK


def _challenge(tree: etree._Element, title: str) -> bool:
    """A bot-challenge interstitial in place of the page (it may carry a line of Indonesian text)."""
    marked = bool(_CHALLENGE_TITLE.search(title) or tree.xpath(_CHALLENGE_MARKS))
    return marked and _long_block_words(tree) < _LONG_BLOCK


_WORDS = re.compile(r"\w+")
_TEASER_WORDS = 20  # a paragraph this short that is all link text is a teaser or a navigation line
_SHORTFALL = 0.6  # a container with less than this share of the article block's words is not the article
_LONG_BLOCK = 150  # words of paragraph text in one block: an article's body, never a teaser


def _declares_article(tree: etree._Element, body_tokens: set[str]) -> bool:
    """The page says it is one article: JSON-LD article type, article:published_time, articleBody, single post,
    or og:type article beside a publication date."""
    if any(_SINGLE_TOKENS.match(t) for t in body_tokens):
        return True
    if tree.xpath('//meta[@property="article:published_time" or @name="article:published_time"]/@content'
                  ' | //*[@itemprop="articleBody"]'):
        return True
    # og:type article with a publication date of its own (teaser cards carry dates too, never og:type)
    if tree.xpath('//meta[@property="og:type"][translate(@content, "ARTICLE", "article")="article"]') \
            and tree.xpath(_DATE_META):
        return True
    return metadata.declares_article(tree)


_DATE_META = ('//*[@itemprop="datePublished"] | //meta[@name="pubdate" or @name="publishdate" or '
              '@name="publish-date" or @name="publish_date" or @name="dc.date.issued" or @name="DC.date.issued"]')


def _one_headline_one_long_block(tree: etree._Element) -> bool:
    return len(tree.xpath("//body//h1")) == 1 and _long_block_words(tree) >= _LONG_BLOCK


def _long_block_words(tree: etree._Element) -> int:
    return boilerplate.article_block(tree)[1]


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
    title = _printed_headline(metadata.clean_title(meta.title, site_names), meta.headline_h1)
    if not title:
        raise Rejected("no-title")
    min_words = MIN_WORDS_DECLARED if info.declared else MIN_WORDS
    try:
        paragraphs = _body(tree, url, outlet.drop if outlet else (), min_words)
    except Exception as exc:
        _error("body", url, exc)
        paragraphs = _plain_body(parse(html), url)  # the tree may be half cleaned: start again from the page
    try:
        paragraphs, credits = _tidy(paragraphs, title, meta.headline_h1)
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
        found = places.tag(title, "\n".join(paragraphs))
        regions, actors = tuple(found.region_names()), tuple(found.actors)
    except Exception as exc:
        _error("places", url, exc)
        regions, actors = (), ()
    return Article(url=url, outlet=outlet.id if outlet else "", title=title, text=text,
                   published=published, modified=meta.modified, author=author,
                   language="id", regions=regions, image=meta.image, tags=tuple(meta.tags),
                   outlet_regions=outlet.regions if outlet else (), actors=actors)


def _printed_headline(title: str, h1: str) -> str:
    """The page's own headline (its one h1) when the meta title only wraps it in a section label
    ("Musik - <headline>", "<headline> | Nasional"): the label is the site's furniture, not the headline."""
    h1 = " ".join(h1.split())
    if not h1 or len(h1.split()) < 3 or h1 == title:
        return title
    for rest in (title.removesuffix(h1), title.removeprefix(h1)):
        label = rest.strip(" -–—|•:»")
        if rest != title and label and len(label.split()) <= 3 and rest.strip() != label:
            return h1
    return title


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


def _listing_url(url: str) -> bool:
    """Search, label, category, tag, author and paged URLs: listings on every platform."""
    parts = urlsplit(url)
    query = {k.lower() for k in parse_qs(parts.query, keep_blank_values=True)}
    return bool(NOT_ARTICLE.match(parts.path or "/") or _PAGED_PATH.search(parts.path)
                or query & {"page", "paged", "s", "q", "start-index", "updated-max", "label"})


def _body(tree: etree._Element, url: str, drop: tuple[str, ...], min_words: int = MIN_WORDS) -> list[str]:
    """The theme's container read block by block; the general path (trafilatura on the cleaned page) when the
    page has no known container, or when the container holds far less than the page's article block (the
    theme class sits on a teaser, a summary or one page of a split layout)."""
    container = _container(tree)
    if container is not None:
        _, block_words = boilerplate.article_block(tree)
        boilerplate.drop_furniture(container, drop)
        boilerplate.drop_teasers(container)
        boilerplate.drop_read_also(container)
        references: set[str] = set()
        paragraphs = _blocks(container, urlsplit(url).hostname or "", references)
        words = sum(len(p.split()) for p in paragraphs)
        if words >= min_words and words >= _SHORTFALL * block_words:
            return _agreed(paragraphs, container, url, references)
    boilerplate.drop_furniture(tree, drop)
    boilerplate.drop_teasers(tree)
    boilerplate.drop_read_also(tree)
    # No deduplicate=True: trafilatura's duplicate cache lives across calls, so a page's body would depend on
    # the pages extracted before it in the same process; a body printed twice is _tidy's job.
    text = trafilatura.extract(tree, url=url, include_comments=False, with_metadata=False)
    return [p for p in (text or "").split("\n") if p.strip()]


_SHORT = 15  # words: a container line this short, not a sentence, is furniture unless trafilatura reads it too
_SENTENCE = re.compile(r"^\W*\w+(?:\W+\w+){4,}.*[.!?…][\"'”’)]*$")


def _agreed(paragraphs: list[str], container: etree._Element, url: str, keep: set[str] = frozenset()) -> list[str]:
    """The container's lines, less the short ones that trafilatura, reading the same container, leaves out
    (captions, credits, datelines, newsletter and gallery widgets no class name marks). Long lines and
    sentences stay: the container read block by block keeps what trafilatura loses (Blogger's <br> lines)."""
    if not any(len(p.split()) <= _SHORT for p in paragraphs):
        return paragraphs
    text = trafilatura.extract(copy.deepcopy(container), url=url, include_comments=False, with_metadata=False)
    if not text:
        return paragraphs
    theirs = _norm(text)
    return [p for p in paragraphs
            if _own_words(p) or p in keep or _norm(p) in theirs]


def _container(tree: etree._Element) -> etree._Element | None:
    """The theme's article body: the candidate holding the most paragraph text."""
    best, best_len = None, 0
    for el in tree.xpath(_BODY_XPATH):
        size = sum(len(t) for t in el.xpath(".//p//text() | ./text() | ./div/text()"))
        if size > best_len:
            best, best_len = el, size
    return best


def _data_table(table: etree._Element) -> bool:
    """A table of data (results, budgets, schedules), not a layout or an image caption box: two rows or more
    of two cells or more, and no picture."""
    rows = table.xpath(".//tr")
    return (len(rows) >= 2 and sum(len(r.xpath("./td | ./th")) >= 2 for r in rows) >= 2
            and not table.xpath(".//img"))


def _blocks(root: etree._Element, host: str = "", references: set[str] | None = None) -> list[str]:
    """Paragraph texts of root in reading order: a block element or a <br> ends a paragraph, a data table
    gives one line per row. A short paragraph that is all link text pointing within the site (a teaser, a
    "next article" line, a tag list) is no part of the article; one linking to another site is the article's
    own (a source, a document). Those, and the lines of subheadings, list items, quotes, code and tables,
    are added to references when given: the article's structure, which no agreement rule second-guesses."""
    out: list[str] = []
    buf: list[tuple[str, int]] = []  # (text, 0 unlinked / 1 linked within the site / 2 linked elsewhere)

    def flush(structural: bool = False) -> None:
        text = " ".join("".join(t for t, _ in buf).split())
        if text:
            words = len(_WORDS.findall(text))
            inside = sum(len(_WORDS.findall(t)) for t, kind in buf if kind == 1)
            outside = sum(len(_WORDS.findall(t)) for t, kind in buf if kind == 2)
            if not (0 < words <= _TEASER_WORDS and inside >= 0.9 * words):
                out.append(text)
                if references is not None and (structural or (0 < words <= _TEASER_WORDS
                                                              and outside >= 0.9 * words)):
                    references.add(text)
        buf.clear()

    def walk(el: etree._Element, kind: int, structural: bool) -> None:
        if el.tag == "a" and not kind:
            kind = 1 if _internal(el.get("href") or "", host) else 2
        structural = structural or el.tag in _STRUCTURAL
        if el.text:
            buf.append((el.text, kind))
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "table" and _data_table(child):
                flush(structural)
                for row in child.xpath(".//tr"):
                    buf.append((" ".join(" ".join(c.text_content().split()) for c in row.xpath("./td | ./th")), 0))
                    flush(True)
            elif child.tag in _SKIP:
                pass
            elif child.tag == "br":
                flush(structural)
            elif child.tag in _BLOCKS:
                flush(structural)
                walk(child, kind, structural)
                flush(structural or child.tag in _STRUCTURAL)
            else:
                walk(child, kind, structural)
            if child.tail:
                buf.append((child.tail, kind))

    walk(root, 0, False)
    flush()
    return out


def _internal(href: str, host: str) -> bool:
    """A link to another page of the same site (relative, or on the page's host)."""
    href = href.strip()
    if not href.lower().startswith(("http://", "https://", "//")):
        return not href.lower().startswith(("mailto:", "tel:"))
    other = urlsplit(href if not href.startswith("//") else "http:" + href).hostname or ""
    return not host or other.removeprefix("www.") == host.removeprefix("www.")


def _tidy(paragraphs: list[str], title: str, h1: str) -> tuple[list[str], dict[str, str]]:
    """Drop labels, cross-links, bylines, the repeated headline and a repeated body, and the list under a
    closing latest- or related-news heading; collect the credits."""
    heads = {_norm(title), _norm(h1)}
    kept: list[str] = []
    credits: dict[str, str] = {}
    for i, p in enumerate(paragraphs):
        if kept and _closing_list(paragraphs[i:]):
            break
        p = boilerplate.strip_inline_read_also(p)
        if boilerplate.is_boilerplate(p):
            continue
        credit = boilerplate.credit(p)
        if credit:
            credits.setdefault(credit[0], credit[1])
            continue
        if _norm(p) in heads and not any(_own_words(k) for k in kept):  # the headline above the article
            continue
        kept.append(p)
    return _drop_repeated_runs(kept), credits


_LIST_HEADING = re.compile(r"^\W*(?:berita|artikel)\s*(?:terbaru|terkait|lainnya|pilihan|populer|terpopuler)\b",
                           re.IGNORECASE)


def _closing_list(rest: list[str]) -> bool:
    """Whether rest is a "Berita Terbaru"/"Berita Terkait" heading and, under it to the end, short lines that
    are not sentences (teaser titles, their dates) or furniture: other articles' list, not this one's words."""
    return bool(_LIST_HEADING.match(rest[0])) and len(rest[0].split()) <= 6 \
        and all(not _own_words(p) or boilerplate.is_boilerplate(p) for p in rest[1:])


def _own_words(paragraph: str) -> bool:
    """A line of the article itself rather than the furniture above it: long, or a sentence."""
    return len(paragraph.split()) > _SHORT or bool(_SENTENCE.search(paragraph))


_RUN = 3  # paragraphs in a row that repeat the body's opening in the same order: the body printed again
_RUN_WORDS = 30  # or one repeated opening paragraph this long (a lead printed twice)


def _drop_repeated_runs(paragraphs: list[str]) -> list[str]:
    """Keep the first copy of a body printed twice. A second copy repeats the body from its opening (its
    first or second paragraph), or is a run at least half as long as all that came before it; runs an
    article itself repeats further down (a recipe's items, a meal plan, "Pasal 28:") stay."""
    keys = [_norm(p) for p in paragraphs]
    first: dict[str, int] = {}
    out: list[str] = []
    i = 0
    while i < len(keys):
        j = first.get(keys[i])
        if j is not None:
            run = 0
            while i + run < len(keys) and j + run < i and keys[i + run] == keys[j + run]:
                run += 1
            words = sum(len(keys[i + k].split()) for k in range(run))
            opening = j <= 1 and (run >= _RUN or words >= _RUN_WORDS)
            if opening or (run >= _RUN and 2 * run >= i):
                i += run
                continue
        first.setdefault(keys[i], i)
        out.append(paragraphs[i])
        i += 1
    return out


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


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
