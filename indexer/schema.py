"""The Whoosh schema: what is searchable, what is filterable, and what a hit can show without the store.

The fingerprint names everything that changes how a stored article becomes index terms (this schema's
version and the lexicon file). An index built under another fingerprint is rebuilt, not read wrongly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from whoosh.analysis import RegexTokenizer
from whoosh.analysis.filters import LowercaseFilter
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions

from indexer.analysis import index_terms, indonesian_analyzer
from indexer.lexicon import Lexicon
from indexer.lexicon import load as load_lexicon
from indexer.stories import Grouper
from store import Article

SCHEMA_VERSION = 7  # bump when fields or analysis code change meaning


def article_id(url: str) -> str:
    """A short stable id for URLs in links and the API; the URL itself stays the store's key."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


_ENCODED: dict[int, bytes] = {}  # position -> the value of a term seen once in a field, as most are


class TermPositions(Positions):
    """Whoosh's Positions format, fed by warta's analyzer on plain strings (analysis.index_terms) rather
    than its Token generator chain: the same postings, written a good deal faster."""

    def word_values(self, value, analyzer, **kwargs):
        found = index_terms(analyzer, value) if isinstance(value, str) and kwargs.get("mode", "index") == "index" \
            else None
        if found is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = {}
        for term, pos in found:
            at = poses.get(term)
            if at is None:
                poses[term] = [pos]
            else:
                at.append(pos)
        fb = self.field_boost
        for term, positions in poses.items():
            if len(positions) == 1:
                vbytes = _ENCODED.get(positions[0]) or _ENCODED.setdefault(positions[0], self.encode(positions))
            else:
                vbytes = self.encode(positions)
            yield term, len(positions), len(positions) * fb, vbytes


class PositionsText(TEXT):
    """TEXT whose postings come straight from TermPositions, as a list: Whoosh's FieldType.index wraps
    every posting in a generator step of its own."""

    def index(self, value, **kwargs):
        if not isinstance(value, str) or not isinstance(self.format, TermPositions):
            return super().index(value, **kwargs)
        kwargs.setdefault("mode", "index")
        return [(term.encode("utf-8"), freq, weight, vbytes)
                for term, freq, weight, vbytes in self.format.word_values(value, self.analyzer, **kwargs)]


def _text(analyzer, **kwargs) -> TEXT:
    field = PositionsText(analyzer=analyzer, **kwargs)
    field.format = TermPositions(field_boost=field.format.field_boost)
    return field


# The facets search counts and filters by, and the field each one reads.
FACET_FIELDS = {"outlet": "outlet", "region": "regions", "actor": "actors", "year": "year"}


def build_schema(lexicon: Lexicon | None = None) -> Schema:
    analyzer = indonesian_analyzer(lexicon or load_lexicon())
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        url=ID(stored=True),
        hash=ID(sortable=True),  # the store's content hash: what `warta index` compares to find changes
        outlet=ID(stored=True),
        outlet_name=STORED(),
        title=_text(analyzer, stored=True),
        body=_text(analyzer, stored=True),
        author=TEXT(analyzer=RegexTokenizer() | LowercaseFilter(), stored=True),
        regions=KEYWORD(stored=True, commas=True, scorable=False),  # what the article is about
        outlet_regions=STORED(),  # the outlet's coverage
        actors=KEYWORD(stored=True, commas=True, scorable=False),
        published=DATETIME(stored=True, sortable=True),
        year=ID(),
        story=ID(stored=True, sortable=True),  # the story (syndicated copies of one release) it belongs to
    )


def fingerprint(lexicon: Lexicon | None = None) -> str:
    return f"v{SCHEMA_VERSION}-{(lexicon or load_lexicon()).digest}"


@dataclass(frozen=True)
class IndexedArticle:
    """An article as the index holds it: everything a result page or the article view shows."""

    id: str
    url: str
    outlet: str
    outlet_name: str
    title: str
    body: str
    author: str
    regions: tuple[str, ...]
    published: datetime | None
    story: str = ""  # the id of the story's first indexed article; its own id when it has no copies
    actors: tuple[str, ...] = ()
    outlet_regions: tuple[str, ...] = ()

    @classmethod
    def from_stored(cls, fields: dict) -> IndexedArticle:
        return cls(id=fields["id"], url=fields["url"], outlet=fields["outlet"],
                   outlet_name=fields.get("outlet_name") or fields["outlet"], title=fields.get("title", ""),
                   body=fields.get("body", ""), author=fields.get("author", ""),
                   regions=_listed(fields.get("regions", "")),
                   published=fields.get("published"), story=fields.get("story") or fields["id"],
                   actors=_listed(fields.get("actors", "")), outlet_regions=_listed(fields.get("outlet_regions", "")))


def _listed(stored: str) -> tuple[str, ...]:
    return tuple(v for v in stored.split(",") if v)


def _joined(values: tuple[str, ...]) -> str:
    return ",".join(v.replace(",", " ") for v in values)


INDEXED_YEARS = range(1970, 2200)  # dates the index's arithmetic can carry; the crawler keeps tighter bounds


def indexed_time(when: datetime | None) -> datetime | None:
    """A publication time as Whoosh keeps it (naive UTC), or None for one no calendar sum can carry.

    Crawled dates are untrusted: a 9999-12-31 from a page's JSON-LD must leave the article undated,
    not stop every later `warta index` with an OverflowError.
    """
    if when is None or when.year not in INDEXED_YEARS:
        return None
    try:
        return (when - when.utcoffset()).replace(tzinfo=None) if when.utcoffset() else when.replace(tzinfo=None)
    except OverflowError:
        return None


def document(article: Article, digest: str, outlet_name: str = "", grouper: Grouper | None = None) -> dict:
    """The Whoosh document for one stored article (with its story, when a grouper is given)."""
    published = indexed_time(article.published)
    doc = dict(id=article_id(article.url), url=article.url, hash=digest, outlet=article.outlet,
               outlet_name=outlet_name or article.outlet, title=article.title, body=article.text,
               author=article.author, regions=_joined(article.regions), actors=_joined(article.actors),
               outlet_regions=_joined(article.outlet_regions))
    if published:
        doc.update(published=published, year=str(article.published.year))  # the year as the outlet dated it
    if grouper is not None:
        doc.update(grouper.assign(doc["id"], article.title, article.text, article.published))
    return doc
