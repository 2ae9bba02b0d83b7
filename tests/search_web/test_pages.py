"""The HTML pages and the Atom feed, over HTTP from `warta serve`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

from tests.conftest import fetch

XSS_TITLE = "Diskominfo Ingatkan Hoaks <script>alert('x')</script> dan <img src=x onerror=alert(1)> di Grup Warga"


def page(base: str, path: str = "/", **params):
    return fetch(f"{base}{path}" + (f"?{urlencode(params, doseq=True)}" if params else ""))


def test_home_page_is_a_search_box(web):
    home = page(web)
    assert home.status == 200 and 'name="q"' in home.text and 'lang="id"' in home.text
    assert 'name="viewport"' in home.text


def test_results_page_shows_hits_facets_dates_and_time_taken(web):
    result = page(web, q="walikota siantar")
    assert result.status == 200
    html = result.text
    assert html.count('class="hit"') >= 2
    assert "<mark>Wali Kota</mark> <mark>Pematangsiantar</mark>" in html
    assert "Sabtu, 20 Mei 2023" in html  # the Dinkes article, 2023-05-20
    assert re.search(r"\(\d+,\d\d detik\)", html)
    assert 'class="facet facet-outlet"' in html and "Sumut Pos" in html
    assert 'rel="alternate" type="application/json"' in html


def test_every_state_lives_in_the_url(web):
    html = page(web, q="kota", region="Provinsi Sumatera Utara", sort="newest", per_page=2).text
    assert 'name="region" value="Provinsi Sumatera Utara"' in html  # kept when a new query is typed
    assert '<option value="newest" selected>' in html
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "region=Provinsi+Sumatera+Utara" in nxt and "sort=newest" in nxt and "page=2" in nxt
    second = fetch(web + nxt)
    assert second.status == 200 and 'aria-current="page">2<' in second.text


def test_suggestion_links_to_the_corrected_search(web):
    html = page(web, q="pelayann").text
    assert "Apakah maksud Anda" in html and "Tidak ada artikel" in html
    assert 'href="/?q=pelayanan"' in html


def test_near_matches_are_listed_apart_from_the_count(web):
    html = page(web, q="kolam puskesmas").text
    assert "Tidak ada artikel" in html and 'id="partial-heading"' in html
    assert "Retensi untuk Atasi Genangan" in html.split('id="partial-heading"')[1]


def test_article_copy_page_and_its_json_twin(web):
    html = page(web, q="kolam retensi").text
    link = re.search(r'class="copy" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    article = fetch(web + link)
    assert article.status == 200
    assert "<h1>Pemko Medan Bangun Kolam Retensi untuk Atasi Genangan</h1>" in article.text
    assert "Senin, 2 Juni 2025 09:05 WIB" in article.text and "Rina Siregar" in article.text
    assert "/api/articles/" in article.text
    assert fetch(web + "/artikel/0000000000000000").status == 404


def test_crawled_markup_is_shown_as_text_everywhere(web):
    results = page(web, q="hoaks diskominfo").text
    copy_link = re.search(r'class="copy" href="([^"]+)"', results).group(1).replace("&amp;", "&")
    for html in (results, fetch(web + copy_link).text):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


def test_bad_input_gets_a_clear_page_not_a_traceback(web):
    for params in ({"q": "banjir", "page": "abc"}, {"q": "banjir", "from": "kemarin"}, {"q": "x" * 400}):
        bad = page(web, **params)
        assert bad.status == 400 and "Pencarian tidak bisa dijalankan" in bad.text
        assert "Traceback" not in bad.text
    assert fetch(web + "/tidak/ada").status == 404
    assert page(web, q='"unclosed ((').status == 200


def test_atom_feed_follows_a_topic_newest_first(web):
    feed = fetch(f"{web}/search.atom?q={quote('kota')}")
    assert feed.status == 200 and feed.headers.get_content_type() == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(feed.body)
    published = [e.findtext("a:published", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(published) > 3 and published == sorted(published, reverse=True)
    hoaks = ET.fromstring(fetch(f"{web}/search.atom?q=hoaks").body)
    assert hoaks.find("a:entry/a:title", ns).text == XSS_TITLE  # escaped in XML, intact as text
    assert fetch(f"{web}/search.atom").status == 400
