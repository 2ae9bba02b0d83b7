"""The OpenAPI 3.1 description of the JSON API. Tests validate real responses against these schemas,
so the document cannot drift from what the endpoints return."""

from __future__ import annotations

from indexer.search import MAX_PER_PAGE, SORTS
from indexer.timeline import INTERVALS
from search_web.export import FIELDS
from search_web.export import FORMATS as EXPORT_FORMATS
from search_web.params import BY

_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_NULLABLE_STR = {"type": ["string", "null"]}
_DATE = {"type": ["string", "null"], "format": "date-time",
         "description": "ISO 8601 in WIB (UTC+07:00); null when the outlet gave no date"}

HIT = {
    "type": "object",
    "required": ["id", "url", "title", "outlet", "outlet_name", "published", "regions", "snippet"],
    "properties": {
        "id": {"type": "string", "description": "warta's id of the article (see /api/articles/{id})"},
        "url": {"type": "string", "description": "the article on its outlet"},
        "title": {"type": "string", "description": "plain text as the outlet wrote it; escape it to show it"},
        "title_html": {"type": "string", "description": "the title, escaped, with matched words in <mark>"},
        "outlet": {"type": "string"},
        "outlet_name": {"type": "string"},
        "published": _DATE,
        "regions": {"type": "array", "items": _STR,
                    "description": "the regions the article is about, official names, each kabupaten/kota with "
                                   "its province"},
        "actors": {"type": "array", "items": _STR,
                   "description": "government bodies named, one name per body ('Pemerintah Kota Binjai')"},
        "outlet_regions": {"type": "array", "items": _STR, "description": "the outlet's coverage"},
        "snippet": {"type": "string",
                    "description": "HTML: escaped article text, matched words (stems included) in <mark>"},
        "story": {"type": "string", "description": "the story (copies of one release across outlets) it belongs to"},
        "copies": {"type": "array", "description": "with collapse (the default): the story's other copies, "
                   "oldest first (at most 20); empty otherwise", "items": {
                       "type": "object", "required": ["id", "url", "title", "outlet", "outlet_name", "published"],
                       "properties": {"id": _STR, "url": _STR, "title": _STR, "outlet": _STR,
                                      "outlet_name": _STR, "published": _DATE}}},
    },
}
FACET = {"type": "array", "items": {
    "type": "object", "required": ["value", "label", "count"],
    "properties": {"value": _STR, "label": _STR, "count": {"type": "integer", "minimum": 1}}}}
