import pytest

from crawler.urls import canonicalize, is_article_url, safe_canonical, same_site


@pytest.mark.parametrize("variant", [
    "https://Waspada.co.id:443/2025/01/tim-monitoring-pelayanan-publik/?utm_source=rss&utm_medium=rss",
    "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/?fbclid=IwAR2F4-dbP0l7Mn1#respond",
    "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/amp/",
    "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/?amp=1&gclid=abc",
])
def test_variants_fold_onto_one_url(variant):
    assert canonicalize(variant, "wordpress") == "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/"


def test_meaningful_parameters_survive_in_stable_order():
    assert canonicalize("https://x.go.id/berita?page=2&utm_campaign=a", "goid") == "https://x.go.id/berita?page=2"
    assert canonicalize("https://x.id/?s=pajak&p=12", "wordpress") == "https://x.id/?p=12&s=pajak"
    assert canonicalize("https://b.blogspot.com/2022/04/a.html?m=1", "blogger") \
        == "https://b.blogspot.com/2022/04/a.html"
    assert canonicalize("https://b.blogspot.com/2022/04/a.html?m=0#komentar", "blogger") \
        == "https://b.blogspot.com/2022/04/a.html"


@pytest.mark.parametrize("platform", ["goid", "generic"])
def test_parameters_that_select_content_never_fold(platform):
    berita = canonicalize("https://x.go.id/index.php?m=berita&id=5", platform)
    galeri = canonicalize("https://x.go.id/index.php?m=galeri&id=5", platform)
    assert berita != galeri
    assert berita == "https://x.go.id/index.php?id=5&m=berita"
    for url in ("https://x.go.id/baca.php?id=5&share=1", "https://x.go.id/baca.php?id=5&page=2",
                "https://x.go.id/baca.php?amp=1&id=5", "https://x.go.id/berita/amp/"):
        assert canonicalize(url, platform) == url
    # tracking parameters still go, on every platform
    assert canonicalize("https://x.go.id/index.php?m=berita&id=5&utm_source=wa&fbclid=x&gclid=y", platform) == berita


def test_view_variants_fold_only_on_their_platform():
    assert canonicalize("https://x.id/a-b-c/?m=1", "wordpress") == "https://x.id/a-b-c/?m=1"
    assert canonicalize("https://x.blogspot.com/2022/04/a.html?amp=1", "blogger").endswith("?amp=1")
    assert canonicalize("https://x.id/a-b-c/?share=facebook", "wordpress") == "https://x.id/a-b-c/?share=facebook"


def test_normalisation():
    assert canonicalize("HTTP://X.ID:80/a b/?b=2&a=1#top") == "http://x.id/a%20b/?a=1&b=2"
    assert canonicalize("https://x.id:8443/a") == "https://x.id:8443/a"
    assert canonicalize("https://x.id") == "https://x.id/"


def test_a_malformed_port_is_an_error_for_that_url_only():
    with pytest.raises(ValueError):
        canonicalize("https://x.id:80a/a-b-c/")
    assert safe_canonical("https://x.id:99999999/a-b-c/") is None
    assert safe_canonical("https://x.id/a-b-c/") == "https://x.id/a-b-c/"


@pytest.mark.parametrize("url, platform, expected", [
    ("https://x.id/2025/08/25/wali-kota-binjai-apresiasi-lurah/", "wordpress", True),
    ("https://x.id/kota-binjai-raih-peringkat-tertinggi/", "wordpress", True),
    ("https://x.id/?p=1234", "wordpress", True),
    ("https://x.id/category/sumut/", "wordpress", False),
    ("https://x.id/tag/pemko-binjai-kota/", "wordpress", False),
    ("https://x.id/author/burhan-s/", "wordpress", False),
    ("https://x.id/page/2/", "wordpress", False),
    ("https://x.id/wp-content/uploads/2025/01/laporan-kinerja-2024.pdf", "wordpress", False),
    ("https://b.blogspot.com/2022/04/tingkatkan-layanan-publik.html", "blogger", True),
    ("https://b.blogspot.com/search/label/Pemko", "blogger", False),
    ("https://b.blogspot.com/p/tentang-kami.html", "blogger", False),
    ("https://x.go.id/berita/baca/1006/kpk-lakukan-ott-di-medan", "goid", True),
    ("https://x.go.id/berita?page=3", "goid", False),
    ("https://x.go.id/uploads/dokumen/lkjip-2024.pdf", "goid", False),
])
def test_article_patterns(url, platform, expected):
    assert is_article_url(url, platform) is expected


def test_same_site_folds_www():
    assert same_site("https://www.waspada.co.id/a", ("waspada.co.id",))
    assert not same_site("https://evil.example/waspada.co.id", ("waspada.co.id",))


@pytest.mark.parametrize("url", [
    "javascript://waspada.co.id/%0Aalert(document.domain)", "data://waspada.co.id/x", "ftp://waspada.co.id/a",
    "mailto:redaksi@waspada.co.id", "//waspada.co.id/a", "https://waspada.co.id.evil.example/a", "",
])
def test_same_site_takes_only_http_urls_on_the_outlets_hosts(url):
    assert not same_site(url, ("waspada.co.id",))
