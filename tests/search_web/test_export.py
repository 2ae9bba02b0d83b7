"""/api/export over HTTP and `warta search --all`: every match, in the search's order, as a spreadsheet opens
it; crawled text cannot run as a formula."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from indexer.schema import IndexedArticle
from indexer.search import ExportRow
from search_web.export import FIELDS, csv_lines, safe_cell
from tests.conftest import fetch, warta
from tests.search_web.test_api import get

pytestmark = pytest.mark.slow


def export(web: str, **params) -> tuple[int, str, str]:
    from urllib.parse import urlencode
    page = fetch(f"{web}/api/export?{urlencode(params)}")
    return page.status, page.headers.get("Content-Type", ""), page.body.decode("utf-8")


def every_hit(web: str, **params) -> list[str]:
    """The ids a reader paging through /api/search sees, in order."""
    ids, page = [], 1
    while True:
        _, body = get(web, "/api/search", per_page=10, page=page, **params)
        ids += [h["id"] for h in body["hits"]]
        if page * 10 >= body["total"]:
            return ids
        page += 1


@pytest.mark.parametrize("params", [{"q": "pemerintah"}, {"q": "pemerintah", "collapse": "false"},
                                    {"q": "kota", "sort": "newest"}, {"q": "banjir OR pasar", "sort": "oldest"}])
def test_csv_holds_every_match_in_the_searchs_order(web, params):
    status, ctype, body = export(web, format="csv", **params)
    assert status == 200 and ctype.startswith("text/csv") and body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert tuple(rows[0]) == FIELDS
    assert [r["id"] for r in rows] == every_hit(web, **params)
    total = get(web, "/api/search", **params)[1]["total"]
    assert len(rows) == total > 0
    if params == {"q": "pemerintah"}:
        assert total > 10  # more than one page of the search: no page, no cap


def test_json_lines_carry_the_same_fields(web):
    status, ctype, body = export(web, q="walikota siantar", format="jsonl")
    assert status == 200 and ctype.startswith("application/x-ndjson")
    records = [json.loads(line) for line in body.splitlines()]
    assert records and all(tuple(r) == FIELDS for r in records)
    assert all(isinstance(r["regions"], list) and isinstance(r["copies"], int) for r in records)
    assert [r["id"] for r in records] == every_hit(web, q="walikota siantar")


def test_bad_export_parameters_are_a_clear_json_400(web):
    status, ctype, body = export(web, q="banjir", format="xlsx")
    assert status == 400 and ctype.startswith("application/json") and json.loads(body)["code"] == "not_one_of"
    status, _, body = export(web, q='"', format="csv")
    assert status == 400 and json.loads(body)["code"] == "query_no_words"


def test_a_cell_that_starts_like_a_formula_is_not_one():
    for hostile in ("=HYPERLINK(\"http://x\")", "+62 811", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(hostile) == "'" + hostile
    assert safe_cell("Pemkab Binjai") == "Pemkab Binjai"
    article = IndexedArticle(id="a1", url="https://x.id/a/", outlet="x", outlet_name="X",
                             title="=cmd|' /C calc'!A0", body="", author="", regions=("@Kota Binjai",),
                             published=datetime(2025, 8, 25), story="a1", actors=("-DPRD",))
    [header, line] = list(csv_lines([ExportRow(article, 0, "+isi")]))
    row = next(csv.reader(io.StringIO(line)))
    assert row[2] == "'=cmd|' /C calc'!A0" and row[5] == "'@Kota Binjai" and row[6] == "'-DPRD"
    assert row[9] == "'+isi" and row[8] == "0"


def test_the_command_line_exports_the_same_rows(web, search_data):
    done = warta("--seeds", str(search_data.seeds), "search", "pemerintah", "--all", "--format", "csv",
                 data=search_data.data, timeout=60)
    assert done.returncode == 0, done.stderr
    status, _, body = export(web, q="pemerintah", format="csv")
    assert done.stdout.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(done.stdout[1:]))) == list(csv.reader(io.StringIO(body[1:])))
    bad = warta("search", '"', "--all", data=search_data.data, timeout=60)
    assert bad.returncode == 2 and bad.stdout == ""


def test_an_export_snippet_is_a_window_at_the_first_query_word_or_the_lead():
    from indexer.search import lead_snippet
    body = "Pemerintah Kota Binjai menggelar apel pagi ini. " * 5 + "Warga mengeluhkan pelayanan puskesmas. " * 5
    window = lead_snippet(body, ("pelayanan",))
    assert window.startswith("… ") and "pelayanan" in window.split()[:6] and len(window.split()) <= 34
    assert lead_snippet(body, ("banjir",)).startswith("Pemerintah Kota Binjai menggelar")
    assert lead_snippet("Singkat saja.", ()) == "Singkat saja."
