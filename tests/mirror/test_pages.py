"""The mirror over real HTTP: each page kind is what a browser would get from the real theme."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from lxml import html as lxml_html

from tests.conftest import fetch

THEME_MARKERS = {
    "mimbarumum": ["td-post-content", "td-a-rec", "- Advertisement -", "spot_img", "Tinggalkan Balasan",
                   "Reporter: "],
    "sumutpos": ["td-post-content", "td-weather-top-widget", "- Advertisement -"],
    "waspada": ["jeg_post_content", "Discussion about this post"],
    "tri3news": ["entry-content", "Tinggalkan Balasan", "Berita Terkait", "calendar_month"],
    "siantarblog": ["post-body", "Header Ads", "LIHAT JUGA", "Tidak ada komentar", "Diberdayakan oleh"],
    "binjaikota": ["isi-berita", "Berita Terbaru"],
}


def tree_of(page):
    return lxml_html.fromstring(page.text)  # decoded by the charset the server declares, as a browser does


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("site_id", list(THEME_MARKERS))
def test_article_page_carries_truth_and_theme_boilerplate(mirror, site_id):
    article = mirror.sites[site_id].articles()[-1]
    url = mirror.url(site_id, article.path)
    page = fetch(url)
    assert page.status == 200
    assert page.headers.get_content_type() == "text/html"
    tree = tree_of(page)
    assert tree.xpath('//link[@rel="canonical"]/@href') == [url]
    page_text = " ".join(tree.text_content().split())
    for paragraph in article.paragraphs:
        assert " ".join(paragraph.split()) in page_text
    assert article.title in page_text
    for marker in THEME_MARKERS[site_id]:
        assert marker in page.text, marker


@pytest.mark.parametrize("site_id", ["mimbarumum", "waspada", "tri3news"])
def test_wordpress_metadata_matches_truth(mirror, site_id):
    article = mirror.sites[site_id].articles()[-2]
    tree = tree_of(fetch(mirror.url(site_id, article.path)))
    assert tree.xpath('//meta[@property="article:published_time"]/@content') == [article.published.isoformat()]
    assert tree.xpath('//meta[@property="og:type"]/@content') == ["article"]
    graphs = [json.loads(s) for s in tree.xpath('//script[@type="application/ld+json"]/text()')]
    nodes = [n for g in graphs for n in (g.get("@graph", [g]))]
    news = [n for n in nodes if n.get("@type") in ("NewsArticle", "Article", "BlogPosting")]
    assert news and news[0]["headline"] == article.title
    assert news[0]["datePublished"] == article.published.isoformat()
    assert tree.xpath('//link[@rel="amphtml"]/@href')


def test_blogger_metadata_and_mobile_variant(mirror):
    article = mirror.sites["siantarblog"].articles()[-1]
    url = mirror.url("siantarblog", article.path)
    desktop, mobile = fetch(url), fetch(url + "?m=1")
    assert mobile.status == 200
    assert tree_of(mobile).xpath('//link[@rel="canonical"]/@href') == [url]
    assert article.published.isoformat() in desktop.text or article.published.isoformat(
        timespec="milliseconds") in desktop.text


def test_tracking_and_amp_variants_point_to_one_canonical(mirror):
    site = mirror.sites["waspada"]
    article = site.articles()[-1]
    url = mirror.url("waspada", article.path)
    for variant in (url + "?utm_source=rss&utm_medium=rss", url + "?fbclid=IwAR2F4", url + "amp/"):
        page = fetch(variant)
        assert page.status == 200
        assert tree_of(page).xpath('//link[@rel="canonical"]/@href') == [url], variant
    assert "<html amp" in fetch(url + "amp/").text


def test_windows_1252_portal(mirror):
    site = mirror.sites["siantarkota"]
    page = fetch(mirror.url("siantarkota", site.articles()[-1].path))
    assert page.headers.get_content_charset() == "windows-1252"
    assert b'charset="windows-1252"' in page.body or b"charset=windows-1252" in page.body
    page.body.decode("cp1252")  # decodes cleanly
    with pytest.raises(UnicodeDecodeError):
        # any curly quote or dash in real Indonesian text is a single cp1252 byte, invalid as UTF-8
        (page.body + "“".encode("cp1252")).decode("utf-8")


def test_robots_txt_per_platform(mirror):
    wp = fetch(mirror.url("tri3news", "/robots.txt")).text
    assert "Disallow: /wp-admin/" in wp and "Disallow: /arsip-internal/" in wp
    assert f"Sitemap: {mirror.url('tri3news', '/wp-sitemap.xml')}" in wp
    blogger = fetch(mirror.url("siantarblog", "/robots.txt")).text
    assert "User-agent: Mediapartners-Google" in blogger and "Disallow: /search" in blogger
    medan = fetch(mirror.url("pemkomedan", "/robots.txt")).text
    assert "Sitemap:" in medan and "Disallow: /berita/draft/" in medan
    assert "Sitemap:" not in fetch(mirror.url("binjaikota", "/robots.txt")).text


def _sitemap_locs(mirror, site_id, path, seen=None):
    from crawler.discovery import parse_sitemap

    page = fetch(mirror.url(site_id, path))
    assert page.status == 200, path
    listing = parse_sitemap(page.body)
    locs = [e.url for e in listing.entries]
    for child in listing.children:
        locs += _sitemap_locs(mirror, site_id, child.url.split(mirror.url(site_id, ""), 1)[1])
    return locs


@pytest.mark.parametrize("site_id, path", [("mimbarumum", "/sitemap_index.xml"), ("tri3news", "/wp-sitemap.xml"),
                                           ("siantarblog", "/sitemap.xml"), ("pemkomedan", "/sitemap.xml.gz")])
def test_sitemaps_list_every_article(mirror, site_id, path):
    locs = set(_sitemap_locs(mirror, site_id, path))
    for article in mirror.sites[site_id].articles():
        assert mirror.url(site_id, article.path) in locs


def test_yoast_index_has_several_post_sitemaps_and_news_sitemap(mirror):
    index = fetch(mirror.url("sumutpos", "/sitemap_index.xml")).text
    assert "post-sitemap.xml" in index and "post-sitemap2.xml" in index and "main-sitemap.xsl" in index
    news = fetch(mirror.url("sumutpos", "/news-sitemap.xml"))
    assert b"<news:publication_date>" in news.body and news.headers["Content-Type"].startswith("application/xml")
    assert fetch(mirror.url("sumutpos", "/sitemap.xml")).status == 301


def test_gzip_sitemap_is_gzip(mirror):
    page = fetch(mirror.url("pemkomedan", "/sitemap.xml.gz"))
    assert page.body[:2] == b"\x1f\x8b" and b"<urlset" in gzip.decompress(page.body)


def test_feeds(mirror):
    from crawler.discovery import parse_feed

    rss = fetch(mirror.url("waspada", "/feed/"))
    assert rss.headers["Content-Type"].startswith("application/rss+xml")
    items = parse_feed(rss.body, mirror.url("waspada", "/feed/")).entries
    assert len(items) == 10 and all("utm_source=rss" in e.url for e in items)
    assert fetch(mirror.url("waspada", "/feed/?paged=2")).status == 200
    # Blogger: page through the whole blog with start-index
    site = mirror.sites["siantarblog"]
    url, seen = mirror.url("siantarblog", "/feeds/posts/default?start-index=1&max-results=5"), []
    while url:
        listing = parse_feed(fetch(url).body, url)
        seen += [e.url for e in listing.entries]
        url = listing.next_url
    assert seen == [mirror.url("siantarblog", a.path) for a in site.articles()[::-1]]


def test_goid_news_list_pages(mirror):
    site = mirror.sites["binjaikota"]
    seen, page = [], 1
    while True:
        listing = fetch(mirror.url("binjaikota", f"/berita?page={page}"))
        assert listing.status == 200
        links = tree_of(listing).xpath("//div[contains(@class, 'list-berita')]//h5/a/@href")
        if not links:
            assert "Tidak ada berita." in listing.text
            break
        seen += links
        page += 1
    assert page > 2
    assert {mirror.url("binjaikota", a.path) for a in site.articles()} <= set(seen)


def test_non_article_pages_are_listings(mirror):
    article = mirror.sites["mimbarumum"].articles()[-1]
    for path in (f"/category/{article.category.lower()}/", "/author/burhan-s/", "/?s=binjai", "/page/2/"):
        page = fetch(mirror.url("mimbarumum", path))
        assert page.status == 200, path
        assert tree_of(page).xpath("//body/@class")[0].split()[0] in ("archive", "search", "home", "blog", "paged",
                                                                      "category", "author")


def test_ugly_web(mirror):
    traps = {site_id: site.trap_paths() for site_id, site in mirror.sites.items()}
    assert fetch(mirror.url("tri3news", traps["tri3news"]["dead"])).status == 404
    assert fetch(mirror.url("mimbarumum", traps["mimbarumum"]["error"])).status == 500
    loop = fetch(mirror.url("mimbarumum", traps["mimbarumum"]["loop"]))
    assert loop.status == 301
    back = fetch(loop.headers["Location"])
    assert back.status == 301 and back.headers["Location"] == mirror.url("mimbarumum", traps["mimbarumum"]["loop"])
    # a redirect chain of two hops ends at the article
    hop = fetch(mirror.url("tri3news", traps["tri3news"]["chain"]))
    hops = 0
    while hop.status in (301, 302):
        hop, hops = fetch(hop.headers["Location"]), hops + 1
    assert hops == 2 and hop.status == 200
    pdf = fetch(mirror.url("binjaikota", traps["binjaikota"]["pdf"]))
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.body.startswith(b"%PDF")
    huge = fetch(mirror.url("sumutpos", traps["sumutpos"]["huge"]), method="HEAD")
    assert int(huge.headers["Content-Length"]) > 8 * 1024 * 1024


def test_slow_and_flaky(mirror):
    traps = mirror.sites["sumutpos"].trap_paths()
    start = time.monotonic()
    assert fetch(mirror.url("sumutpos", traps["slow"])).status == 200
    assert time.monotonic() - start >= mirror.config.slow_seconds
    first, second = fetch(mirror.url("sumutpos", traps["flaky"])), fetch(mirror.url("sumutpos", traps["flaky"]))
    assert (first.status, first.headers["Retry-After"], second.status) == (503, "1", 200)


def test_gzip_encoding_and_head(mirror):
    path = mirror.sites["tri3news"].articles()[0].path
    page = fetch(mirror.url("tri3news", path), headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and b"entry-content" in gzip.decompress(page.body)
    head = fetch(mirror.url("tri3news", path), method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["Content-Length"]) > 1000


def test_404_page_is_themed(mirror):
    page = fetch(mirror.url("siantarblog", "/2020/01/tidak-ada.html"))
    assert page.status == 404 and "Blogger" in page.text


def test_endless_pagination_trap(mirror):
    from crawler.discovery import parse_archive, parse_feed

    site = mirror.sites["sumutpos"]
    last = -(-len(site.articles()) // site.spec.page_size)
    past = fetch(mirror.url("sumutpos", f"/page/{last + 5}/"))
    assert past.status == 200
    listing = parse_archive(past.text, mirror.url("sumutpos", f"/page/{last + 5}/"))
    assert listing.next_url == mirror.url("sumutpos", f"/page/{last + 6}/")
    assert {e.url for e in listing.entries} >= {e.url for e in parse_archive(
        fetch(mirror.url("sumutpos", f"/page/{last}/")).text, mirror.url("sumutpos", "/")).entries
        if "/page/" not in e.url}
    feed_last = -(-len(site.articles()) // site.spec.feed_size)
    a, b = (fetch(mirror.url("sumutpos", f"/feed/?paged={n}")) for n in (feed_last, feed_last + 3))
    assert b.status == 200 and a.body == b.body
    assert parse_feed(b.body, mirror.url("sumutpos", "/feed/")).entries
    assert fetch(mirror.url("waspada", "/page/99/")).status == 404  # the other sites end where they end
