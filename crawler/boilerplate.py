"""What Indonesian news pages carry around an article, and how to take it out before and after trafilatura.

Two kinds of rules, both generic first:
- elements to drop from the page, by the class and id names themes give them (ads, share bars, related
  posts, comment sections, captions, author boxes, widgets), plus an outlet's own drop-selectors from the
  registry for what no generic rule can know;
- paragraphs to drop by their words: labels and widgets that sit inside the article body itself
  (`- Advertisement -`, `Baca Juga: ...`, `LIHAT JUGA`, `Tidak ada komentar`, counters), which no class
  name marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector

# Class tokens and id prefixes of page furniture, as the themes warta crawls name them (tagDiv Newspaper,
# JNews, WordPress core and common plugins, Blogger, .go.id CMSs built on Bootstrap).
DROP_CLASSES = frozenset({
    # ads
    "td-a-rec", "td-adspot-title", "jeg_ad", "jeg_adlabel", "ads", "iklan", "adsbygoogle", "ad-slot", "banner-iklan",
    "code-block", "ai-viewport-1", "widget-iklan",
    # share bars and counters
    "td-post-sharing", "td-post-sharing-top", "td-post-sharing-bottom", "jeg_share_top_container",
    "jeg_share_bottom_container", "jeg_share_button", "sharedaddy", "share-buttons", "post-share-buttons",
    "social-share", "addtoany_share_save_container", "a2a_kit", "td-post-views", "td-post-comments",
    "jeg_meta_comment", "jeg_views_count", "post-views", "share-post", "bagikan",
    # related, next/prev, popular
    "td_block_related_posts", "td-post-next-prev", "jp-relatedposts", "jeg_postblock_22",
    "jnews_related_post_container",
    "jeg_prevnext_post", "related-posts", "related-post", "berita-terkait", "post-navigation", "nav-links",
    "yarpp-related", "crp_related", "popular-posts", "PopularPosts", "terpopuler", "berita-lainnya",
    # comments
    "comments", "comments-area", "comment-respond", "jnews_comment_container", "jeg_comment_container",
    "comment-form", "fb-comments", "disqus_thread", "komentar",
    # captions, author boxes, tags, breadcrumbs, weather bars
    "wp-caption-text", "tr-caption", "figcaption", "td-post-source-tags", "jeg_post_tags", "tags-links",
    "post-labels", "author-box-wrap", "jeg_authorbox", "td-author-name", "breadcrumb", "breadcrumbs",
    "td-weather-top-widget", "td-weather-header", "jeg_weather", "wp-block-file", "post-footer",
    "sidebar", "jeg_sidebar", "td-pb-span4", "blog-pager", "post-feeds", "screen-reader-text", "copyright",
})
# Parts of class names that mark furniture in any theme: photo captions and galleries, newsletter sign-ups,
# byline boxes (the byline is read from metadata, not from the body), next/previous article boxes, popular
# and trending teasers ("popular__item", "trending-list"). An element holding the article block is spared.
DROP_CLASS_PARTS = ("caption", "gallery", "newsletter", "signup", "byline", "next-prev", "prev-next", "prevnext",
                    "nextprev", "popular", "trending")
DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "svg", "figcaption", "aside", "nav",
             "footer", "template", "select", "input", "textarea", "header")
DROP_IDS = re.compile(r"^(?:comments?|respond|disqus_thread|sidebar|related|share|Blog1_comments|HTML\d+|"
                      r"PopularPosts\d*|header-ads|iklan)", re.IGNORECASE)

# Paragraph-level labels and widgets, matched on a whole paragraph (a few words at most).
LABEL = re.compile(
    r"^\W*(?:-\s*advertisement\s*-|advertisement|adv(?:ertorial)?|iklan|scroll to continue with content|"
    r"spot_img|header ads|tinggalkan balasan|tinggalkan komentar|discussion about this post|"
    r"tidak ada komentar:?|belum ada komentar|saat ini belum ada komentar|posting komentar|"
    r"diberdayakan oleh blogger|berita terkait|artikel terkait|berita pilihan|berita lainnya|terpopuler|"
    r"baca selengkapnya|bagikan(?: artikel)?:?|share(?: this)?:?|editor'?s? pick|lihat juga|baca juga|"
    r"simak juga|kirimkan ini lewat email|blogthis!|berbagi ke (?:twitter|facebook|pinterest)|"
    r"(?:calendar_month|visibility|comment)\b.*|\d[\d.,]*\s*(?:kali dibaca|dibaca|views?|komentar|comments?|dilihat)|"
    # photo galleries: counters and their buttons
    r"(?:image|foto|gambar|slide)\s+\d+\s+(?:of|dari)\s*/?\s*\d+|\d+\s*/\s*\d+|caption|close|tutup|"
    r"back to gallery|kembali ke galeri|lihat galeri|view gallery|"
    r"dibaca\s*:?\s*\d+(?:\s*kali)?|posting lama|posting lebih baru|beranda|langganan:.*|"
    # reader-reaction widgets: "Rate artikel ini", "Like (0)", "Suka 12"
    r"rate (?:artikel ini|this article)|beri (?:nilai|rating)(?: artikel ini)?|bagaimana reaksi anda\??|"
    r"(?:like|dislike|suka|tidak suka|love|senang|sedih|marah|kaget|lucu|terinspirasi)\s*\(?\d+\)?|"
    r"(?:copyright|hak cipta)\b.*|©.*|"
    # a latest-news heading, and the date stamp a theme prints above or below the article
    r"berita\s*terbaru(?:\s+(?:index|indeks))?\W*|indeks berita|(?:info(?:rmasi)?\s+)?pemasangan iklan|"
    r"(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\s*,?\s*)?"
    r"\d{1,2}(?:[/-]\d{1,2}[/-]|\s+[a-z]+\s+)\d{2,4}(?:\s*[-|,]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}"
    r"(?:\s*(?:wib|wita|wit))?)?)\W*$",
    re.IGNORECASE)
# Lines that are page furniture whatever container they sit in: share bars, tag lines, syndication
# and follow-us notes, author boxes, and byline-and-meta lines with a date or a view count.
FURNITURE_LINE = re.compile(
    r"^\W*(?:"
    r"(?:(?:facebook|twitter|whatsapp|telegram|linkedin|pinterest|line|e-?mail|copy link|salin tautan|"
    r"share|bagikan|tweet|x)\W*){2,}$|"
    r"(?:tags?|label|labels|topik|kata kunci|keywords?|topics?)\s*:.*|"
    r"artikel ini telah (?:tayang|terbit|dimuat)\b.*|"
    r"(?:simak|ikuti|dapatkan|baca) (?:berita|artikel|update|informasi)\b.{0,80}\b(?:google news|whatsapp|"
    r"telegram|channel|saluran)\b.*|"
    r"(?:jurnalis|wartawan|kontributor|penulis)\b.{0,120}\b(?:untuk wilayah|bertugas di|meliput wilayah)\b.*|"
    r"(?:hubungi|kontak|contact|e-?mail)\s*:?\s*\S+(?:@|\[at\])\S+\s*|"
    # a site's section menu: short items between middle dots or bullets (not bars: a data table's rows are
    # read as cells between bars)
    r"(?:[^·•\n]{1,30}[·•]\s*){3,}[^·•\n]{0,30}|"
    r"(?:oleh|by|penulis|reporter|pewarta|editor)\s*:?\s+(?-i:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})"
    r"[\s|,/–—-]{0,6}.{0,30}?(?:\b\d{1,2}\s+\w+\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|"
    r"\bwib\b|\bwita\b|\bwit\b|\bdibaca\b|\bviews?\b).*"
    r")$", re.IGNORECASE)
FURNITURE_WORDS = 40  # longer than this, a line is the article's own words whatever it starts with
# Inline cross-links inside or between paragraphs: "Baca Juga: <title>", "LIHAT JUGA <title>".
READ_ALSO = re.compile(
    r"^\W*(?:baca|lihat|simak|cek)\s+(?:juga|pula)\b|^\W*baca\s*:|^\W*(?:berita|artikel) terkait\s*:|"
    r"^\W*(?:news ?flash|berita terkini|berita terpopuler|terpopuler|populer|trending|headline)\s*:", re.IGNORECASE)
READ_ALSO_INLINE = re.compile(r"\s*\b(?:baca|lihat|simak)\s+juga\s*:.*$", re.IGNORECASE)
# Byline and credit lines that close (or open) a body.
CREDIT = re.compile(
    r"^\W*(?:(?P<role>reporter|wartawan|penulis|editor|redaktur|redaksi|pewarta|laporan|teks|foto|photo|image|"
    r"gambar|fotografer|videografer|kameramen|juru foto|"
    r"ilustrasi|sumber|source|kontributor|liputan|editing|oleh|by)\s*[:|/-]?\s+(?P<name>[^\n]{2,60}?)|"
    r"\((?P<code>[a-z0-9/]{1,8})\))\W*$",
    re.IGNORECASE)


def _has_class_part(el: etree._Element) -> bool:
    cls = (el.get("class") or "").lower()
    return bool(cls) and any(part in cls for part in DROP_CLASS_PARTS)


def _has_class(el: etree._Element, names: frozenset[str]) -> bool:
    cls = el.get("class")
    return bool(cls) and not names.isdisjoint(cls.split())


_TEXT_SKIP = frozenset({"a", "script", "style", "noscript", "template", "button", "select", "option"})


def article_block(root: etree._Element) -> tuple[etree._Element | None, int]:
    """The element that holds the most unlinked running text as its own paragraphs: its <p> children and the
    text between its <br>s (Blogger, home-made CMSs). (element, words); (None, 0) on a page without text."""
    sizes: dict[etree._Element, int] = {}
    for node in root.xpath(".//text()[normalize-space()]"):
        el = node.getparent()
        if el is None:
            continue
        if node.is_tail:  # the text after a child belongs to the child's parent
            el = el.getparent()
            if el is None:
                continue
        if el.tag in _TEXT_SKIP or any(a.tag in _TEXT_SKIP for a in el.iterancestors()):
            continue
        block = el
        while block.tag not in ("p", "div", "td", "article", "section", "main", "body", "li", "blockquote"):
            parent = block.getparent()
            if parent is None:
                break
            block = parent
        if block.tag == "p" and block.getparent() is not None:
            block = block.getparent()
        sizes[block] = sizes.get(block, 0) + len(node.split())
    if not sizes:
        return None, 0
    best = max(sizes, key=sizes.__getitem__)
    return best, sizes[best]


def drop_furniture(root: etree._Element, selectors: Iterable[str] = ()) -> None:
    """Remove page furniture from root in place (ads, share bars, related posts, comments, captions...).

    A generic rule never removes the element that holds the page's article block (ASP.NET pages wrap the
    whole page in one <form>; some themes put the article in an element named like furniture); an outlet's
    own selectors are trusted as they are.
    """
    block, words = article_block(root)
    spared = set(block.iterancestors()) | {block} if block is not None and words >= 100 else set()
    doomed = [el for el in root.iter(etree.Element)
              if (el.tag in DROP_TAGS or _has_class(el, DROP_CLASSES) or _has_class_part(el)
                  or DROP_IDS.match(el.get("id") or ""))
              and el not in spared]
    for selector in selectors:
        doomed += _selector(selector)(root)
    for el in doomed:
        _remove(el)
    for img in root.iter("img"):  # tagDiv's ad placeholders: <img alt="spot_img">
        if (img.get("alt") or "").strip().lower() == "spot_img":
            _remove(img)


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
TEASER_WORDS = 40


def drop_teasers(root: etree._Element) -> None:
    """Remove teaser cards wherever they sit (related, popular, "Headline" boxes, next-article cards): an
    item whose heading is wholly a link to another page, with at most a short summary beside it. Never the
    article block or what holds it."""
    block, _ = article_block(root)
    spared = set(block.iterancestors()) | {block} if block is not None else set()
    doomed = []
    for heading in root.iter(*_HEADINGS):
        text = " ".join(heading.text_content().split())
        linked = " ".join(" ".join(heading.xpath(".//a//text()")).split())
        if not text or linked != text:
            continue
        card = heading.getparent()
        while card is not None and card.tag not in ("li", "article", "div", "section"):
            card = card.getparent()
        if card is None or card in spared:
            continue
        if card.tag == "div" and card.getparent() is not None and card.getparent().tag in ("li", "article"):
            card = card.getparent()  # the whole item: picture, heading and summary
            if card in spared:
                continue
        unlinked = len(" ".join(card.xpath(".//text()[not(ancestor::a)][not(ancestor::script)]")).split())
        if unlinked <= TEASER_WORDS and len(card.xpath(".//" + " | .//".join(_HEADINGS))) == 1:
            doomed.append(card)
    for el in doomed:
        _remove(el)


def drop_read_also(root: etree._Element) -> None:
    """Remove "Baca Juga: <link>" blocks and trailing inline cross-links inside paragraphs."""
    for el in list(root.iter("p", "div", "li", "strong", "b", "h3", "h4", "span")):
        if el.getparent() is None:
            continue
        text = " ".join(el.text_content().split())
        if not text:
            continue
        if READ_ALSO.match(text) and len(text.split()) <= 30 and el.find(".//a") is not None:
            _remove(el)


def is_boilerplate(paragraph: str) -> bool:
    """A paragraph that is a label, widget or cross-link, not the article's own words."""
    text = " ".join(paragraph.split())
    if not text:
        return True
    if len(text) <= 120 and LABEL.match(text):
        return True
    if len(text.split()) <= FURNITURE_WORDS and FURNITURE_LINE.match(text):
        return True
    return bool(READ_ALSO.match(text)) and len(text.split()) <= 30


def strip_inline_read_also(paragraph: str) -> str:
    """Cut a trailing "... Baca juga: <title>" that an editor pasted onto a paragraph."""
    return READ_ALSO_INLINE.sub("", paragraph).rstrip()


def credit(paragraph: str) -> tuple[str, str] | None:
    """(role, name) of a byline/credit line such as `Reporter: Burhan S` or `Editor AGUS UTAMA`, else None."""
    text = " ".join(paragraph.split())
    if len(text) > 80:
        return None
    match = CREDIT.match(text)
    if not match:
        return None
    if match.group("code"):
        return "code", match.group("code")
    role = match.group("role").lower()
    return _ROLES.get(role, role), match.group("name").strip(" .,;")


_ROLES = {"oleh": "author", "by": "author", "penulis": "author", "photo": "foto", "image": "foto", "gambar": "foto",
          "ilustrasi": "foto", "fotografer": "foto", "juru foto": "foto", "videografer": "video", "kameramen": "video"}


@lru_cache(maxsize=256)
def _selector(css: str) -> CSSSelector:
    return CSSSelector(css)


def _remove(el: etree._Element) -> None:
    """Remove el but keep the text that follows it (its tail belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail and tail.strip():
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
