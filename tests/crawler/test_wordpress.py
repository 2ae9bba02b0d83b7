"""warta against real WordPress: Debian's `wordpress` package with its bundled default theme, on MariaDB,
started on loopback by the test (tests/crawler/wordpress), crawled by `warta crawl`: its own wp-sitemap.xml,
feed and archive pagination, shortlinks it redirects, 404s, its comment and navigation markup."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from store import Store
from tests.conftest import warta
from tests.crawler.wordpress import WordPress

pytestmark = pytest.mark.slow

PLACES = ["Binjai Timur", "Binjai Utara", "Binjai Selatan", "Binjai Barat", "Binjai Kota"]
TOPICS = ["perbaikan jalan lingkungan", "posyandu keliling", "pasar murah", "vaksinasi anak", "bedah rumah",
          "pelatihan UMKM", "penanaman pohon", "pembersihan parit", "seleksi perangkat desa", "festival budaya",
          "pemeriksaan kesehatan gratis", "sosialisasi pajak daerah", "lomba kebersihan", "rapat paripurna"]


def post(n: int) -> dict:
    topic, place = TOPICS[n % len(TOPICS)], PLACES[n % len(PLACES)]
    return {
        "title": f"Pemko Binjai Gelar {topic.title()} di {place} Tahap {n}",
        "date": f"2025-08-{n + 1:02d} 09:{n:02d}:00",
        "paragraphs": [
            f"Pemerintah Kota Binjai menggelar kegiatan {topic} di Kecamatan {place} pada tahap ke-{n}, yang "
            "dibuka langsung oleh wali kota bersama pimpinan organisasi perangkat daerah dan para camat.",
            f"Kepala dinas terkait mengatakan kegiatan {topic} ini menjangkau ratusan warga dan akan dilanjutkan "
            "ke kelurahan lain sesuai jadwal yang telah disusun bersama aparatur kecamatan setempat.",
            "Wali kota meminta seluruh jajaran memastikan pelayanan publik berjalan tertib, cepat dan terbuka, "
            "serta menindaklanjuti setiap keluhan masyarakat yang disampaikan melalui kanal pengaduan resmi.",
        ],
        "category": "Pemerintahan", "tags": ["binjai", topic.split()[0]],
        "comment": f"Komentar pembaca nomor {n}: semoga kegiatan ini terus berlanjut, terima kasih pak wali.",
    }


POSTS = [post(n) for n in range(1, 12)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("wordpress")
    with WordPress(root, POSTS) as wp:
        seeds = root / "outlet.toml"
        seeds.write_text(f'[[outlet]]\nid = "wpbinjai"\nname = "Kabar Binjai"\nurl = "{wp.url}/"\n'
                         'platform = "wordpress"\nregions = ["Kota Binjai"]\ndelay = 0\n'
                         'archives = ["/indeks-berita/"]\n', encoding="utf-8")
        data = root / "data"
        data.mkdir()
        done = warta("--seeds", str(seeds), "crawl", data=data)
        assert done.returncode == 0, done.stdout + done.stderr
        yield wp, seeds, data


def articles(data) -> dict:
    with Store(data / "warta.sqlite3") as store:
        return {a.url: a for a in store.articles()}


def test_every_post_is_stored_once_under_its_permalink_with_its_title_and_date(site):
    wp, _, data = site
    stored = articles(data)
    assert sorted(stored) == sorted(p.url for p in wp.published)
    for p, source in zip(wp.published, POSTS, strict=True):
        a = stored[p.url]
        assert a.title == source["title"]
        assert a.published == datetime.fromisoformat(p.date)


def test_bodies_hold_the_post_and_none_of_the_themes_furniture(site):
    wp, _, data = site
    stored = articles(data)
    for p, source in zip(wp.published, POSTS, strict=True):
        text = stored[p.url].text
        assert all(par in text for par in source["paragraphs"])
        assert source["comment"] not in text and "Komentar pembaca" not in text
        for furniture in ("Leave a Reply", "Tinggalkan Balasan", "Proudly powered by", "WordPress", "Kabar Binjai"):
            assert furniture not in text, (furniture, p.url)
        assert not any(o["title"] in text for o in POSTS if o is not source)  # next/previous post links


def test_discovery_reads_the_real_sitemaps_feed_pagination_and_redirects(site):
    wp, _, data = site
    answered = wp.requests()
    paths = {path for _, path in answered}
    assert {"/robots.txt", "/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml", "/feed/", "/page/2/",
            "/indeks-berita/"} <= paths
    assert not [(s, p) for s, p in answered if s >= 500]
    shortlinks = [(s, p) for s, p in answered if p.startswith("/?p=")]
    assert shortlinks and all(s == 301 for s, _ in shortlinks)  # WordPress redirects them to the permalink
    with Store(data / "warta.sqlite3") as store:
        [run] = store.runs("wpbinjai")
        aliases = store.known_urls("wpbinjai") - set(articles(data))
    assert run.result == "ok" and run.errors == 0 and run.new == len(POSTS)
    assert any("?p=" in a for a in aliases)  # the shortlinks are remembered, not fetched again
    article_fetches = [p for _, p in answered if p.startswith("/2025/")]
    assert len(article_fetches) == len(set(article_fetches)) == len(POSTS)  # each article page fetched once


def test_a_recrawl_fetches_only_what_was_published_since(site):
    wp, seeds, data = site
    before = len(wp.requests())
    new = wp.publish([post(n) for n in (20, 21)])
    done = warta("--seeds", str(seeds), "crawl", data=data)
    assert done.returncode == 0, done.stdout + done.stderr
    fetched = [p for _, p in wp.requests()[before:] if p.startswith("/2025/")]
    assert sorted(fetched) == sorted(p.url.removeprefix(wp.url) for p in new)
    stored = articles(data)
    assert all(p.url in stored for p in new) and len(stored) == len(POSTS) + 2


def test_status_and_search_see_the_wordpress_outlet(site):
    wp, seeds, data = site
    status = warta("--seeds", str(seeds), "status", "--json", data=data, timeout=60)
    [outlet] = json.loads(status.stdout)["outlets"]
    assert outlet["health"] == "ok" and outlet["source_alert"] is None
    assert warta("--seeds", str(seeds), "index", data=data).returncode == 0
    found = warta("--seeds", str(seeds), "search", "posyandu keliling", "--json", data=data, timeout=60)
    hits = json.loads(found.stdout)["hits"]
    assert hits and "Posyandu Keliling" in hits[0]["title"]
