"""The HTML pages: search, an article's clean copy, and an Atom feed of any search.

Every state (query, filters, sort, page) lives in the URL, so a search can be bookmarked and shared.
Crawled text reaches the templates as plain strings and Jinja escapes it; the only markup warta adds
is `<mark>` in snippets, which Snippet.html() builds around escaped text.

The home page (no query) is not an empty box: it lists the newest stories, the outlets with how fresh
their news is, and example searches; a search that finds nothing offers the same examples. The examples
come from the index itself and each was run before it is offered, so none of them finds nothing.
Messages a person reads are in Bahasa Indonesia (search_web/messages.py renders the errors' codes).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import zip_longest
from weakref import WeakKeyDictionary

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from indexer.search import IndexMissingError, Searcher, SearchError, SearchRequest, SearchResult
from indexer.serialize import local_time
from monitor.watches import Watch, WatchError
from search_web import chart, profiles
from search_web.common import StoreUnreadableError, TooManyWatchesError, outlets, searcher, statuses, watch_rows
from search_web.common import add_watch as add_watch_to_store
from search_web.dates import tanggal, tanggal_jam
from search_web.messages import bahasa
from search_web.params import ParamError, search_request, timeline_params, to_args
from store import StoreBusy, WatchExists

bp = Blueprint("pages", __name__)
FEED_SIZE = 20
HOME_STORIES = 10  # newest stories on the home page
EXAMPLES = 6  # example searches offered on the home page and when a search finds nothing
RECENT = timedelta(days=60)  # what "lately" means for the examples: before the index's newest article
EXAMPLE_WORDS = 4  # longer names ("Dinas Komunikasi dan Informatika Kota Binjai") make poor examples
NO_INDEX = "Indeks pencarian belum dibuat. Jalankan 'warta crawl' lalu 'warta index'."


@dataclass(frozen=True)
class Example:
    """A search offered to a visitor, and how many stories it finds (what its link will show)."""

    query: str
    total: int


@dataclass(frozen=True)
class Freshness:
    """One outlet's line on the home page: how much of it search holds and how fresh that is."""

    id: str
    name: str
    articles: int  # in the index
    newest: datetime | None  # the newest article's publication time
    last_success: datetime | None  # when the last crawl that ended ok finished
    crawled: bool  # a crawl of it was ever recorded (that may have failed)
    overdue: bool  # crawled well once, but not for more than two periods
    crawling: bool


@bp.app_template_filter("tanggal")
def _tanggal(when: datetime | None) -> str:
    return tanggal(local_time(when))


@bp.app_template_filter("tanggal_jam")
def _tanggal_jam(when: datetime | None) -> str:
    return tanggal_jam(local_time(when))


@bp.app_template_filter("lalu")
def _lalu(when: datetime | None) -> str:
    """How long ago, the way freshness is read at a glance ("3 jam lalu"); the date beyond a week."""
    when = local_time(when)
    if when is None:
        return "-"
    seconds = (datetime.now(UTC) - when).total_seconds()
    if seconds < 0 or seconds >= 7 * 86400:
        return tanggal(when)
    for unit, name in ((86400, "hari"), (3600, "jam"), (60, "menit")):
        if seconds >= unit:
            return f"{int(seconds // unit)} {name} lalu"
    return "baru saja"


@bp.app_template_global()
def search_url(req: SearchRequest, endpoint: str = "pages.search", **changes) -> str:
    return url_for(endpoint, **to_args(req, **changes))


@bp.app_template_global()
def toggled(values: tuple[str, ...], value: str) -> list[str]:
    """The filter values with value switched on or off (for facet links)."""
    return [v for v in values if v.lower() != value.lower()] if _has(values, value) else [*values, value]


@bp.app_template_global("slugify")
def _slugify(value: str) -> str:
    return profiles.slugify(value)


@bp.app_template_global("has")
def _has(values: tuple[str, ...], value: str) -> bool:
    return value.lower() in {v.lower() for v in values}


@bp.get("/")
def search():
    try:
        req = search_request(request.args)
    except ParamError as exc:
        return error_page(400, bahasa(exc))
    if not req.query:
        return _home(req)
    try:
        result = searcher().search(req)
        _, interval, by = timeline_params(request.args)
        timeline = searcher().timeline(req, interval, by) if result.total else None
    except ParamError as exc:
        return error_page(400, bahasa(exc), req=req)
    except SearchError as exc:
        return error_page(400, bahasa(exc), req=req)
    except IndexMissingError:
        return _no_index(req)
    return _render(req, result=result, examples=examples() if not result.hits else [], timeline=timeline,
                   bars=chart.bars(timeline) if timeline else [], by=by, interval=interval,
                   chart_size=(chart.WIDTH, chart.HEIGHT))


