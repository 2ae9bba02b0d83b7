"""Property tests of the search parameters: any text in any parameter, through the app (Flask's test
client) and through `warta serve` (schemathesis, from /api/openapi.json). Never a 500; every 4xx is the
documented JSON error; every 200 is the documented result."""

from __future__ import annotations

import json
from urllib.parse import quote_from_bytes
from urllib.request import urlopen

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from search_web import create_app
from search_web.openapi import document

PARAMS = ("q", "outlet", "region", "from", "to", "sort", "page", "per_page", "collapse")
DOC = document()


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                            "components": DOC["components"]})


RESULT, ERROR = validator("SearchResult"), validator("Error")

# Plausible values mixed with anything: text with no surrogates (a query string is UTF-8), numbers written
# every way, dates near and far, the sorts and near misses.
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_values = {
    "q": st.one_of(_text, st.sampled_from(["banjir", "walikota siantar", '"pemko medan" -johor', "dinkes OR x",
                                           "title:spbe", "-banjir", "OR", '"', "x" * 301, "  ", "*", "a:b:c"])),
    "outlet": st.one_of(_text, st.sampled_from(["waspada", "sumutpos,waspada", ",", "WASPADA"])),
    "region": st.one_of(_text, st.sampled_from(["Kota Medan", "kota binjai", "Kota Medan,Kota Binjai"])),
    "from": st.one_of(_text, st.dates().map(str), st.sampled_from(["9999-12-31", "1900-01-01", "2025-02-30"])),
    "to": st.one_of(_text, st.dates().map(str), st.sampled_from(["9999-12-31", "2200-12-31", "0001-01-01"])),
    "sort": st.one_of(_text, st.sampled_from(["relevance", "newest", "oldest", "Newest", ""])),
    "page": st.one_of(_text, st.integers(-5, 200_000).map(str), st.sampled_from(["1e3", "٣", "0x10", "9" * 40])),
    "per_page": st.one_of(_text, st.integers(-5, 100).map(str), st.sampled_from(["50", "51", " 5 "])),
    "collapse": st.one_of(_text, st.sampled_from(["true", "false", "0", "1", "ya", "tidak", "True", ""])),
}
# Each parameter absent, once, or repeated.
_query = st.fixed_dictionaries({}, optional={name: st.lists(values, min_size=1, max_size=3)
                                             for name, values in _values.items()})


@pytest.fixture(scope="module")
def client(search_data):
    return create_app(search_data.data, search_data.seeds).test_client()


def check_api(response) -> None:
    assert response.status_code != 500 and response.status_code in (200, 400), response.data[:300]
    assert response.mimetype == "application/json"
    body = json.loads(response.data)
    if response.status_code == 200:
        RESULT.validate(body)
    else:
        ERROR.validate(body)
        assert body["status"] == response.status_code and body["message"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(query=_query)
def test_any_search_parameters_get_a_documented_answer(client, query):
    response = client.get("/api/search", query_string=[(k, v) for k, vs in query.items() for v in vs])
    check_api(response)
    for path in ("/", "/search.atom"):  # the page and the feed read the same parameters
        page = client.get(path, query_string=[(k, v) for k, vs in query.items() for v in vs])
        assert page.status_code in (200, 400), (path, page.status_code, page.data[:300])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(raw=st.lists(st.tuples(st.sampled_from(PARAMS), st.binary(max_size=20)), max_size=6))
def test_bytes_that_are_not_utf8_are_answered_too(client, raw):
    query = "&".join(f"{name}={quote_from_bytes(value)}" for name, value in raw)
    check_api(client.get(f"/api/search?{query}"))


# schemathesis against the real server: every documented operation, bounded per operation. The schema is the
# document the server serves (checked first); it is loaded here, at collection, so the cases are generated
# from it and sent to `warta serve`.
schema = schemathesis.openapi.from_dict(DOC)


def test_the_server_serves_this_document(web):
    with urlopen(f"{web}/api/openapi.json", timeout=30) as response:
        assert json.load(response) == json.loads(json.dumps(DOC))


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_served_api_keeps_to_its_document(case, web):
    case.call_and_validate(base_url=web, checks=[not_a_server_error, status_code_conformance,
                                                 content_type_conformance, response_schema_conformance,
                                                 response_headers_conformance], timeout=30)


def test_a_long_url_gets_the_documented_json_answer(web):
    """Many filters make a long URL: past gunicorn's default 4,094-byte request line it answered with an HTML
    page of its own (found by the schemathesis test above); the API answers it as any other request."""
    url = f"{web}/api/search?q=pemerintah" + "".join(f"&outlet=outlet-{i}" for i in range(600))
    assert len(url) > 9000
    with urlopen(url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("application/json")
        assert RESULT.is_valid(json.load(response))
