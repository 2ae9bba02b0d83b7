"""What kind of page this is, read from its structure before any extraction: an article, a listing, an
error page or a bot challenge, and the canonical URL it declares.

A page that declares an article (JSON-LD article type, article:published_time, articleBody, a WordPress
single-post body) is never a listing; a listing is many short linked teasers, a listing body class or a
listing URL with no article signal; error pages (a 404 served as 200 too) and challenges never reach
extraction. head_info is the spider's cheap look (the <head> only, unless the page may be a challenge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler import boilerplate, metadata
from crawler.urls import NOT_ARTICLE

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


# Where a challenge page gives itself away in its source: the title or any of _CHALLENGE_MARKS' strings. A page
# with none of these is no challenge, without a full parse.
_CHALLENGE_STRINGS = ("_cf_chl_opt", "challenge-form", "challenge-running", "cf-wrapper", "cf-browser-verification",
                      "__cf_chl", "/cdn-cgi/challenge-platform/h/")
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def head_info(html: str) -> tuple[str, bool]:
    """(canonical URL, is a challenge) of a fetched page, for the spider, in Scrapy's reactor thread: only
    the <head> is parsed, unless a challenge marker or a canonical link past the head calls for the whole page
    (page_info, which extraction runs anyway in its worker)."""
    end = _HEAD_END.search(html)
    head = html[:end.end()] if end else html
    try:
        tree = parse(head)
    except Rejected:
        return "", False
    title = " ".join(" ".join(tree.xpath("//head/title//text()")).split())
    canonical = str(next(iter(tree.xpath('//link[@rel="canonical"]/@href')), ""))
    later = end is not None and not canonical and "canonical" in html[end.end():]
    if later or _CHALLENGE_TITLE.search(title) or any(s in html for s in _CHALLENGE_STRINGS):
        info = page_info(html)
        return info.canonical, info.is_challenge
    return canonical.strip(), False


def _soft_404(tree: etree._Element, title: str) -> bool:
    """A 200-OK error page: its title or its one headline says so, and no article-length text says otherwise."""
    heads = [title] + [" ".join(h.text_content().split()) for h in tree.xpath("//body//h1")[:2]]
    return any(_ERROR_LEAD.search(h) for h in heads if h) and _long_block_words(tree) < _LONG_BLOCK


def _challenge(tree: etree._Element, title: str) -> bool:
    """A bot-challenge interstitial in place of the page (it may carry a line of Indonesian text)."""
    marked = bool(_CHALLENGE_TITLE.search(title) or tree.xpath(_CHALLENGE_MARKS))
    return marked and _long_block_words(tree) < _LONG_BLOCK


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


def _listing_url(url: str) -> bool:
    """Search, label, category, tag, author and paged URLs: listings on every platform."""
    parts = urlsplit(url)
    query = {k.lower() for k in parse_qs(parts.query, keep_blank_values=True)}
    return bool(NOT_ARTICLE.match(parts.path or "/") or _PAGED_PATH.search(parts.path)
                or query & {"page", "paged", "s", "q", "start-index", "updated-max", "label"})
