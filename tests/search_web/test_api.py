"""The JSON API over HTTP, served by `warta serve` (waitress) over crawled and indexed mirror articles."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import jsonschema
import pytest

from indexer.index import current_generation
from tests.conftest import fetch, warta_server


def get(base: str, path: str, method: str = "GET", **params):
    page = fetch(f"{base}{path}" + (f"?{urlencode(params, doseq=True)}" if params else ""), method=method)
    assert page.headers.get_content_type() == "application/json", page.text[:300]
    return page.status, json.loads(page.body)


@pytest.fixture(scope="module")
def openapi(web):
    status, doc = get(web, "/api/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.1")
    return doc


def conforms(openapi: dict, schema: str, value) -> None:
    """Validate a real response against the OpenAPI document's own schema for it."""
    jsonschema.validate(value, {"$ref": f"#/components/schemas/{schema}", "components": openapi["components"]},
                        cls=jsonschema.Draft202012Validator)


def test_search_returns_the_documented_shape(web, openapi):
    status, body = get(web, "/api/search", q="walikota siantar", per_page=2)
    assert status == 200
    conforms(openapi, "SearchResult", body)
    assert list(body)[:8] == ["query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion"]
    assert body["total"] >= 2 and len(body["hits"]) == 2 and body["page"] == 1
    hit = body["hits"][0]
    assert "<mark>" in hit["snippet"] and hit["published"].endswith("+07:00")
    assert {c["value"] for c in body["facets"]["outlet"]} >= {"sumutpos", "siantarblog"}


def test_filters_sort_and_pages_through_the_api(web, openapi):
    _, one = get(web, "/api/search", q="kota", outlet="waspada", sort="newest", per_page=50)
    assert one["total"] >= 1 and {h["outlet"] for h in one["hits"]} == {"waspada"}
    dates = [h["published"] for h in one["hits"]]
    assert dates == sorted(dates, reverse=True)
    _, both = get(web, "/api/search", q="kota", outlet=["waspada", "sumutpos"], per_page=50)
    assert {h["outlet"] for h in both["hits"]} == {"waspada", "sumutpos"}
    _, dated = get(web, "/api/search", q="banjir medan", **{"from": "2025-03-10", "to": "2025-03-10"})
    assert [h["title"] for h in dated["hits"]] == ["Pemerintah Kota Medan Tangani Banjir di Medan Johor"]
    _, p1 = get(web, "/api/search", q="kota", per_page=3)
    _, p2 = get(web, "/api/search", q="kota", per_page=3, page=2)
    conforms(openapi, "SearchResult", p2)
    assert not {h["id"] for h in p1["hits"]} & {h["id"] for h in p2["hits"]}


def test_suggestion_for_a_misspelling(web):
    _, body = get(web, "/api/search", q="pelayann")
    assert body["total"] == 0 and body["suggestion"] == "pelayanan"


def test_article_and_outlets_endpoints(web, openapi):
    _, found = get(web, "/api/search", q="kolam retensi")
    status, article = get(web, f"/api/articles/{found['hits'][0]['id']}")
    assert status == 200
    conforms(openapi, "Article", article)
    assert article["title"] == "Pemko Medan Bangun Kolam Retensi untuk Atasi Genangan"
    assert "Rp 1.500.000.000" in article["text"] and article["outlet_name"] == "Waspada Online"
    status, body = get(web, "/api/articles/0000000000000000")
    assert status == 404
    conforms(openapi, "Error", body)
    status, body = get(web, "/api/outlets")
    assert status == 200
    conforms(openapi, "Outlets", body)
    counts = {o["id"]: o["articles"] for o in body["outlets"]}
    assert len(counts) == 9 and all(n > 0 for n in counts.values())


@pytest.mark.parametrize(("params", "message"), [
    ({}, "'q' is required"),
    ({"q": "   "}, "'q' is required"),
    ({"q": "x" * 301}, "too long"),
    ({"q": "banjir", "page": "abc"}, "whole number"),
    ({"q": "banjir", "page": "0"}, "between"),
    ({"q": "banjir", "per_page": "500"}, "between 1 and 50"),
    ({"q": "banjir", "page": "200", "per_page": "10"}, "first 1000"),
    ({"q": "banjir", "sort": "popular"}, "'sort' must be one of"),
    ({"q": "banjir", "from": "kemarin"}, "YYYY-MM-DD"),
    ({"q": "banjir", "from": "2025-02-01", "to": "2025-01-01"}, "after"),
    ({"q": "-banjir"}, "only excludes"),
])
def test_bad_parameters_are_400_with_a_message(web, openapi, params, message):
    status, body = get(web, "/api/search", **params)
    assert status == 400
    conforms(openapi, "Error", body)
    assert message in body["message"]


def test_unknown_paths_and_writes_are_json_errors_and_change_nothing(web, search_data):
    before = current_generation(search_data.index)
    assert get(web, "/api/nothing/here")[0] == 404
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        status, body = get(web, "/api/search", method=method, q="banjir")
        assert status == 405 and body["status"] == 405
    assert current_generation(search_data.index) == before


def test_security_headers_on_every_response(web):
    for path in ("/api/search?q=banjir", "/?q=banjir", "/api/nothing", "/static/warta.css"):
        headers = fetch(web + path).headers
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


def test_without_an_index_the_api_says_503(tmp_path, openapi):
    with warta_server(tmp_path) as base:
        status, body = get(base, "/api/search", q="banjir")
        assert status == 503 and "warta index" in body["message"]
        conforms(openapi, "Error", body)
        assert get(base, "/api/articles/abc")[0] == 503
        status, body = get(base, "/api/outlets")  # the registry is there even before any index
        assert status == 200 and all(o["articles"] == 0 for o in body["outlets"])
        page = fetch(base + "/?q=banjir")
        assert page.status == 503 and "warta index" in page.text
