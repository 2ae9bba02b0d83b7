"""The written news of the mirror (mirror/newsgen.py): good enough for a demo without the corpus."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import datetime

import pytest

from crawler.places import tag
from indexer.index import update
from indexer.search import Searcher, SearchRequest
from mirror import newsgen
from mirror.build import MirrorConfig, build, load_site_specs
from mirror.model import WIB
from registry import load_registry
from store import Article, Store

DEMO = MirrorConfig(articles_per_site=24, reserve_per_site=6, use_corpus=False, syndicated=0.25)


@pytest.fixture(scope="module")
def demo():
    return [a for site in build(DEMO, load_site_specs()) for a in site.articles]


def test_the_same_seed_writes_the_same_news_and_another_seed_other_news():
    def titles(seed):
        return [a.title for s in build(DEMO.__class__(**{**DEMO.__dict__, "seed": seed}), load_site_specs())
                for a in s.articles]
    assert titles(7) == titles(7)
    assert len(set(titles(7)) & set(titles(8))) < len(titles(7)) / 4  # headlines with few slots meet by chance


def test_no_two_demo_articles_share_a_title_and_every_slot_is_filled(demo):
    assert len({a.title.casefold() for a in demo}) == len(demo)
    for a in demo:
        assert not re.search(r"[{}]", a.title + a.text), a.title


def test_every_region_of_the_registry_is_what_at_least_20_articles_are_about(demo):
    """Counted by warta's own place tagger on the text, so the names are real gazetteer names."""
    about = Counter(r for a in demo for r in set(tag(a.title, a.text).region_names()))
    for region in {r for o in load_registry() for r in o.regions}:
        assert about[region] >= 20, (region, about[region])


def test_every_fact_of_a_headline_is_in_its_body():
    rng, taken = random.Random(3), set()
    for n in range(300):
        government, place = newsgen.subjects(rng, ("Kota Binjai", "Provinsi Sumatera Utara"), portal=False)
        text = newsgen.dated(newsgen.write(rng, f"t{n}", government, place, "{KOTA} –", taken),
                             datetime(2024, 5, 6, 9, tzinfo=WIB))
        words = set(re.findall(r"\w+", " ".join(text.paragraphs).lower()))
        # every number and every capitalised name of the headline is in the body
        for word in re.findall(r"\w+", text.title):
            if word[0].isdigit() or (word[0].isupper() and word.lower() not in ("kkn",)):
                assert word.lower() in words or word.lower() in text.title.lower().split()[:1] or _common(word), \
                    (word, text.title, text.paragraphs[0])
        assert "Senin (6/5/2024)" in text.paragraphs[0]


def _common(word: str) -> bool:
    """Headline words that are wording, not facts."""
    return word.lower() in set(
        "pemko pemkab pemprov sumut salurkan paket bantuan untuk korban banjir di rendam rumah tinjau lokasi "
        "pengungsian turun ke pastikan warga terdampak tertangani dirikan posko kk mengungsi resmikan puskesmas "
        "baru kini buka jam tak perlu jauh rsud gedung senilai mulai layani perbaiki jalan rusak sepanjang kilometer "
        "keluhkan berlubang janji tahun ini proyek peningkatan capai persen revitalisasi pasar rampung kios siap "
        "ditempati pedagang sidak pantau harga bahan pokok gelar murah jelang hari besar sahkan apbd rapat paripurna "
        "fraksi soroti rendahnya serapan anggaran banggar dan tapd bahas rancangan lantik pejabat administrator "
        "pengawas rotasi jabatan lingkungan asn dilantik jadi sekda minta birokrasi dibenahi targetkan anak ikut "
        "imunisasi polio tembus pekan raih penghargaan pelayanan publik dengan skor indeks spbe naik dapat predikat "
        "baik mal jenis perizinan luncurkan aplikasi satu pintu ombudsman temukan maladministrasi adukan pungli "
        "pengurusan ktp beri waktu tindak lanjuti terima laporan sepanjang opini wtp dari bpk kali ke temukan "
        "kelebihan bayar inspektorat rekomendasi angka stunting turun pimpin rembuk gerakkan orang tua asuh balita "
        "wali kota bupati gubernur wakil miliar juta rp dinsos bpbd dinas pupr disperindag dinkes diskominfo "
        "disdukcapil dpmptsp bkpsdm bpkad bappeda dprd".split())


def test_any_demo_city_with_banjir_anggaran_or_pelayanan_finds_its_news(demo, tmp_path):
    """Issue 18: "wali kota siantar" must not match everything, and "banjir langkat"-style searches must hit."""
    with Store(tmp_path / "warta.sqlite3") as store:
        for a in demo:
            tags = tag(a.title, a.text)
            store.save(Article(url=f"https://{a.site}.example/{a.number}", outlet=a.site, title=a.title, text=a.text,
                               published=a.published, regions=tuple(tags.region_names()), actors=tuple(tags.actors)))
    update(tmp_path / "index", tmp_path / "warta.sqlite3")
    searcher = Searcher(tmp_path / "index")
    try:
        cities = {r.split(" ", 1)[1] for o in load_registry() for r in o.regions if r.startswith(("Kota ", "Kab"))}
        for city in sorted(cities):
            for word in ("banjir", "anggaran", "pelayanan"):
                assert searcher.search(SearchRequest(query=f"{city} {word}")).total > 0, (city, word)
        everything = searcher.search(SearchRequest(query="wali kota siantar", collapse=False)).total
        assert everything < len(demo) / 3
    finally:
        searcher.close()