SEARCH = {
    "type": "object",
    "required": ["query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion"],
    "properties": {
        "query": _STR,
        "total": {"type": "integer", "minimum": 0,
                  "description": "stories found (articles, with collapse=false)"},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "took_ms": {"type": "number", "minimum": 0},
        "hits": {"type": "array", "items": HIT},
        "partial_hits": {"type": "array", "items": HIT,
                         "description": "when every match fits on the first page of a relevance search of several "
                                        "words: articles with all but one of them, after the hits; not counted "
                                        "in total, facets, timelines or exports"},
        "facets": {"type": "object", "required": ["outlet", "region", "actor", "year"],
                   "properties": {"outlet": FACET, "region": FACET, "actor": FACET, "year": FACET},
                   "description": "counts per value; each facet is counted as if its own filter were off"},
        "suggestion": {**_NULLABLE_STR, "description": "a corrected query built from indexed words, or null"},
        "sort": {"enum": list(SORTS)},
        "filters": {"type": "object"},
        "fallback": {"type": "boolean",
                     "description": "true when the query syntax could not be used and its words were searched"},
        "collapse": {"type": "boolean", "description": "whether copies of one story were shown as one hit"},
    },
}
ARTICLE = {
    "type": "object",
    "required": ["id", "url", "title", "outlet", "outlet_name", "published", "author", "regions", "text"],
    "properties": {
        "id": _STR, "url": _STR, "title": _STR, "outlet": _STR, "outlet_name": _STR, "published": _DATE,
        "author": _STR, "regions": {"type": "array", "items": _STR}, "actors": {"type": "array", "items": _STR},
        "outlet_regions": {"type": "array", "items": _STR},
        "text": {"type": "string", "description": "the extracted body, paragraphs separated by blank lines"},
        "story": _STR,
    },
}
OUTLETS = {
    "type": "object", "required": ["outlets"],
    "properties": {"outlets": {"type": "array", "items": {
        "type": "object", "required": ["id", "name", "url", "platform", "regions", "articles"],
        "properties": {"id": _STR, "name": _STR, "url": _STR, "platform": _STR,
                       "regions": {"type": "array", "items": _STR}, "articles": {"type": "integer", "minimum": 0}},
    }}},
}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_COUNT = {"type": "integer", "minimum": 0}
STATUS = {
    "type": "object", "required": ["outlets", "crawled"],
    "properties": {
        "crawled": {"type": "boolean", "description": "false before the first crawl (no store yet)"},
        "failing_watches": {"type": "array", "description": "watches whose deliveries keep failing (retried on "
                                                            "every run)",
                            "items": {"type": "object", "required": ["watch", "channel", "waiting", "last_error"],
                                      "properties": {"watch": _STR, "channel": {"enum": ["webhook", "email"]},
                                                     "waiting": _COUNT, "attempts": _COUNT, "last_error": _STR}}},
        "outlets": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "name", "schedule", "articles_stored", "articles_indexed", "newest_article",
                         "last_success", "last_run", "last_error", "last_error_at", "next_due", "failures",
                         "crawling", "overdue", "health", "page_errors", "last_error_kind"],
            "properties": {
                "id": _STR, "name": _STR, "schedule": {**_STR, "description": "an interval ('30m') or a cron line"},
                "articles_stored": _COUNT, "articles_indexed": _COUNT, "newest_article": _TIME,
                "last_success": {**_TIME, "description": "when the last crawl that ended well finished (result "
                                                         "'ok', or 'errors': finished with page errors)"},
                "last_run": {"type": ["object", "null"], "required": ["started", "finished", "result"],
                             "properties": {"started": _TIME, "finished": _TIME, "result": _STR, "pages": _COUNT,
                                            "new": _COUNT, "updated": _COUNT, "rejected": _COUNT,
                                            "errors": _COUNT}},
                "last_error": _NULLABLE_STR, "last_error_at": _TIME,
                "next_due": {**_TIME, "description": "when the scheduler next crawls the outlet"},
                "failures": {**_COUNT, "description": "failed crawls in a row"},
                "crawling": {"type": "boolean"},
                "overdue": {"type": "boolean", "description": "no good crawl for two periods (or never)"},
                "health": {"type": "string", "enum": ["failing", "overdue", "blocked", "never", "page_errors",
                                                       "ok"],
                           "description": "failing: the last crawl failed or died; overdue: no good crawl for two "
                                          "periods; blocked: robots.txt lets warta fetch nothing; never: no crawl "
                                          "has ended well yet; "
                                          "page_errors: the last crawl ended well but some pages could not be "
                                          "read (a 404, a timeout, an extraction error): the outlet is fine; ok"},
                "page_errors": {**_COUNT, "description": "pages that failed in the last crawl that ended well"},
                "source_alert": {
                    "type": ["object", "null"], "required": ["flag", "evidence"],
                    "properties": {"flag": {"type": "string", "enum": ["diblokir?", "struktur halaman berubah?"]},
                                   "evidence": _STR},
                    "description": "the last crawls' article pages fell off the outlet's own history: mostly "
                                   "bot challenges or refusals (diblokir?), or mostly not articles, much "
                                   "shorter, or undated (struktur halaman berubah?); null when they did not"},
                "last_error_kind": {"type": ["string", "null"],
                                    "enum": ["page", "crawl", "interrupted", "robots", None],
                                    "description": "what last_error was: 'page' (a page of a crawl that ended "
                                                   "well), 'crawl' (the crawl failed or its process died), "
                                                   "'interrupted' (the crawl was stopped), 'robots' (robots.txt "
                                                   "forbade the crawl); null without one"},
            },
        }},
    },
}
TIMELINE = {
    "type": "object", "required": ["interval", "total", "buckets", "undated"],
    "properties": {
        "interval": {"enum": list(INTERVALS)},
        "total": {**_COUNT, "description": "what the search's total counts: the buckets plus undated"},
        "buckets": {"type": "array", "description": "every bucket from the first to the last, empty ones too",
                    "items": {"type": "object", "required": ["start", "end", "count"],
                              "properties": {"start": {"type": "string", "format": "date"},
                                             "end": {"type": "string", "format": "date",
                                                     "description": "the bucket's last day: from=start&to=end "
                                                                    "narrows the search to it"},
                                             "count": _COUNT}}},
        "undated": {**_COUNT, "description": "matches without a publication date"},
        "series": {"type": "array", "description": "with by: the top 5 values and one 'lainnya' (the rest)",
                   "items": {"type": "object", "required": ["key", "label", "counts"],
                             "properties": {"key": _STR, "label": _STR,
                                            "counts": {"type": "array", "items": _COUNT}}}},
    },
}
_FACET_COUNTS = {"type": "array", "items": {"type": "object", "required": ["value", "label", "count"],
                                            "properties": {"value": _STR, "label": _STR, "count": _COUNT}}}
