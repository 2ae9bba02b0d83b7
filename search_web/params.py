"""Query-string parameters -> a SearchRequest, with messages a person can act on.

The HTML page and the JSON API read the same parameters (q, outlet, region, from, to, sort, page,
per_page), so a search URL can move between them by changing only the path.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import ClassVar

from werkzeug.datastructures import MultiDict

from indexer.query import UserError
from indexer.search import FACETS, MAX_PER_PAGE, SORTS, SearchRequest
from indexer.timeline import INTERVALS

DEFAULT_PER_PAGE = 10
YEARS = (1900, 2200)  # dates a search may name; the index's date arithmetic is safe well inside these
_YMD = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class ParamError(UserError):
    """A bad parameter: HTTP 400. `name` is the parameter as written in the URL (or the CLI's option)."""

    messages: ClassVar[dict[str, str]] = {
        "query_required": "'{name}' is required: the words to search for",
        "date_format": "'{name}' must be a date written YYYY-MM-DD, not {value!r}",
        "date_range": "'{name}' must be a date between {low} and {high}, not {value!r}",
        "not_integer": "'{name}' must be a whole number, not {value!r}",
        "int_range": "'{name}' must be between {low} and {high}",
        "not_one_of": "'{name}' must be one of {choices}, not {value!r}",
        "not_boolean": "'{name}' must be true or false, not {value!r}",
    }


def _many(args: MultiDict, name: str) -> tuple[str, ...]:
    """Repeated (outlet=a&outlet=b) or comma-separated (outlet=a,b) values, blanks dropped."""
    values = [v.strip() for raw in args.getlist(name) for v in raw.split(",")]
    return tuple(dict.fromkeys(v for v in values if v))


def _date(args: MultiDict, name: str) -> date | None:
    return parse_date(args.get(name) or "", name)


def parse_date(raw: str, name: str) -> date | None:
    """A YYYY-MM-DD date between 1900 and 2200 (None when blank); ParamError otherwise."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw) if _YMD.fullmatch(raw) else None
    except ValueError:  # 2025-02-30
        value = None
    if value is None:
        raise ParamError("date_format", name=name, value=raw[:40])
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ParamError("date_range", name=name, value=raw, low=YEARS[0], high=YEARS[1])
    return value


def _int(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError("not_integer", name=name, value=raw[:40]) from None
    if not low <= value <= high:
        raise ParamError("int_range", name=name, low=low, high=high)
    return value


def search_request(args: MultiDict) -> SearchRequest:
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise ParamError("not_one_of", name="sort", choices=", ".join(SORTS), value=sort[:40])
    return SearchRequest(
        query=(args.get("q") or "").strip(),
        outlets=_many(args, "outlet"),
        regions=_many(args, "region"),
        actors=_many(args, "actor"),
        date_from=_date(args, "from"),
        date_to=_date(args, "to"),
        sort=sort,
        page=_int(args, "page", 1, 1, 10_000),
        per_page=_int(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        collapse=_bool(args, "collapse", True),
    )


BY = tuple(f for f in FACETS if f != "year")  # what a timeline's series can be drawn by


def timeline_params(args: MultiDict) -> tuple[SearchRequest, str | None, str | None]:
    """(request, interval, by) of a timeline or export: every search parameter, a blank q meaning every
    article (a region's coverage needs no words), plus interval and by."""
    req = search_request(args)
    interval = _choice(args, "interval", INTERVALS)
    by = _choice(args, "by", BY)
    return replace(req, match_all=True), interval, by


def _choice(args: MultiDict, name: str, choices: tuple[str, ...]) -> str | None:
    raw = (args.get(name) or "").strip()
    if raw and raw not in choices:
        raise ParamError("not_one_of", name=name, choices=", ".join(choices), value=raw[:40])
    return raw or None


def _bool(args: MultiDict, name: str, default: bool) -> bool:
    raw = (args.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "1", "yes", "ya"):
        return True
    if raw in ("false", "0", "no", "tidak"):
        return False
    raise ParamError("not_boolean", name=name, value=raw[:40])


def to_args(request: SearchRequest, **changes) -> dict:
    """The query-string parameters of a request, with changes; defaults are left out to keep URLs short."""
    values = {"q": request.query, "outlet": list(request.outlets), "region": list(request.regions),
              "actor": list(request.actors),
              "from": request.date_from.isoformat() if request.date_from else None,
              "to": request.date_to.isoformat() if request.date_to else None,
              "sort": None if request.sort == "relevance" else request.sort,
              "page": request.page if request.page > 1 else None,
              "per_page": None if request.per_page == DEFAULT_PER_PAGE else request.per_page,
              "collapse": None if request.collapse else "false"}
    values.update(changes)
    return {k: v for k, v in values.items() if v not in (None, "", [], ())}
