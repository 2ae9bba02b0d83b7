"""Errors as code + values: English in the CLI and the JSON API (beside a stable `code`), Bahasa on the page."""

from __future__ import annotations

import json
import pickle
import re
import string
from urllib.parse import urlencode

import pytest

from indexer.query import QueryError
from indexer.search import SearchError
from search_web.messages import BAHASA, bahasa
from search_web.params import ParamError
from tests.conftest import fetch

# values every code's template might name
SAMPLE = {"name": "page", "value": "abc", "low": 1, "high": 10, "max": 50, "length": 301, "buckets": 1826,
          "interval": "day", "choices": "relevance, newest, oldest"}
ENGLISH = re.compile(r"\b(must|should|between|only|query|words?|is|not|after|the|results?)\b")


def all_codes() -> list[tuple[type, str]]:
    return [(cls, code) for cls in (QueryError, SearchError, ParamError) for code in cls.messages]


@pytest.mark.parametrize(("cls", "code"), all_codes())
def test_every_code_reads_in_both_languages(cls, code):
    assert code in BAHASA, f"{cls.__name__} {code!r} has no Bahasa sentence"
    fields = {f for _, f, _, _ in string.Formatter().parse(cls.messages[code]) if f}
    assert {f for _, f, _, _ in string.Formatter().parse(BAHASA[code]) if f} <= fields | {"label"}
    error = cls(code, **{k: v for k, v in SAMPLE.items() if k in fields})
    english, indonesian = str(error), bahasa(error)
    assert "{" not in english and "{" not in indonesian
    assert not ENGLISH.search(indonesian), indonesian
    assert pickle.loads(pickle.dumps(error)).params == error.params


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        ParamError("no-such-code")


def test_the_english_messages_did_not_change():
    assert str(ParamError("not_integer", name="page", value="abc")) == "'page' must be a whole number, not 'abc'"
    assert str(SearchError("sort_unknown", choices="a, b", value="c")) == "sort must be one of a, b, not 'c'"
    assert str(QueryError("query_too_long", length=301, max=300)) == \
        "query is too long (301 characters; at most 300)"


def test_parameter_names_become_the_forms_words():
    assert bahasa(ParamError("not_integer", name="page", value="abc")) == \
        "Nomor halaman (page) harus bilangan bulat, bukan “abc”."
    assert bahasa(ParamError("date_format", name="--from", value="x")).startswith("Parameter “--from” harus tanggal")


def message_on_the_page(base: str, **params) -> str:
    found = fetch(f"{base}/?{urlencode(params)}")
    assert found.status == 400, found.status
    return re.search(r'<p class="message">([^<]*)</p>', found.text).group(1)


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "x" * 301}, "Kata pencarian terlalu panjang: 301 karakter, paling banyak 300."),
    ({"q": "-banjir"}, "Pencarian hanya berisi kata yang dikecualikan"),
    ({"q": "---"}, "Kata pencarian tidak berisi kata yang bisa dicari."),
    ({"q": "banjir", "page": "abc"}, "Nomor halaman (page) harus bilangan bulat, bukan “abc”."),
    ({"q": "banjir", "page": "0"}, "Nomor halaman (page) harus antara 1 dan 10000."),
    ({"q": "banjir", "per_page": "500"}, "harus antara 1 dan 50"),
    ({"q": "banjir", "page": "200"}, "Hasil setelah 1000 yang pertama tidak ditampilkan"),
    ({"q": "banjir", "sort": "popular"}, "Urutan (sort) harus salah satu dari"),
    ({"q": "banjir", "from": "kemarin"}, "Tanggal “Dari” (from) harus tanggal berformat TTTT-BB-HH"),
    ({"q": "banjir", "to": "2201-01-01"}, "antara tahun 1900 dan 2200"),
    ({"q": "banjir", "from": "2025-02-01", "to": "2025-01-01"}, "Tanggal “Dari” jatuh sesudah tanggal “Sampai”."),
    ({"q": "banjir", "collapse": "mungkin"}, "harus true atau false"),
])
def test_the_page_explains_bad_input_in_bahasa(web, params, expected):
    message = message_on_the_page(web, **params).replace("&#34;", '"')
    assert expected in message and not ENGLISH.search(message), message


def test_what_a_user_typed_is_escaped_in_the_message(web):
    message = message_on_the_page(web, q="banjir", page="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in message


def test_the_feed_says_it_in_bahasa_too(web):
    found = fetch(f"{web}/search.atom")
    assert found.status == 400 and "Kata pencarian wajib diisi" in found.text


@pytest.mark.parametrize(("params", "code", "values"), [
    ({}, "query_required", {"name": "q"}),
    ({"q": "x" * 301}, "query_too_long", {"length": 301, "max": 300}),
    ({"q": "-banjir"}, "query_only_excludes", {}),
    ({"q": "banjir", "page": "abc"}, "not_integer", {"name": "page", "value": "abc"}),
    ({"q": "banjir", "per_page": "500"}, "int_range", {"name": "per_page", "low": 1, "high": 50}),
    ({"q": "banjir", "page": "200"}, "too_deep", {"max": 1000}),
    ({"q": "banjir", "from": "kemarin"}, "date_format", {"name": "from", "value": "kemarin"}),
    ({"q": "banjir", "from": "2025-02-01", "to": "2025-01-01"}, "dates_reversed", {}),
])
def test_the_api_gives_a_stable_code_beside_the_english_message(web, params, code, values):
    found = fetch(f"{web}/api/search?{urlencode(params)}")
    body = json.loads(found.body)
    assert found.status == 400 and body["error"] == "Bad Request"
    assert body["code"] == code and values.items() <= body["params"].items()
    assert not re.search(r"[“”]|harus", body["message"])  # English, as before


def test_other_api_errors_have_codes_too(web):
    assert json.loads(fetch(f"{web}/api/nothing").body)["code"] == "no_endpoint"
    assert json.loads(fetch(f"{web}/api/articles/0000000000000000").body)["code"] == "article_not_found"
    assert json.loads(fetch(f"{web}/api/search?q=banjir", method="POST").body)["code"] == "method_not_allowed"
