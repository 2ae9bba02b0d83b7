import pytest

from crawler.urls import canonicalize, is_article_url, same_site


@pytest.mark.parametrize("variant", [
    "https://Waspada.co.id:443/2025/01/tim-monitoring-pelayanan-publik/?utm_source=rss&utm_medium=rss",
    "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/?fbclid=IwAR2F4-dbP0l7Mn1#respond",
    "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/amp/",
    "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/?amp=1&gclid=abc",
])
def test_variants_fold_onto_one_url(variant):
    assert canonicalize(variant) == "https://waspada.co.id/2025/01/tim-monitoring-pelayanan-publik/"


def test_meaningful_parameters_survive_in_stable_order():
    assert canonicalize("https://x.go.id/berita?page=2&utm_campaign=a") == "https://x.go.id/berita?page=2"
    assert canonicalize("https://x.id/?s=pajak&p=12") == "https://x.id/?p=12&s=pajak"
    assert canonicalize("https://b.blogspot.com/2022/04/a.html?m=1") == "https://b.blogspot.com/2022/04/a.html"


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