PROFILE = {
    "type": "object", "required": ["kind", "value", "slug", "total", "search", "timeline", "newest", "outlets",
                                   "related"],
    "properties": {
        "kind": {"enum": ["wilayah", "lembaga"]}, "value": {**_STR, "description": "the region or body, as named"},
        "slug": _STR, "total": {**_COUNT, "description": "stories about it, all time"},
        "search": {**_STR, "description": "the search page of every article about it"},
        "timeline": {"$ref": "#/components/schemas/Timeline", "description": "by month, the last 12 months"},
        "newest": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "outlets": {**_FACET_COUNTS, "description": "the outlets that cover it most"},
        "related": {"type": "array", "description": "for a region the bodies, for a body the regions, most often "
                                                   "named with it",
                    "items": {"type": "object", "required": ["value", "label", "count", "profile"],
                              "properties": {"value": _STR, "label": _STR, "count": _COUNT, "profile": _STR}}},
    },
}
WATCHES = {
    "type": "object", "required": ["watches"],
    "properties": {"watches": {"type": "array", "items": {
        "type": "object",
        "required": ["name", "query", "outlets", "regions", "actors", "channels", "created", "feed", "stories",
                     "failing"],
        "properties": {
            "name": _STR, "query": _STR, "outlets": _STRS, "regions": _STRS, "actors": _STRS,
            "channels": {"type": "array", "items": {"enum": ["webhook", "email"]},
                         "description": "where it delivers besides its feed (the addresses are not shown)"},
            "created": {"type": "string", "format": "date-time"},
            "feed": {**_STR, "description": "its Atom feed"},
            "stories": {"type": "array", "description": "the newest 20 stories found since it was made",
                        "items": {"type": "object",
                                  "required": ["story", "url", "title", "outlet", "published", "found"],
                                  "properties": {"story": _STR, "url": _STR, "title": _STR, "outlet": _STR,
                                                 "published": {"type": ["string", "null"]},
                                                 "found": {"type": "string", "format": "date-time"}}}},
            "failing": {"type": "array", "description": "deliveries that failed and are tried again",
                        "items": {"type": "object", "required": ["channel", "waiting", "last_error"],
                                  "properties": {"channel": _STR, "waiting": _COUNT, "last_error": _STR}}},
        }}}},
}
ERROR = {
    "type": "object", "required": ["status", "error", "message", "code", "params"],
    "properties": {
        "status": {"type": "integer"}, "error": {**_STR, "description": "the HTTP status's name"},
        "message": {**_STR, "description": "what went wrong, in English, for a person"},
        "code": {**_STR, "description": "a stable identifier of the error, to branch on or translate: "
                                        "'query_too_long', 'date_format', 'not_integer', 'index_missing', ..."},
        "params": {"type": "object", "description": "the values the message names (a parameter's 'name', "
                                                    "the 'value' given, the limits 'low', 'high', 'max', ...)"},
    },
}


def _param(name: str, description: str, schema: dict, required: bool = False, many: bool = False) -> dict:
    p = {"name": name, "in": "query", "required": required, "description": description,
         "schema": {"type": "array", "items": schema} if many else schema}
    if many:
        p.update(style="form", explode=True)
    return p


