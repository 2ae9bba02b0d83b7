"""A page for each kabupaten/kota and each government body: `/wilayah/<slug>` and `/lembaga/<slug>`, each with
its JSON twin under `/api/`. What one place or body looked like in the news over the last 12 months: its
timeline, its newest stories, the outlets that cover it, and the bodies (for a region) or regions (for a
body) most often named with it. Everything comes from the searches the search page runs; a slug is the
facet value's name in lowercase words joined by hyphens (`Kota Binjai` -> `kota-binjai`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from indexer.search import FacetCount, Searcher, SearchRequest, SearchResult
from indexer.serialize import hit_json, timeline_json
from indexer.timeline import Timeline

KINDS = {"wilayah": "region", "lembaga": "actor"}  # the URL's word -> the facet
RELATED = {"region": "actor", "actor": "region"}  # what a profile lists as named with it
NEWEST = 10
TOP = 10


def slugify(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


@dataclass(frozen=True)
class Profile:
    kind: str  # "wilayah" or "lembaga"
    facet: str  # "region" or "actor"
    value: str
    slug: str
    request: SearchRequest  # every article about it: what its search box and chart bars narrow
    timeline: Timeline
    newest: SearchResult
    outlets: list[FacetCount]
    related: list[FacetCount]


def months_back(today: date, months: int = 12) -> date:
    """The first day of the month `months - 1` months before today's: 12 bars, this month included."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def find(searcher: Searcher, kind: str, slug: str) -> str | None:
    """The facet value a slug names, among those the index holds, or None."""
    facet = KINDS.get(kind)
    if facet is None:
        return None
    return next((value for value in searcher.facet_values(facet) if slugify(value) == slug), None)


def profile(searcher: Searcher, kind: str, value: str, today: date | None = None) -> Profile:
    facet = KINDS[kind]
    today = today or datetime.now(UTC).date()
    about = SearchRequest("", match_all=True, **{"regions" if facet == "region" else "actors": (value,)})
    timeline = searcher.timeline(replace(about, date_from=months_back(today), date_to=today), "month")
    newest = searcher.search(replace(about, sort="newest", per_page=NEWEST))
    related = [c for c in newest.facets[RELATED[facet]] if c.value.lower() != value.lower()][:TOP]
    return Profile(kind, facet, value, slugify(value), about, timeline, newest, newest.facets["outlet"][:TOP],
                   related)


def profile_json(p: Profile, search_url: str) -> dict:
    """The JSON shape of /api/wilayah/<slug> and /api/lembaga/<slug> (fields are only ever added)."""
    related_kind = "lembaga" if p.facet == "region" else "wilayah"
    return {
        "kind": p.kind, "value": p.value, "slug": p.slug, "total": p.newest.total, "search": search_url,
        "timeline": timeline_json(p.timeline),
        "newest": [hit_json(h) for h in p.newest.hits],
        "outlets": [{"value": c.value, "label": c.label, "count": c.count} for c in p.outlets],
        "related": [{"value": c.value, "label": c.label, "count": c.count,
                     "profile": f"/{related_kind}/{slugify(c.value)}"} for c in p.related],
    }