def _home(req: SearchRequest):
    """No query: the newest stories (within the URL's filters, so `/?outlet=waspada` lists that outlet's),
    the outlets' freshness and example searches. Without an index it says so, and still lists the outlets."""
    newest: SearchResult | None = None
    suggested: list[Example] = []
    try:
        newest = searcher().search(replace(req, match_all=True, sort="newest", page=1, per_page=HOME_STORIES))
        suggested = examples()
    except SearchError as exc:  # filters that cannot hold together ('from' after 'to')
        return error_page(400, bahasa(exc), req=req)
    except IndexMissingError:
        pass
    return _render(req, result=None, newest=newest, examples=suggested, freshness=freshness(),
                   no_index=NO_INDEX if newest is None else "",
                   outlet_names={o.id: o.name for o in outlets()})


def _render(req: SearchRequest, **context):
    return render_template("search.html", req=req, outlets=outlets(),
                           snippet=lambda hit: Markup(hit.snippet.html()),
                           title=lambda hit: Markup(hit.title.html()), **context)


def examples() -> list[Example]:
    """The example searches for the index as it is now, worked out once per index commit."""
    found_in = searcher()
    catalog = found_in.catalog()
    cache = current_app.extensions.setdefault("warta.examples", WeakKeyDictionary())
    found = cache.get(catalog)
    if found is None:
        found = cache[catalog] = find_examples(found_in)
    return found


def find_examples(found_in: Searcher, limit: int = EXAMPLES) -> list[Example]:
    """Searches that find something in this index, for a visitor who does not know what to type yet.

    The government bodies and the kabupaten/kota written about most in the newest articles (then in
    all), alternately; each is run once and offered only if it finds something. A fixed list would
    find nothing in an index of other outlets or another year."""
    everything = SearchRequest("", match_all=True, sort="newest", per_page=1, collapse=False)
    latest = found_in.search(everything)
    if not latest.hits:
        return []
    newest = latest.hits[0].article.published
    recent = found_in.search(replace(everything, date_from=(newest - RECENT).date())) if newest else latest
    candidates: list[str] = []
    for result in (recent, latest):
        actors = [c.value for c in result.facets["actor"]]
        places = [c.value for c in result.facets["region"] if not c.value.lower().startswith("provinsi ")]
        candidates += [value for pair in zip_longest(actors, places) for value in pair if value]
    out: list[Example] = []
    tried: set[str] = set()
    for value in candidates:
        if len(out) == limit or len(tried) == 3 * limit:
            break
        if value.lower() in tried or len(value.split()) > EXAMPLE_WORDS:
            continue
        tried.add(value.lower())
        try:
            total = found_in.search(SearchRequest(value, per_page=1)).total
        except SearchError:
            continue
        if total:
            out.append(Example(value, total))
    return out


def freshness() -> list[Freshness] | None:
    """Per outlet: articles in the index, the newest one, the last good crawl; None when the store cannot
    be read just now (the home page says so rather than fail). Before the first crawl, the registry's
    outlets with what the index holds of them."""
    try:
        found = statuses()
    except StoreUnreadableError:
        return None
    except StoreBusy as exc:  # locked: statuses() leaves it to the caller
        current_app.logger.warning("crawl status not read for the home page: %s", exc)
        return None
    if found is not None:
        return [Freshness(s.id, s.name, s.articles_indexed, s.newest_article, s.last_success, s.last_run is not None,
                          s.overdue and s.last_success is not None, s.crawling) for s in found]
    try:
        counts = searcher().outlet_counts()
    except IndexMissingError:
        counts = {}
    return [Freshness(o.id, o.name, counts.get(o.id, 0), None, None, False, False, False) for o in outlets()]


@bp.get("/artikel/<article_id>")
def article(article_id: str):
    try:
        found = searcher().article(article_id)
    except IndexMissingError:
        return _no_index(None)
    if found is None:
        return error_page(404, "Artikel tidak ditemukan. Mungkin sudah dihapus dari indeks.")
    paragraphs = [p for p in found.body.split("\n\n") if p.strip()]
    return render_template("article.html", article=found, paragraphs=paragraphs, back=request.args.get("q", ""))


@bp.get("/<any(wilayah, lembaga):kind>/<slug>")
def profile(kind: str, slug: str):
    """A kabupaten/kota's or a government body's page (search_web/profiles.py)."""
    try:
        value = profiles.find(searcher(), kind, slug)
        if value is None:
            what = "Wilayah" if kind == "wilayah" else "Lembaga"
            return error_page(404, f"{what} “{slug[:60]}” tidak ada dalam indeks. Periksa ejaannya, atau cari "
                                   "namanya di kotak pencarian.")
        found = profiles.profile(searcher(), kind, value)
    except IndexMissingError:
        return _no_index(None)
    return render_template("profile.html", p=found, bars=chart.bars(found.timeline), interval="month", by=None,
                           chart_size=(chart.WIDTH, chart.HEIGHT))


@bp.get("/pantauan")
def watches():
    """Saved searches and what each found since it was made; with a search in the URL, the form that
    watches it ("Pantau pencarian ini")."""
    add = search_request(request.args) if any(map(request.args.get, WATCHED)) else None
    return _watches_page(add)


def _watches_page(add: SearchRequest | None, name: str = "", error: str = "", status: int = 200):
    if add and not name:
        subject = add.query or " ".join((*add.regions, *add.actors, *add.outlets))
        name = profiles.slugify(subject)[:40].strip("-") or "pantauan"
    return render_template("watches.html", watches=watch_rows(), add=add, name=name, error=error,
                           command=_watch_command(add, name)), status


