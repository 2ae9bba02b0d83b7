"""The article's body: the theme's container read block by block, or trafilatura on the cleaned page.

A known container (td-post-content, jeg_post_content, entry-content, post-body, isi-berita,
itemprop=articleBody) is cleaned of furniture and teaser cards (boilerplate.py) and read block by block, so
that Blogger's <div>-and-<br> paragraphs survive; its short lines that are not sentences must be read by
trafilatura too. When the page has no known container, or the container holds far less than the page's
article block, the general path: trafilatura on the cleaned page. Cleaning never removes the element that
holds the article block.
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

import trafilatura
from lxml import etree

from crawler import boilerplate
from crawler.tidy import SHORT, norm, own_words

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

_WORDS = re.compile(r"\w+")
_TEASER_WORDS = 20  # a paragraph this short that is all link text is a teaser or a navigation line
_SHORTFALL = 0.6  # a container with less than this share of the article block's words is not the article


def read(tree: etree._Element, url: str, drop: tuple[str, ...], min_words: int) -> list[str]:
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
    # the pages extracted before it in the same process; a body printed twice is tidy.py's job.
    text = trafilatura.extract(tree, url=url, include_comments=False, with_metadata=False)
    return [p for p in (text or "").split("\n") if p.strip()]


def _agreed(paragraphs: list[str], container: etree._Element, url: str, keep: set[str] = frozenset()) -> list[str]:
    """The container's lines, less the short ones that trafilatura, reading the same container, leaves out
    (captions, credits, datelines, newsletter and gallery widgets no class name marks). Long lines and
    sentences stay: the container read block by block keeps what trafilatura loses (Blogger's <br> lines)."""
    if not any(len(p.split()) <= SHORT for p in paragraphs):
        return paragraphs
    text = trafilatura.extract(copy.deepcopy(container), url=url, include_comments=False, with_metadata=False)
    if not text:
        return paragraphs
    theirs = norm(text)
    return [p for p in paragraphs
            if own_words(p) or p in keep or norm(p) in theirs]


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


