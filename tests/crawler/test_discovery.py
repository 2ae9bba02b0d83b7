import gzip
from datetime import UTC, datetime

import pytest

from crawler.discovery import ListingError, parse_archive, parse_date, parse_feed, parse_sitemap

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
 <url><loc>https://x.id/a-b-c/</loc><lastmod>2025-08-25T10:12:00+07:00</lastmod></url>
 <url><loc>https://x.id/d-e-f/</loc></url>
</urlset>"""


def test_sitemap_urlset_plain_and_gzip():
    for body in (URLSET, gzip.compress(URLSET)):
        listing = parse_sitemap(body)
        assert [e.url for e in listing.entries] == ["https://x.id/a-b-c/", "https://x.id/d-e-f/"]
        assert listing.entries[0].date == datetime(2025, 8, 25, 3, 12, tzinfo=UTC)
        assert listing.children == []


def test_sitemap_index_lists_children():
    body = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<sitemap><loc>https://x.id/post-sitemap.xml</loc><lastmod>2025-01-02T00:00:00Z</lastmod></sitemap>"
            b"</sitemapindex>")
    listing = parse_sitemap(body)
    assert [c.url for c in listing.children] == ["https://x.id/post-sitemap.xml"] and not listing.entries


@pytest.mark.parametrize("body", [b"<html><body>Not found</body></html>", b"", b"\x1f\x8bnot gzip"])
def test_unreadable_sitemaps_raise(body):
    with pytest.raises(ListingError):
        parse_sitemap(body)


def test_rss_and_atom_feeds():
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>'
           b"<link>https://x.id/a-b-c/?utm_source=rss</link><pubDate>Mon, 25 Aug 2025 03:12:00 +0000</pubDate>"
           b"</item></channel></rss>")
    listing = parse_feed(rss, "https://x.id/feed/")
    assert listing.entries[0].url == "https://x.id/a-b-c/?utm_source=rss"
    assert listing.entries[0].date == datetime(2025, 8, 25, 3, 12, tzinfo=UTC)
    atom = (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            b"<link rel='next' href='https://b.blogspot.com/feeds/posts/default?start-index=26'/>"
            b"<entry><published>2022-04-14T15:05:00.000+07:00</published>"
            b"<link rel='replies' href='https://b.blogspot.com/2022/04/x.html#comment-form'/>"
            b"<link rel='alternate' href='https://b.blogspot.com/2022/04/x.html'/></entry></feed>")
    listing = parse_feed(atom, "https://b.blogspot.com/feeds/posts/default")
    assert listing.entries[0].url == "https://b.blogspot.com/2022/04/x.html"
    assert listing.next_url.endswith("start-index=26")


def test_archive_next_page_by_rel_label_or_page_number():
    page = '<html><body><a href="/a-b-c/">A</a><a class="next page-numbers" href="/page/2/">Next</a></body></html>'
    listing = parse_archive(page, "https://x.id/")
    assert listing.next_url == "https://x.id/page/2/" and listing.entries[0].url == "https://x.id/a-b-c/"
    goid = '<ul class="pagination"><li><a href="/berita?page=1">1</a></li><li><a href="/berita?page=3">3</a></li></ul>'
    assert parse_archive(goid, "https://x.go.id/berita?page=2").next_url == "https://x.go.id/berita?page=3"
    assert parse_archive("<p>no links</p>", "https://x.id/").next_url is None


def test_dates():
    assert parse_date("2025-08-25") == datetime(2025, 8, 25, tzinfo=UTC)
    assert parse_date("garbage") is None and parse_date(None) is None
