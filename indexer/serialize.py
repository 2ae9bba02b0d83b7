"""Search results and articles as JSON-ready dicts: the one shape `warta search --json` and the web API share.

With collapsed results (the default), each hit is a story: its first published copy among the matches,
`story` its id, and `copies` the other outlets' copies (oldest first).

Dates are given in WIB (UTC+7), the time zone the outlets write in; the snippet is HTML in which the
crawled text is escaped and `<mark>` tags show what the query matched.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from indexer.schema import IndexedArticle
from indexer.search import Copy, Hit, SearchResult
from indexer.timeline import Timeline

WIB = timezone(timedelta(hours=7), "WIB")


def local_time(when: datetime | None) -> datetime | None:
    """In WIB, the outlets' wall clock; the index keeps naive UTC, the store aware times."""
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(WIB)


def _iso(published: datetime | None) -> str | None:
    when = local_time(published)
    return when.isoformat() if when else None


def _summary(article: IndexedArticle) -> dict:
    return {"id": article.id, "url": article.url, "title": article.title, "outlet": article.outlet,
            "outlet_name": article.outlet_name, "published": _iso(article.published),
            "regions": list(article.regions), "actors": list(article.actors),
            "outlet_regions": list(article.outlet_regions)}


def hit_json(hit: Hit) -> dict:
    return {**_summary(hit.article), "snippet": hit.snippet.html(), "title_html": hit.title.html(),
            "story": hit.article.story, "copies": [copy_json(c) for c in hit.copies]}


def copy_json(copy: Copy) -> dict:
    return {"id": copy.id, "url": copy.url, "title": copy.title, "outlet": copy.outlet,
            "outlet_name": copy.outlet_name, "published": _iso(copy.published)}


def result_json(result: SearchResult) -> dict:
    r = result.request
    return {
        "query": r.query,
        "total": result.total,
        "page": r.page,
        "per_page": r.per_page,
        "took_ms": round(result.took_ms, 1),
        "hits": [hit_json(h) for h in result.hits],
        "facets": {name: [{"value": c.value, "label": c.label, "count": c.count} for c in counts]
                   for name, counts in result.facets.items()},
        "suggestion": result.suggestion,
        "sort": r.sort,
        "filters": {"outlet": list(r.outlets), "region": list(r.regions), "actor": list(r.actors),
                    "from": r.date_from.isoformat() if r.date_from else None,
                    "to": r.date_to.isoformat() if r.date_to else None},
        "fallback": result.fallback,
        "collapse": r.collapse,
        "partial_hits": [hit_json(h) for h in result.partial],
    }


def article_json(article: IndexedArticle) -> dict:
    return {**_summary(article), "author": article.author, "text": article.body, "story": article.story}


def timeline_json(timeline: Timeline) -> dict:
    """The JSON shape of /api/timeline (fields are only ever added); series only for a `by` timeline."""
    out = {"interval": timeline.interval, "total": timeline.total,
           "buckets": [{"start": s.isoformat(), "end": timeline.end(i).isoformat(), "count": c}
                       for i, (s, c) in enumerate(zip(timeline.starts, timeline.counts, strict=True))],
           "undated": timeline.undated}
    if timeline.series:
        out["series"] = [{"key": s.key, "label": s.label, "counts": s.counts} for s in timeline.series]
    return out
