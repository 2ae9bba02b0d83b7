"""The home page (no query) and the empty-result page, over HTTP from `warta serve`: what a first visit shows."""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import date, timedelta
from urllib.parse import urlencode

from store import Store
from tests.conftest import fetch, warta_server
from tests.search_web.test_pages import XSS_TITLE

NO_INDEX = "Indeks pencarian belum dibuat"


def page(base: str, path: str = "/", **params) -> str:
    found = fetch(f"{base}{path}" + (f"?{urlencode(params, doseq=True)}" if params else ""))
    assert found.status == 200, found.text[:500]
    return found.text


def section(html: str, css_class: str) -> str:
    """The element with that class, up to its closing tag (the sections in question do not nest their kind)."""
    start = re.search(rf'<(\w+) class="[^"]*\b{css_class}\b[^"]*"', html)
    assert start, f"no .{css_class} on the page"
    end = html.index(f"</{start.group(1)}>", start.end())
    return html[start.start():end]


def example_links(html: str) -> list[tuple[str, int]]:
    """(href, the count shown beside it) of each example search offered."""
    examples = section(html, "examples")
    return [(htmllib.unescape(href), int(count))
            for href, count in re.findall(r'<a href="([^"]+)">[^<]*</a> <span class="count">(\d+)</span>', examples)]


def total(html: str) -> int:
    return int(re.search(r'id="summary">([\d.]+)', html).group(1).replace(".", ""))


def test_home_lists_the_newest_stories_with_outlet_and_date(web):
    html = page(web)
    newest = section(html, "newest")
    dates = re.findall(r'<time datetime="([^"]+)"', newest)
    assert newest.count('class="hit"') == 10 and len(dates) >= 10
    assert dates[:10] == sorted(dates[:10], reverse=True)
    assert newest.count('class="outlet"') >= 10 and 'class="copy" href="/artikel/' in newest
    assert total(newest) > 10
    assert "Berita terbaru" in html and 'name="q"' in html


def test_home_lists_every_outlet_with_its_freshness(web):
    outlets = section(page(web), "outlets")
    rows = re.findall(r'<li id="outlet-([\w-]+)"', outlets)
    assert len(rows) == 9
    for outlet in rows:
        row = outlets[outlets.index(f'id="outlet-{outlet}"'):].split("</li>", 1)[0]
        assert f'href="/?outlet={outlet}"' in row
        articles = int(re.search(r'class="count"[^>]*>(\d+)<', row).group(1))
        assert articles > 0
        assert re.search(r'class="newest" datetime="\d{4}-', row)  # the newest article's date
        assert re.search(r'class="crawled" datetime="\d{4}-[^"]+">(baru saja|\d+ (menit|jam|hari) lalu)<', row)
    assert 'href="/status"' in outlets


def test_an_outlet_link_lists_that_outlets_newest(web):
    newest = section(page(web, outlet="tri3news"), "newest")
    assert set(re.findall(r'class="outlet">([^<]+)<', newest)) == {"Tri3News"}
    assert "Hanya:" in newest and "hapus filter" in newest


def test_crawled_markup_on_the_home_page_is_text(web):
    found = json.loads(fetch(f"{web}/api/search?q=hoaks&collapse=false").body)
    (hoaks,) = [h for h in found["hits"] if h["title"] == XSS_TITLE]
    day = date.fromisoformat(hoaks["published"][:10])
    around = {"from": str(day - timedelta(days=1)), "to": str(day + timedelta(days=1))}
    html = page(web, outlet=hoaks["outlet"], **around)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Diskominfo Ingatkan Hoaks &lt;script&gt;alert(" in section(html, "newest")


def test_every_example_search_on_the_home_page_finds_what_it_says(web):
    examples = example_links(page(web))
    assert len(examples) >= 3
    for href, count in examples:
        found = fetch(web + href).text
        assert found.count('class="hit"') >= 1, href
        assert total(found) == count, href


def test_a_search_that_finds_nothing_offers_examples_that_find_something(web):
    for params in ({"q": "zzxqv"}, {"q": "banjir", "outlet": "tidak-ada"}):
        html = page(web, **params)
        assert "Tidak ada artikel" in html
        examples = example_links(section(html, "empty"))
        assert examples
        for href, _ in examples:
            assert fetch(web + href).text.count('class="hit"') >= 1, href


def test_results_with_hits_offer_no_examples(web):
    assert 'class="examples"' not in page(web, q="kota")


def test_without_an_index_or_crawl_the_home_page_says_so_in_bahasa(tmp_path, search_data):
    with warta_server(tmp_path, search_data.seeds) as base:
        html = page(base)
        assert NO_INDEX in section(html, "newest") and 'class="examples"' not in html
        outlets = section(html, "outlets")
        assert len(re.findall(r'<li id="outlet-', outlets)) == 9 and ">belum pernah<" in outlets
        with Store(tmp_path / "warta.sqlite3"):  # a store, but no crawl run in it
            pass
        html = page(base)
        assert NO_INDEX in html and len(re.findall(r'<li id="outlet-', html)) == 9
        assert "terlambat" not in html  # never crawled is not late


def test_a_store_without_crawl_runs_beside_an_index(tmp_path, search_data):
    import shutil

    shutil.copytree(search_data.index, tmp_path / "index")
    with Store(tmp_path / "warta.sqlite3"):
        pass
    with warta_server(tmp_path, search_data.seeds) as base:
        html = page(base)
        assert section(html, "newest").count('class="hit"') == 10
        outlets = section(html, "outlets")
        assert len(re.findall(r'<li id="outlet-', outlets)) == 9 and ">belum pernah<" in outlets
        assert all(int(n) > 0 for n in re.findall(r'class="count"[^>]*>(\d+)<', outlets))


def test_contradictory_filters_on_the_home_page_are_explained(web):
    bad = fetch(f"{web}/?from=2025-02-01&to=2025-01-01")
    assert bad.status == 400 and "Tanggal “Dari” jatuh sesudah tanggal “Sampai”" in bad.text