def _responses(ok: dict, *errors: int) -> dict:
    out = {"200": {"description": "OK", "content": {"application/json": {"schema": ok}}}}
    for code in errors:
        out[str(code)] = {"description": {400: "bad parameter", 404: "not found",
                                          503: "no search index yet, or the store cannot be read"}[code],
                          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return out


_DATE = {"type": "string", "format": "date"}
_FILTERS = [
    _param("outlet", "only these outlets (ids; repeat or comma-separate)", _STR, many=True),
    _param("region", "only articles about these regions (official names; a province includes its "
           "kabupaten/kota; repeat or comma-separate)", _STR, many=True),
    _param("actor", "only articles naming these government bodies ('Pemerintah Kota Binjai', "
           "'DPRD Kota Medan'; repeat or comma-separate)", _STR, many=True),
    _param("from", "published on or after (YYYY-MM-DD, a year from 1900 to 2200)", _DATE),
    _param("to", "published on or before (YYYY-MM-DD, a year from 1900 to 2200)", _DATE),
    _param("collapse", "one hit per story, its copies in other outlets listed under it (default); "
           "false shows every copy", {"type": "boolean", "default": True}),
]


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "warta search API", "version": "1",
                 "description": "Search Indonesian regional-government news. Read-only; GET only."},
        "paths": {
            "/api/search": {"get": {
                "summary": "Search articles",
                "parameters": [
                    _param("q", 'words, "phrases", -exclusions, OR, title:word (at most 300 characters); '
                           "required and not blank: without it the answer is 400",
                           {"type": "string", "minLength": 1, "pattern": r"\S"}, required=True),
                    *_FILTERS,
                    _param("sort", "order of hits", {"enum": list(SORTS), "default": "relevance"}),
                    _param("page", "page number; page * per_page at most 1000", {"type": "integer", "minimum": 1}),
                    _param("per_page", "hits per page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
                ],
                "responses": _responses({"$ref": "#/components/schemas/SearchResult"}, 400, 503),
            }},
            "/api/timeline": {"get": {
                "summary": "How many matches were published per day, week or month",
                "description": "Counts are stories when collapse is on, copies when off, exactly as the search's "
                               "total counts them (each story on the day its first copy among the matches was "
                               "published). Buckets are UTC days, as from and to are.",
                "parameters": [
                    _param("q", "as in /api/search; blank: every article (with the filters)", _STR),
                    *_FILTERS,
                    _param("interval", "bucket size; default: from the span, so the chart has 8 to 60 bars",
                           {"enum": list(INTERVALS)}),
                    _param("by", "series of the top 5 values of this facet, and one 'lainnya'", {"enum": list(BY)}),
                ],
                "responses": _responses({"$ref": "#/components/schemas/Timeline"}, 400, 503),
            }},
            "/api/export": {"get": {
                "summary": "Every match, streamed in the search's order: CSV or JSON Lines",
                "description": "No page and no cap. Columns (CSV) or fields (JSON Lines): " + ", ".join(FIELDS)
                               + ". CSV is UTF-8 with a byte-order mark; a cell starting with =, +, - or @ is "
                                 "prefixed with an apostrophe (no spreadsheet formula).",
                "parameters": [
                    _param("q", "as in /api/search; blank: every article (with the filters)", _STR),
                    *_FILTERS,
                    _param("sort", "order of rows", {"enum": list(SORTS), "default": "relevance"}),
                    _param("format", "csv (default) or jsonl", {"enum": list(EXPORT_FORMATS), "default": "csv"}),
                ],
                "responses": {
                    "200": {"description": "OK", "content": {
                        "text/csv": {"schema": {"type": "string"}},
                        "application/x-ndjson": {"schema": {"type": "string"}}}},
                    **{k: v for k, v in _responses({}, 400, 503).items() if k != "200"},
                },
            }},
            "/api/wilayah/{slug}": {"get": {
                "summary": "A kabupaten/kota or province: its last 12 months, newest stories, outlets and bodies",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": _STR,
                                "description": "the region's name in lowercase words joined by hyphens: kota-binjai"}],
                "responses": _responses({"$ref": "#/components/schemas/Profile"}, 404, 503),
            }},
            "/api/lembaga/{slug}": {"get": {
                "summary": "A government body: its last 12 months, newest stories, outlets and regions",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": _STR,
                                "description": "the body's name in lowercase words joined by hyphens: "
                                               "dprd-kota-medan"}],
                "responses": _responses({"$ref": "#/components/schemas/Profile"}, 404, 503),
            }},
            "/api/articles/{id}": {"get": {
                "summary": "warta's clean copy of one article",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": _STR}],
                "responses": _responses({"$ref": "#/components/schemas/Article"}, 404, 503),
            }},
            "/api/outlets": {"get": {
                "summary": "The outlets warta crawls, with articles in the index",
                "responses": _responses({"$ref": "#/components/schemas/Outlets"}),
            }},
            "/api/status": {"get": {
                "summary": "Per outlet: articles stored and indexed, last good crawl, next crawl, last error",
                "responses": _responses({"$ref": "#/components/schemas/Status"}, 503),
            }},
            "/api/pantauan": {"get": {
                "summary": "Saved searches (watches) and the stories each found since it was made",
                "responses": _responses({"$ref": "#/components/schemas/Watches"}, 503),
            }},
            "/api/openapi.json": {"get": {
                "summary": "This document",
                "responses": {"200": {"description": "OK", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["openapi", "paths"]}}}}},
            }},
        },
        "components": {"schemas": {"SearchResult": SEARCH, "Hit": HIT, "Article": ARTICLE, "Outlets": OUTLETS,
                                   "Status": STATUS, "Timeline": TIMELINE,
                                   "Profile": PROFILE, "Watches": WATCHES, "Error": ERROR}},
    }
