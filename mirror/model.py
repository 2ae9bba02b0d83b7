"""Plain data types of the outlet mirror: what a mirror site is and what its articles truly say.

Every article knows its true title, date, author and paragraphs, so crawl and extraction tests can
compare what warta stored against the truth instead of against another scraper's output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")

THEMES = ("newspaper", "jnews", "wpplain", "blogger", "goid")


@dataclass(frozen=True)
class MirrorArticle:
    """One article as its outlet publishes it; the fields are the ground truth for tests."""

    site: str
    number: int  # WordPress post ID, Blogger post number or CMS id: stable, unique per site
    slug: str
    path: str  # canonical path on the site, e.g. /2025/08/25/slug/ or /2022/04/slug.html
    title: str
    paragraphs: tuple[str, ...]
    published: datetime  # timezone-aware, WIB
    modified: datetime
    author: str
    category: str
    tags: tuple[str, ...]
    regions: tuple[str, ...]
    image: str  # path of the lead image on the site
    image_caption: str = ""
    copy_of: tuple[str, int] | None = None  # a syndicated copy: (site, number) of the release it copies
    pinned: bool = False  # a seed or test article (mirror/texts.py) that tests look for: never behind a trap

    @property
    def text(self) -> str:
        """The body the way warta's extractor should return it: paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class SiteSpec:
    """How one mirror site behaves: its theme, URL scheme, discovery files and page sizes."""

    id: str
    name: str
    theme: str
    host: str  # the real outlet's host name, shown in bylines and site suffixes
    regions: tuple[str, ...]
    permalink: str = "/{yyyy}/{mm}/{dd}/{slug}/"
    sitemap: str = "yoast"  # yoast | core | blogger | goid
    news_sitemap: bool = False
    gzip_sitemap: bool = False
    page_size: int = 10
    feed_size: int = 10
    encoding: str = "utf-8"
    weather_bar: bool = False
    repeat_body: bool = False
    dateline: str = "{KOTA} –"  # how a written article's lead opens; {KOTA}/{Kota}: the place, upper/as is
    byline: str = ""  # a byline paragraph some outlets end the body with, e.g. "Reporter: {author}"
    traps: tuple[str, ...] = ()  # the ugly-web pages this site serves; see mirror/sites.toml
