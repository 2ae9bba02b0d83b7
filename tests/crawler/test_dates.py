from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.dates import from_url, parse_indonesian, parse_iso

WIB, WITA, WIT = (timezone(timedelta(hours=h)) for h in (7, 8, 9))


@pytest.mark.parametrize("text, expected", [
    ("BINJAI – Pemko menggelar apel, Senin (19/8/2025).", datetime(2025, 8, 19, tzinfo=WIB)),
    ("calendar_month Sen, 25 Agu 2025", datetime(2025, 8, 25, tzinfo=WIB)),
    ("Kamis, 14 April 2022", datetime(2022, 4, 14, tzinfo=WIB)),
    ("Diperbarui 2 Januari 2025 10:15 WIB", datetime(2025, 1, 2, 10, 15, tzinfo=WIB)),
    ("Kam, 2 Jan 2025 10.15 WITA", datetime(2025, 1, 2, 10, 15, tzinfo=WITA)),
    ("Jayapura, 3 Maret 2024 pukul 08:00 WIT", datetime(2024, 3, 3, 8, 0, tzinfo=WIT)),
    ("Saturday, May 4, 2024", datetime(2024, 5, 4, tzinfo=WIB)),
    ("17 Agustus 2025 lalu, lalu 1 Oktober 2025", datetime(2025, 8, 17, tzinfo=WIB)),
])
def test_indonesian_dates(text, expected):
    assert parse_indonesian(text) == expected


@pytest.mark.parametrize("text", ["", "tanpa tanggal", "31 Februari 2025", "99/99/2025"])
def test_no_date_is_no_date(text):
    assert parse_indonesian(text) is None


def test_iso_and_url_dates():
    assert parse_iso("2025-08-25T10:15:00+07:00") == datetime(2025, 8, 25, 10, 15, tzinfo=WIB)
    assert parse_iso("2025-08-25 10:15") == datetime(2025, 8, 25, 10, 15, tzinfo=WIB)  # naive -> WIB
    assert parse_iso("2025-08-25T03:15:00Z") == datetime(2025, 8, 25, 10, 15, tzinfo=WIB)
    assert parse_iso("kemarin") is None
    assert from_url("https://tri3news.com/2025/08/25/slug/") == datetime(2025, 8, 25, tzinfo=WIB)
    assert from_url("https://blog.example/2022/04/slug.html") == datetime(2022, 4, 1, tzinfo=WIB)
    assert from_url("https://binjaikota.go.id/berita/baca/12/slug") is None


def test_an_impossible_iso_date_is_no_date():
    assert parse_iso("2025-13-45T99:99") is None and parse_iso("2025-02-30") is None
    assert parse_iso("2025-08-25T10:15:00+07:00").day == 25


# -- the article's own date, in order; never a date from a list of other articles --------------
BODY = ("<p>Pemerintah Kota Binjai menggelar apel gabungan aparatur sipil negara di lapangan kantor wali kota pada "
        "pagi hari bersama seluruh pimpinan organisasi perangkat daerah.</p>"
        "<p>Wali Kota meminta seluruh pimpinan organisasi perangkat daerah meningkatkan pelayanan publik bagi warga "
        "dan membuka layanan pengaduan masyarakat secara langsung dan daring.</p>")
SIDEBAR = ("<aside class='widget'><h3>Berita Terkini</h3><ul><li><a href='/a/'>Banjir di Langkat</a>"
           "<span class='date'>Senin, 1 Desember 2025</span></li></ul></aside>")
TERKINI = ("<div class='berita-terkini'><div class='item'><a href='/b/'>Pemko Tanam Pohon</a>"
           "<div class='tanggal'>2 Desember 2025</div></div></div>")


def _page(header: str = "", body: str = BODY, before: str = "", head: str = "") -> str:
    return (f"<html lang='id'><head><title>Wali Kota Minta OPD Tingkatkan Pelayanan</title>{head}</head><body>"
            f"{before}<div class='main'><h1>Wali Kota Minta OPD Tingkatkan Pelayanan</h1>{header}"
            f"<div class='isi'>{body}</div></div>{SIDEBAR}{TERKINI}</body></html>")


def _date(html: str, url: str = "https://x.go.id/berita/baca/12/wali-kota", fetched=None):
    from crawler.extract import extract

    return extract(html, url, fetched=fetched).published


def test_declared_date_first():
    head = "<meta property='article:published_time' content='2025-11-03T14:20:00+07:00'>"
    assert _date(_page("<div class='meta'>Selasa, 4 November 2025</div>", head=head)) == \
        datetime(2025, 11, 3, 14, 20, tzinfo=WIB)


def test_the_meta_block_beside_the_headline_and_never_a_sidebar_date():
    assert _date(_page("<div class='post-meta'>Oleh Rudi | Senin, 3 November 2025 - 14:20 WIB</div>")) == \
        datetime(2025, 11, 3, 14, 20, tzinfo=WIB)
    assert _date(_page("<span>3 November 2025</span>", before=SIDEBAR)).date() == datetime(2025, 11, 3).date()


def test_the_dateline_of_the_first_paragraph_then_the_url_then_none():
    dateline = BODY.replace("<p>Pemerintah", "<p>BINJAI, Senin (3/11/2025) - Pemerintah")
    assert _date(_page(body=dateline)).date() == datetime(2025, 11, 3).date()
    assert _date(_page(), "https://x.id/2025/11/04/wali-kota/").date() == datetime(2025, 11, 4).date()
    assert _date(_page()) is None  # only sidebar and "Berita Terkini" dates on the page: no guess


def test_relative_times_resolve_against_the_fetch_time_in_wib():
    from crawler.dates import parse_relative

    fetched = datetime(2025, 11, 3, 20, 0, tzinfo=UTC)  # 4 November 03:00 WIB
    assert _date(_page("<div class='time'>2 jam yang lalu</div>"), fetched=fetched) == \
        datetime(2025, 11, 4, 1, 0, tzinfo=WIB)
    assert parse_relative("kemarin", fetched).date() == datetime(2025, 11, 3).date()
    assert parse_relative("30 menit lalu", fetched) == datetime(2025, 11, 4, 2, 30, tzinfo=WIB)
    assert parse_relative("tanpa waktu", fetched) is None


def test_modified_is_kept_apart_from_published():
    from crawler.extract import extract

    head = "<meta property='article:modified_time' content='2025-11-05T09:00:00+07:00'>"
    a = extract(_page(head=head), "https://x.go.id/berita/baca/12/wali-kota")
    assert a.published is None and a.modified == datetime(2025, 11, 5, 9, 0, tzinfo=WIB)
