from datetime import datetime, timedelta, timezone

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
