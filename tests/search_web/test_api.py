"""The JSON API over HTTP, served by `warta serve` (waitress) over crawled and indexed mirror articles."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import jsonschema
import pytest

from indexer.generations import current_generation
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


def test_near_matches_come_apart_from_the_hits(web, openapi):
    status, body = get(web, "/api/search", q="kolam puskesmas")
    assert status == 200
    conforms(openapi, "SearchResult", body)
    assert body["total"] == 0 and body["hits"] == [] and body["partial_hits"]
    _, full = get(web, "/api/search", q="walikota siantar", per_page=1)
    assert full["total"] > 1 and full["partial_hits"] == []


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


def security_headers_present(headers) -> bool:
    return ("default-src 'none'" in (headers["Content-Security-Policy"] or "")
            and headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY")


@pytest.mark.parametrize("path", ["/", "/?q=banjir", "/api/search?q=banjir", "/search.atom?q=banjir", "/status",
                                  "/api/status", "/api/nothing", "/nothing", "/static/warta.css"])
def test_a_host_header_that_is_no_host_name_is_a_400_with_the_security_headers(web, path):
    page = fetch(web + path, headers={"Host": "a" * 64 + ".example.id"})
    assert page.status == 400 and security_headers_present(page.headers), (page.status, page.body[:300])
    if path.startswith("/api/"):
        assert json.loads(page.body)["message"] == "the Host header is not a host name"


def test_the_atom_feed_does_not_take_its_links_from_the_host_header(web):
    page = fetch(f"{web}/search.atom?q=banjir&outlet=waspada&page=3", headers={"Host": "evil.example:666"})
    assert page.status == 200 and b"evil.example" not in page.body
    assert b'<link rel="self" href="/search.atom?q=banjir&amp;outlet=waspada"/>' in page.body
    assert b"<id>tag:warta,2025:/search.atom?q=banjir&amp;outlet=waspada</id>" in page.body


def test_the_atom_feed_links_from_a_configured_base_url(search_data):
    from search_web import ConfigError, create_app

    app = create_app(search_data.data, search_data.seeds, WARTA_BASE_URL="https://warta.example.id/")
    body = app.test_client().get("/search.atom?q=banjir", headers={"Host": "evil.example"}).data
    assert b'<link rel="self" href="https://warta.example.id/search.atom?q=banjir"/>' in body
    assert b'href="https://warta.example.id/?q=banjir&amp;sort=newest"' in body and b"evil" not in body
    with pytest.raises(ConfigError, match="WARTA_BASE_URL"):
        create_app(search_data.data, search_data.seeds, WARTA_BASE_URL="javascript://x/")


def test_an_empty_q_is_what_the_document_says(web, openapi):
    (q,) = [p for p in openapi["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q"]
    assert q["required"] and q["schema"]["minLength"] == 1 and q["schema"]["pattern"] == r"\S"
    for blank in ("", " \t"):
        status, body = get(web, "/api/search", q=blank)
        assert status == 400 and "'q' is required" in body["message"]
        conforms(openapi, "Error", body)


def test_405_says_which_methods_are_allowed(web):
    for path in ("/api/search?q=banjir", "/api/status", "/", "/search.atom?q=banjir"):
        page = fetch(web + path, method="POST")
        assert page.status == 405 and security_headers_present(page.headers)
        assert set(page.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


def test_status_is_in_the_document_and_conforms(web, openapi):
    assert "get" in openapi["paths"]["/api/status"]
    status, body = get(web, "/api/status")
    assert status == 200 and body["crawled"] and len(body["outlets"]) == 9
    conforms(openapi, "Status", body)


@pytest.mark.parametrize("dates", [{"to": "9999-12-31"}, {"from": "0001-01-01"}, {"from": "1899-12-31"},
                                   {"to": "2201-01-01"}, {"to": "2025-02-30"}, {"from": "+2025-01-01"}])
def test_dates_outside_1900_to_2200_are_a_400_everywhere(web, openapi, dates):
    status, body = get(web, "/api/search", q="banjir", **dates)
    assert status == 400 and ("1900 and 2200" in body["message"] or "YYYY-MM-DD" in body["message"])
    conforms(openapi, "Error", body)
    for path in ("/", "/search.atom"):
        page = fetch(f"{web}{path}?{urlencode({'q': 'banjir', **dates})}")
        assert page.status == 400 and security_headers_present(page.headers)
    status, body = get(web, "/api/search", q="banjir", **{"from": "1900-01-01", "to": "2200-12-31"})
    assert status == 200


def test_a_damaged_store_makes_status_a_503_not_a_500(tmp_path, search_data, openapi):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(search_data.index, data / "index")
    with warta_server(data, search_data.seeds) as base:
        (data / "warta.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)  # damaged while serving
        status, body = get(base, "/api/status")
        assert status == 503 and "cannot be read" in body["message"]
        conforms(openapi, "Error", body)
        page = fetch(base + "/status")
        assert page.status == 503 and security_headers_present(page.headers)


def test_the_actor_facet_and_filter(web, openapi):
    status, body = get(web, "/api/search", q="layanan OR puskesmas", actor="Pemerintah Kota Pematangsiantar")
    assert status == 200
    conforms(openapi, "SearchResult", body)
    assert body["hits"] and all("Pemerintah Kota Pematangsiantar" in h["actors"] for h in body["hits"])
    assert body["filters"]["actor"] == ["Pemerintah Kota Pematangsiantar"]
    assert {"value": "Pemerintah Kota Pematangsiantar"}.items() <= next(
        c for c in body["facets"]["actor"] if c["value"] == "Pemerintah Kota Pematangsiantar").items()
    page = fetch(f"{web}/?q=puskesmas")
    assert page.status == 200 and "<h3>Lembaga</h3>" in page.text
