"""Status that reads right: an outlet whose crawl ended well with a few bad pages (a 404 trap, one extraction
error) is shown as healthy with page errors, apart from an outlet whose crawl failed; the same in `warta status`
(text and JSON), /api/status and the /status page. A real store with real crawl runs, the real command and app."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from search_web import create_app
from search_web.openapi import document
from store import Store
from tests.conftest import warta

OUTLETS = {  # id -> what its crawls did
    "sehat": "a clean crawl",
    "jebakan": "a crawl that finished, with three pages in a 404 trap",
    "ekstrak": "a crawl that finished with one extraction error",
    "rusak": "a good crawl, then two failed ones",
    "henti": "a crawl with page errors, then one stopped by Ctrl-C",
    "lama": "a good crawl three days ago, nothing since",
    "baru": "never crawled",
}


def _record(store: Store, outlet: str, result: str, errors: int = 0, error: str = "", pages: int = 20) -> int:
    run = store.begin_run(outlet)
    run.result, run.errors, run.error, run.pages = result, errors, error, pages
    store.finish_run(run, {"warta/errors/http-404": errors} if errors else {})
    return run.id


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("status")
    seeds = root / "outlets.toml"
    seeds.write_text("".join(f'[[outlet]]\nid = "{o}"\nname = "{o.title()} News"\nurl = "https://{o}.co.id/"\n'
                             f'platform = "wordpress"\nregions = ["Kota Medan"]\nschedule = "30m"\n\n'
                             for o in OUTLETS), encoding="utf-8")
    with Store(root / "warta.sqlite3") as store:
        _record(store, "sehat", "ok")
        _record(store, "jebakan", "ok", 3, "https://jebakan.co.id/halaman/999/: http-404")
        _record(store, "ekstrak", "errors", 1, "1 extraction error(s); last: https://ekstrak.co.id/a/: extraction "
                "error in page, not extracted")
        _record(store, "rusak", "ok")
        for _ in range(2):
            _record(store, "rusak", "failed", 1, "https://rusak.co.id/sitemap.xml: http-500", pages=1)
        _record(store, "henti", "ok", 2, "https://henti.co.id/x/: timeout")
        _record(store, "henti", "interrupted", 0, "stopped before the crawl could record its end")
        old = _record(store, "lama", "ok")
    with sqlite3.connect(root / "warta.sqlite3") as db:
        long_ago = (datetime.now(UTC) - timedelta(days=3)).isoformat(timespec="seconds")
        db.execute("UPDATE crawl_runs SET started = ?, finished = ? WHERE id = ?", (long_ago, long_ago, old))
    return root, seeds


def test_status_json_tells_page_errors_from_failed_crawls(data):
    root, seeds = data
    done = warta("--seeds", str(seeds), "status", "--json", data=root)
    assert done.returncode == 0, done.stderr
    got = {o["id"]: o for o in json.loads(done.stdout)["outlets"]}
    assert {i: o["health"] for i, o in got.items()} == {
        "sehat": "ok", "jebakan": "page_errors", "ekstrak": "page_errors", "rusak": "failing", "henti": "page_errors",
        "lama": "overdue", "baru": "never"}
    # the 404 trap and the extraction error: a good crawl, on time, its error a page's
    for outlet, errors in (("jebakan", 3), ("ekstrak", 1)):
        o = got[outlet]
        assert o["page_errors"] == errors and o["last_error_kind"] == "page" and o["failures"] == 0
        assert o["last_success"] is not None and not o["overdue"], o
        assert o["last_run"]["errors"] == errors and o["last_error"]
    assert got["ekstrak"]["last_run"]["result"] == "errors"
    # a failed crawl is one, and says so
    rusak = got["rusak"]
    assert rusak["last_error_kind"] == "crawl" and rusak["failures"] == 2 and "http-500" in rusak["last_error"]
    # a stopped crawl is neither: the good crawl before it decides the health
    henti = got["henti"]
    assert henti["last_error_kind"] == "interrupted" and henti["page_errors"] == 2 and not henti["overdue"]
    assert got["sehat"]["last_error"] is None and got["sehat"]["last_error_kind"] is None
    assert got["baru"]["last_success"] is None and got["baru"]["overdue"]


def test_status_text_reads_ok_with_page_errors_and_failing_apart(data):
    root, seeds = data
    done = warta("--seeds", str(seeds), "status", data=root)
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[1:-1]}
    assert re.search(r"\bok, 3 page error\(s\)  last page error \(.+\): https://jebakan\.co\.id/halaman/999/: "
                     r"http-404$", lines["jebakan"]), lines["jebakan"]
    assert "ok, 1 page error(s)" in lines["ekstrak"] and "last page error" in lines["ekstrak"]
    assert "FAILING, 2 failed in a row  crawl failed (" in lines["rusak"]
    assert "crawl stopped (" in lines["henti"] and "FAILING" not in lines["henti"]
    assert lines["sehat"].rstrip().endswith("ok") and "OVERDUE" in lines["lama"]
    assert "no crawl finished yet" in lines["baru"]
    for healthy in ("sehat", "jebakan", "ekstrak", "henti"):
        assert "FAILING" not in lines[healthy] and "OVERDUE" not in lines[healthy] and "failed" not in lines[healthy]


def test_api_status_extends_its_shape_and_conforms(data):
    root, seeds = data
    body = create_app(root, seeds).test_client().get("/api/status").get_json()
    schema = document()
    jsonschema.validate(body, {"$ref": "#/components/schemas/Status", "components": schema["components"]},
                        cls=jsonschema.Draft202012Validator)
    got = {o["id"]: o for o in body["outlets"]}
    old_fields = {"id", "name", "schedule", "articles_stored", "articles_indexed", "newest_article", "last_success",
                  "last_run", "last_error", "last_error_at", "next_due", "failures", "crawling", "overdue"}
    assert all(old_fields <= set(o) for o in got.values())  # nothing renamed or dropped
    assert got["jebakan"]["health"] == "page_errors" and got["rusak"]["health"] == "failing"
    cli = json.loads(warta("--seeds", str(seeds), "status", "--json", data=root).stdout)["outlets"]
    assert [{k: o[k] for k in ("id", "health", "page_errors", "last_error_kind")} for o in cli] == [
        {k: o[k] for k in ("id", "health", "page_errors", "last_error_kind")} for o in body["outlets"]]


def test_status_page_shows_a_healthy_outlet_with_page_errors_apart_from_a_failed_one(data):
    root, seeds = data
    page = create_app(root, seeds).test_client().get("/status")
    assert page.status_code == 200
    html = page.get_data(as_text=True)

    def row(outlet: str) -> str:
        found = re.search(rf'<tr id="outlet-{outlet}"(.*?)</tr>', html, re.S)
        assert found, outlet
        return re.sub(r"\s+", " ", found.group(0))

    jebakan, ekstrak, rusak = row("jebakan"), row("ekstrak"), row("rusak")
    for healthy in (jebakan, ekstrak):
        assert 'data-health="page_errors"' in healthy and "overdue" not in healthy.split(">")[0]
        assert "baik" in healthy and "halaman gagal dibaca" in healthy and "Galat halaman" in healthy
        assert "GAGAL" not in healthy and "Perayapan gagal" not in healthy and "TERLAMBAT" not in healthy
    assert "3 halaman gagal dibaca" in jebakan and "http-404" in jebakan
    assert 'data-health="failing"' in rusak and "GAGAL, 2× berturut-turut" in rusak and "Perayapan gagal" in rusak
    assert "Perayapan dihentikan" in row("henti") and "TERLAMBAT" in row("lama")
    assert "belum ada perayapan yang selesai" in row("baru")