@bp.post("/pantauan")
def add_watch():
    """A watch made in the browser is followed through its Atom feed. Webhook and email stay with
    `warta watch add` on the server: an anonymous visitor must not make the server post to any URL it names
    (request forgery) or mail any address (a spam relay). A form on another site cannot make one (the
    browser's Sec-Fetch-Site and Origin say where it comes from), and a visitor can make at most
    WEB_WATCHES, so a public server cannot be filled with them."""
    if not _same_origin():
        return error_page(403, "Pantauan hanya dapat dibuat dari halaman warta ini sendiri.")
    try:
        add = search_request(request.form)
    except ParamError as exc:
        return error_page(400, bahasa(exc))
    name = (request.form.get("name") or "").strip()
    if not any(map(request.form.get, WATCHED)):
        return _watches_page(add, name, "Isi kata pencarian atau pilih media, wilayah atau lembaga yang akan "
                                        "dipantau.", 400)
    watch = Watch(name, add.query, add.outlets, add.regions, add.actors)
    try:
        add_watch_to_store(watch)
    except WatchError as exc:
        message = WATCH_ERRORS.get(exc.field, str(exc))
        return _watches_page(add, name, message, 400)
    except WatchExists:
        return _watches_page(add, name, f"Sudah ada pantauan bernama “{name}”; pilih nama lain.", 409)
    except TooManyWatchesError:
        return _watches_page(add, name, "Server ini sudah menyimpan pantauan sebanyak yang boleh dibuat dari "
                                        "peramban; tambahkan lewat perintah di bawah.", 429)
    except IndexMissingError:
        return _no_index(None)
    return redirect(url_for("pages.watches", _anchor=f"pantauan-{name}"), code=303)


WATCHED = ("q", "outlet", "region", "actor")  # what a watch keeps of a search (not dates, sort or page)
WATCH_ERRORS = {
    "name": "Nama pantauan hanya boleh berisi huruf kecil, angka dan tanda hubung (paling banyak 63).",
    "query": "Kata pencarian itu tidak dapat dijalankan.",
}


def _same_origin() -> bool:
    """False for a request a browser says came from another site. Clients that are not browsers (curl, a
    script) send neither header and are trusted like the command line they could run instead."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is None or origin == request.host_url.rstrip("/")


def _watch_command(req: SearchRequest | None, name: str) -> str:
    if req is None:
        return ""
    parts = ["warta", "watch", "add", name, "--query", shlex.quote(req.query)]
    for flag, values in (("--outlet", req.outlets), ("--region", req.regions), ("--actor", req.actors)):
        parts += [p for v in values for p in (flag, shlex.quote(v))]
    return " ".join(parts)


@bp.get("/pantauan/<name>.atom")
def watch_feed(name: str):
    """Every story a watch found since it was made, newest first: a feed reader is an alert."""
    found = watch_rows(name, FEED_SIZE)
    if not found:
        return error_page(404, f"Tidak ada pantauan bernama “{name[:60]}”.")
    base = current_app.config.get("WARTA_BASE_URL", "")
    body = render_template("watch_feed.xml", watch=found[0], base=base,
                           feed_url=base + url_for("pages.watch_feed", name=name),
                           updated=(found[0]["stories"][0]["found"] if found[0]["stories"] else found[0]["created"]))
    return Response(body, mimetype="application/atom+xml")


@bp.get("/status")
def status():
    try:
        found = statuses()
    except StoreUnreadableError:
        return error_page(503, "Data perayapan tidak dapat dibaca; lihat log server.")
    return render_template("status.html", statuses=found, now=datetime.now(UTC))


@bp.get("/search.atom")
def feed():
    """Newest first, so a feed reader can follow a topic."""
    try:
        req = search_request(request.args)
        if not req.query:
            raise ParamError("query_required", name="q")
        req = replace(req, sort="newest", page=1, per_page=FEED_SIZE)
        result = searcher().search(req)
    except (ParamError, SearchError) as exc:
        return error_page(400, bahasa(exc))
    except IndexMissingError:
        return _no_index(None)
    updated = max((h.article.published for h in result.hits if h.article.published), default=None)
    # Links from the configured public address, or relative: never from the request's Host header.
    base = current_app.config.get("WARTA_BASE_URL", "")
    feed_path = url_for("pages.feed", **to_args(req, sort=None, per_page=None))
    body = render_template("feed.xml", req=req, result=result,
                           updated=(updated.replace(tzinfo=UTC) if updated else datetime.now(UTC)).isoformat(),
                           page_url=base + url_for("pages.search", **to_args(req, sort="newest", per_page=None)),
                           feed_url=base + feed_path,
                           feed_id=base + feed_path if base else f"tag:warta,2025:{feed_path}",
                           local_time=local_time)
    return Response(body, mimetype="application/atom+xml")


def _no_index(req: SearchRequest | None):
    return error_page(503, NO_INDEX, req=req)


def error_page(status: int, message: str, req: SearchRequest | None = None):
    return render_template("error.html", status=status, message=message, req=req), status
