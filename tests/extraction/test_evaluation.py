"""The extraction evaluation set: warta must clear the bar, beat plain trafilatura, and keep boilerplate out."""

from __future__ import annotations

from collections import defaultdict

import pytest

from crawler.extract import Rejected, extract
from tests.extraction import evaluation as ev

BOILERPLATE = ("Baca Juga", "Baca juga", "BACA JUGA", "Lihat Juga", "LIHAT JUGA", "Simak juga", "- Advertisement -",
               "spot_img", "Berita Terkait", "Artikel Terkait", "Berita Pilihan", "Terpopuler", "Tinggalkan Balasan",
               "Discussion about this post", "Tidak ada komentar", "Saat ini belum ada komentar",
               "Diberdayakan oleh Blogger", "Header Ads", "Kirimkan Ini lewat Email", "Berbagi ke Facebook",
               "visibility", "calendar_month", "Reporter:", "Editor AGUS UTAMA", "Posting Komentar")
CASES = ev.load()


@pytest.fixture(scope="module")
def scores():
    return {"warta": ev.run(CASES, ev.warta), "trafilatura": ev.run(CASES, ev.plain_trafilatura)}


def test_the_set_covers_every_platform_outlet_and_the_seed_articles():
    platforms = {c.platform for c in CASES if not c.reject}
    assert {"wordpress", "blogger", "goid", "generic"} <= platforms
    assert len({c.outlet for c in CASES if c.outlet}) == 9
    seeds = {"Wali Kota Binjai Apresiasi Lurah Suka Maju, Tegaskan Komitmen Pelayanan Publik Berkualitas",
             "Kota Binjai Raih Peringkat Tertinggi dalam Penilaian Pelayanan Publik Ombudsman 2024",
             "Pemko Binjai Raih Predikat Baik Penerapan SPBE"}
    assert seeds <= {c.title for c in CASES}
    assert len([c for c in CASES if not c.reject]) >= 50


def test_warta_clears_the_bar(scores):
    overall = ev.summary(scores["warta"])
    assert overall["f1"] >= 0.97 and overall["precision"] >= 0.98, overall
    assert overall["title"] >= 0.97 and overall["date"] >= 0.97, overall


def test_warta_is_ahead_of_plain_trafilatura_on_every_platform(scores):
    by = defaultdict(lambda: defaultdict(list))
    for name, results in scores.items():
        for s in results:
            by[s.case.platform][name].append(s)
    for platform, results in by.items():
        ours, theirs = ev.summary(results["warta"]), ev.summary(results["trafilatura"])
        assert ours["f1"] >= theirs["f1"], platform
        assert ours["f1"] + ours["title"] + ours["date"] > theirs["f1"] + theirs["title"] + theirs["date"], platform


@pytest.mark.parametrize("case", [c for c in CASES if not c.reject], ids=lambda c: c.name)
def test_no_boilerplate_reaches_a_body(case):
    article = extract(case.html, case.url, ev.outlet_of(case))
    for phrase in BOILERPLATE:
        assert phrase not in article.text, phrase
    first = article.text.split("\n\n")[0]
    assert ev.norm(first) != ev.norm(article.title)  # the headline is not repeated as the first paragraph
    paragraphs = [p for p in article.text.split("\n\n") if len(p.split()) >= 8]
    assert len(paragraphs) == len(set(paragraphs))  # a body printed twice is kept once


@pytest.mark.parametrize("case", [c for c in CASES if c.reject], ids=lambda c: c.name)
def test_pages_that_are_not_articles_are_rejected_with_their_reason(case):
    with pytest.raises(Rejected) as verdict:
        extract(case.html, case.url)
    assert str(verdict.value) == case.reject
