"""What the spider hands the store pipeline: an extracted article, or a page rejected with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from store import Article


@dataclass
class ArticleItem:
    article: Article
    html: bytes
    aliases: set[str] = field(default_factory=set)  # other URLs that led here (tracking, AMP, redirects)


@dataclass
class AliasItem:
    """More URLs of an article stored earlier: recorded so the next crawl need not fetch them."""

    article_url: str
    aliases: set[str]


@dataclass
class RejectItem:
    url: str
    outlet: str
    reason: str
    remember: bool = True  # False: count it, but let the next crawl try the URL again
