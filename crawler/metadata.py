"""An article's metadata as the page declares it: JSON-LD, Open Graph and article:* tags, microdata, and
the theme's own markup, read once into a plain record.

Declared metadata beats guessing from text: it is what the outlet's CMS wrote. Only when a page declares
nothing (home-made .go.id CMSs often do not) do the text rules of dates.py and the byline rules come in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from crawler import dates

ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
                 "OpinionNewsArticle", "WebPage"}
_DATE_CLASS = re.compile(r"date|tgl|tanggal|time|meta|byline|info|posted|publish|waktu")
TITLE_SEPARATORS = re.compile(r"\s+[-–—|•:]\s+|\s+[|»]\s*|\s*:\s+")


@dataclass
class PageMeta:
    title: str = ""
    headline_h1: str = ""
    site_name: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    author: str = ""
    image: str = ""
    tags: list[str] = field(default_factory=list)
    lang: str = ""
    meta_line: str = ""  # the header line near the headline where themes print date and author


def read(tree: etree._Element) -> PageMeta:
    """Collect what the page declares about its article."""
    meta = PageMeta()
    props = _meta_tags(tree)
    ld = _json_ld_article(tree)
    meta.lang = (tree.get("lang") or props.get("og:locale", "")).split("-")[0].split("_")[0].lower()
    meta.site_name = props.get("og:site_name", "") or _ld_name(ld.get("publisher"))
    h1 = tree.xpath("//h1[contains(@class, 'title') or contains(@class, 'judul')] | //h1[@itemprop='headline']"
                    " | //*[contains(concat(' ', @class, ' '), ' post-title ')]"
                    " | //*[contains(concat(' ', @class, ' '), ' judul-berita ')]")
    h1 = [h for h in h1 if not _in_block_of_others(h)] or h1  # not a news ticker's headline
    meta.headline_h1 = " ".join(h1[0].text_content().split()) if h1 else ""
    title_tag = " ".join("".join(tree.xpath("//head/title//text()")).split())
    meta.headline_h1 = meta.headline_h1 or _headline_in_title(tree, title_tag)
    meta.title = (_text(ld.get("headline")) or props.get("og:title", "") or props.get("twitter:title", "")
                  or meta.headline_h1 or title_tag)
    meta.published = (dates.parse_iso(props.get("article:published_time"))
                      or dates.parse_iso(_text(ld.get("datePublished")))
                      or dates.parse_iso(_first(tree, "//*[@itemprop='datePublished']/@content"
                                                      " | //abbr[contains(@class, 'published')]/@title"
                                                      " | //*[@itemprop='datePublished']/@title"
                                                      " | //article//time/@datetime"
                                                      " | //meta[@name='pubdate' or @name='publishdate']/@content"))
                      or _post_date_time(tree))
    meta.modified = (dates.parse_iso(props.get("article:modified_time"))
                     or dates.parse_iso(_text(ld.get("dateModified"))))
    article_author = props.get("article:author", "")  # often a profile URL, not a name
    meta.author = (_ld_name(ld.get("author")) or props.get("author", "")
                   or ("" if article_author.startswith("http") else article_author))
    if not meta.author:
        meta.author = " ".join(_first(tree, "//*[@itemprop='author']//*[@itemprop='name']/@content"
                                            " | //*[@itemprop='author']//*[@itemprop='name']/text()"
                                            " | //a[@rel='author']/text()"
                                            " | //*[contains(@class, 'post-author')]//*[contains(@class, 'fn')]//text()"
                                            " | //i[contains(@class, 'fa-user')]/following-sibling::text()[1]"
                                            " | //i[contains(@class, 'fa-user')]/following-sibling::*[1]"
                                            "/text()").split()).strip(" ·|•-–—:")
        if dates.parse_indonesian(meta.author) or dates.parse_relative(meta.author):  # a date line, not a name
            meta.author = ""
    meta.image = props.get("og:image", "") or _ld_image(ld.get("image"))
    tags = [v for k, v in props.items_all() if k == "article:tag"]
    if not tags and ld.get("keywords"):
        tags = _keywords(ld["keywords"])
    meta.tags = list(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip()))
    meta.meta_line = _date_line(tree, h1[0] if h1 else _heading_in_title(tree, title_tag))
    return meta


def _keywords(value) -> list[str]:
    """JSON-LD keywords as outlets write them: "a, b", ["a", "b"], nested lists, DefinedTerm objects."""
    if isinstance(value, str):
        return [t for t in value.split(",")]
    if isinstance(value, dict):
        return _keywords(value.get("name", ""))
    if isinstance(value, list | tuple):
        return [t for v in value for t in _keywords(v)]
    return []


# The post's own date block in WordPress themes: the block themes' wp-block-post-date, the classic themes'
# entry-date/posted-on (a comment's date, wp-block-comment-date, is none of them).
_POST_DATE = ("//*[contains(@class, 'wp-block-post-date') or contains(@class, 'entry-date') or "
              "contains(@class, 'posted-on')]/descendant-or-self::time[@datetime]")


def _post_date_time(tree: etree._Element) -> datetime | None:
    """The datetime of the post's own date block (core WordPress declares no date in its head), never one in
    a list of other articles or comments."""
    for el in tree.xpath(_POST_DATE):
        if not _among_other_articles(el):
            return dates.parse_iso(el.get("datetime"))
    return None


def _headline_in_title(tree: etree._Element, title_tag: str) -> str:
    """The page heading that the <title> repeats: the headline, whatever class the theme gave it."""
    el = _heading_in_title(tree, title_tag)
    return " ".join(el.text_content().split()) if el is not None else ""


def _heading_in_title(tree: etree._Element, title_tag: str) -> etree._Element | None:
    low = title_tag.lower()
    for el in tree.xpath("//body//h1 | //body//h2 | //body//h3"):
        text = " ".join(el.text_content().split())
        if len(text.split()) >= 3 and text.lower() in low:
            return el
    return None


# Containers of other articles (and their dates): never where the article's own date is read.
_OTHER_ARTICLES = re.compile(r"related|terkait|terkini|terbaru|populer|popular|sidebar|footer|recent|"
                             r"lainnya|trending|rekomendasi|most-?read|indeks|latest|ticker|breaking|marquee|"
                             r"newsflash|running-?text|headline-?bar", re.IGNORECASE)
_LIST_TAGS = frozenset({"aside", "nav", "footer", "li", "ul", "ol", "header"})


def _among_other_articles(el: etree._Element, stop: etree._Element | None = None) -> bool:
    for a in [el, *el.iterancestors()]:
        if a is stop:
            return False
        if a.tag in _LIST_TAGS and a is not el or _OTHER_ARTICLES.search(f"{a.get('class', '')} {a.get('id', '')}"):
            return True
    return False


def _in_block_of_others(el: etree._Element) -> bool:
    """Inside a block its class or id names as other articles' (a ticker, "Berita Terkait"); unlike
    _among_other_articles, a <header> or list element around a headline is no sign, nor the classes WordPress
    gives <article> and <body> (category-berita-terkini)."""
    return any(_OTHER_ARTICLES.search(f"{a.get('class', '')} {a.get('id', '')}") for a in el.iterancestors()
               if a.tag not in ("article", "main", "body", "html"))


def _is_date_line(el: etree._Element) -> str:
    text = " ".join(el.text_content().split())
    if 6 <= len(text) <= 200 and (dates.parse_indonesian(text) or dates.parse_relative(text)):
        return text
    return ""


_INLINE = frozenset({"i", "span", "small", "em", "strong", "b", "a", "svg", "path", "use", "time", "abbr", "font",
                     "img", "br", "sup", "sub"})


def _inline_line(el: etree._Element) -> bool:
    """One printed line: an element holding only inline elements (icons, separators, links) and text."""
    return len(el) > 0 and all(isinstance(d.tag, str) and d.tag in _INLINE for d in el.iterdescendants())


def _date_line(tree: etree._Element, headline: etree._Element | None = None) -> str:
    """The article's own date line: the short element beside the headline where the theme prints the date
    (and often the author), looked for in the headline's parent, then its grandparent and so on up to four
    levels, dated elements first; never one inside a list of other articles (sidebar, related, "Berita
    Terkini", footer). A page without a headline falls back to the first dated element outside such lists."""
    heads = [headline] if headline is not None else tree.xpath("//body//h1")
    if heads:
        h1 = heads[0]
        seen = set(h1.iter())
        level = h1
        for _ in range(4):
            level = level.getparent()
            if level is None or level.tag == "body":
                break
            found = [el for el in level.iter(etree.Element)
                     if el not in seen and el.tag not in ("script", "style") and len(el) <= 8]
            seen.update(found)
            for wanted in (lambda el: el.tag == "time" or _DATE_CLASS.search((el.get("class") or "").lower()),
                           lambda el: len(el) == 0,  # then any short leaf text beside the headline
                           _inline_line):  # then a line of icons and text ("<i/> Rabu, 17 ... · <i/> Admin")
                for el in found:
                    if wanted(el) and not _among_other_articles(el, level):
                        text = _is_date_line(el)
                        if text:
                            return text
    for el in tree.xpath("//body//*[not(self::script)][@class]"):
        if _DATE_CLASS.search(el.get("class", "").lower()) and not _among_other_articles(el):
            text = _is_date_line(el)
            if text:
                return text
    return ""


def clean_title(title: str, site_names: list[str]) -> str:
    """The headline without the site's name around it (` - Kompas.com`, ` | Republika Online`,
    `Tribun-Medan.com - `, ` - Humaniora di Nasional JPNN.com`, `Blog: ...`).

    site_names are og:site_name, the outlet's name and host, and the page's host: a segment is the site's
    when it is one of those names, contains one, is a domain or ends with one, or (a suffix of six words at
    most, a prefix of three) holds the host's own name ("republika", "detik"). What is left keeps three words.
    """
    title = " ".join(title.split())
    names = {n.lower().strip() for n in site_names if n and n.strip()}
    labels = {_host_label(n) for n in names if "." in n} - {""}
    for _ in range(3):
        parts = TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            break
        head, tail = title[: title.rfind(parts[-1])].rstrip(" -–—|•:»"), parts[-1]
        first, rest = parts[0], title[len(parts[0]):].lstrip(" -–—|•:»")
        if _is_site(tail, names, labels, 6) and len(head.split()) >= 3:
            title = head
        elif _is_site(first, names, labels, 3) and len(rest.split()) >= 3:
            title = rest
        else:
            break
    return title.strip()


_DOMAIN = re.compile(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|co\.id|id|net|org|go\.id|news|info|tv)")
_TLDS = frozenset({"www", "com", "co", "id", "go", "net", "org", "news", "info", "tv", "ac", "or", "sch", "web",
                   "blogspot", "my"})


def _host_label(name: str) -> str:
    """The site's own name in a host: news.detik.com -> detik, www.republika.co.id -> republika."""
    host = name.split("//")[-1].split("/")[0].lower()
    labels = [label for label in host.split(".") if label and label not in _TLDS]
    return labels[-1] if labels else ""


def _is_site(part: str, names: set[str], labels: set[str] = frozenset(), max_words: int = 6) -> bool:
    low = part.lower().strip()
    if low in names or any(low == n.split("//")[-1].removeprefix("www.") for n in names):
        return True
    words = low.split()
    if not words or len(words) > 8:
        return False
    if _DOMAIN.fullmatch(low) or (len(words) <= max_words and _DOMAIN.fullmatch(words[-1])):
        return True
    if any(len(n) >= 6 and n in low for n in names):  # "Portal Resmi Pemerintah Kota Binjai"
        return True
    return len(words) <= max_words and any(w.startswith(label) for w in words for label in labels
                                           if len(label) >= 4)


class _Props(dict):
    """meta property/name -> content (first wins), remembering repeats such as article:tag."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []

    def add(self, key: str, value: str) -> None:
        self.pairs.append((key, value))
        self.setdefault(key, value)

    def items_all(self) -> list[tuple[str, str]]:
        return self.pairs


def _meta_tags(tree: etree._Element) -> _Props:
    props = _Props()
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value:
            props.add(key, value)
    return props


def declares_article(tree: etree._Element) -> bool:
    """A JSON-LD node of an article type (not a mere WebPage) with a headline or a publication date."""
    node = _json_ld_article(tree)
    kinds = node.get("@type", []) if node else []
    kinds = {k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
    return bool(kinds - {"WebPage"})


def _json_ld_article(tree: etree._Element) -> dict:
    """The first JSON-LD node that describes an article (in a @graph, a list, or alone)."""
    best: dict = {}
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, dict):
                continue
            stack.extend(node.get("@graph", []) if isinstance(node.get("@graph"), list) else [])
            kinds = node.get("@type", [])
            kinds = {k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
            if kinds & ARTICLE_TYPES and ("headline" in node or "datePublished" in node):
                if "WebPage" not in kinds:
                    return node
                best = best or node
    return best


def _ld_name(value) -> str:
    if isinstance(value, list):
        return ", ".join(n for n in (_ld_name(v) for v in value) if n)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _ld_image(value) -> str:
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    if isinstance(value, dict):
        return _text(value.get("url"))
    return _text(value)


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _first(tree: etree._Element, xpath: str) -> str:
    found = tree.xpath(xpath)
    return str(found[0]).strip() if found else ""
