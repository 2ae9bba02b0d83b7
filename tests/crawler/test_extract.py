"""Extraction rules, each on a small page built to need it (the evaluation set covers whole themes)."""

from __future__ import annotations

import pytest

from crawler.dates import from_url
from crawler.extract import Rejected, extract
from crawler.metadata import clean_title
from mirror.hostile import PARAGRAPHS
from registry import Outlet

PARAS = [
    "Pemerintah Kota Binjai menggelar apel gabungan aparatur sipil negara di lapangan kantor wali kota pada "
    "Senin pagi.",
    "Wali Kota Binjai meminta seluruh pimpinan organisasi perangkat daerah meningkatkan pelayanan publik bagi warga.",
    "Ia juga meminta rumah sakit umum daerah membuka layanan pengaduan masyarakat secara langsung dan daring.",
]


def page(body: str, title: str = "Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik", head: str = "") -> str:
    return (f"<html lang='id'><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
            f"<article><h1 class='entry-title'>Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik</h1>"
            f"<div class='entry-content'>{body}</div></article></body></html>")


def ps(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


@pytest.mark.parametrize("raw, names, expected", [
    ("Pemko Binjai Raih Predikat Baik - tri3news.com", ["tri3news"], "Pemko Binjai Raih Predikat Baik"),
    ("Pemko Binjai Raih Predikat Baik | Waspada Online", ["Waspada Online"], "Pemko Binjai Raih Predikat Baik"),
    ("Siantar Terkini: Dinkes Gelar Vaksinasi", ["Siantar Terkini"], "Dinkes Gelar Vaksinasi"),
    ("Tanya Jawab: Apa Itu SPBE? - Mimbar Umum", ["Mimbar Umum"], "Tanya Jawab: Apa Itu SPBE?"),
    # the outlet's name from og:site_name, the outlet and the page's host
    ("Menhub Bocorkan Penyebab Harga Tiket - Kompas.com", ["money.kompas.com"], "Menhub Bocorkan Penyebab Harga Tiket"),
    ("Pemko Binjai Raih Predikat | Republika Online", ["republika.co.id"], "Pemko Binjai Raih Predikat"),
    ("Tribun-Medan.com - Wali Kota Medan Tinjau Banjir", ["medan.tribunnews.com"], "Wali Kota Medan Tinjau Banjir"),
    ("Kamrussamad: PPKM Darurat Dihentikan - Humaniora di Nasional JPNN.com", ["www.jpnn.com"],
     "Kamrussamad: PPKM Darurat Dihentikan"),
    ("Wali Kota Tinjau Banjir | Portal Resmi Pemerintah Kota Binjai", ["Pemerintah Kota Binjai"],
     "Wali Kota Tinjau Banjir"),
    ("Wali Kota Tinjau Banjir - detikNews", ["news.detik.com"], "Wali Kota Tinjau Banjir"),
    # a headline that starts with the outlet's name, or a label that is no site, stays
    ("Republika Gelar Lomba Menulis untuk Pelajar | Berita Hari Ini", ["republika.co.id"],
     "Republika Gelar Lomba Menulis untuk Pelajar | Berita Hari Ini"),
    ("Berita Terkini: Wali Kota Tinjau Banjir", ["x.go.id"], "Berita Terkini: Wali Kota Tinjau Banjir"),
])
def test_titles_lose_the_site_name(raw, names, expected):
    assert clean_title(raw, names) == expected


def test_bylines_become_the_author_and_leave_the_body():
    a = extract(page(ps(*PARAS, "Reporter: Burhan S", "Editor AGUS UTAMA")), "https://x.id/2025/08/25/a-b-c/")
    assert a.author == "Burhan S"
    assert "Reporter" not in a.text and "AGUS UTAMA" not in a.text
    assert a.text == "\n\n".join(PARAS)


def test_editor_is_the_author_when_no_reporter_is_named():
    a = extract(page(ps(*PARAS, "Editor AGUS UTAMA")), "https://x.id/a-b-c/")
    assert a.author == "AGUS UTAMA"


def test_a_body_printed_twice_is_kept_once_and_the_headline_is_not_a_paragraph():
    body = ps("Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik", *PARAS, *PARAS)
    a = extract(page(body), "https://x.id/a-b-c/")
    assert a.text == "\n\n".join(PARAS)


def test_read_also_links_go_wherever_they_sit():
    body = ps(PARAS[0] + " Baca juga: Pemko Medan Tambah Pompa Air", PARAS[1]) \
        + "<p><strong>BACA JUGA:</strong> <a href='/x-y-z/'>Wali Kota Tinjau Banjir</a></p>" \
        + "<div><b>LIHAT JUGA&nbsp;</b><a href='/x.html'>Yesus Disalibkan di Balai Kota Siantar</a></div>" \
        + ps(PARAS[2])
    a = extract(page(body), "https://x.id/a-b-c/")
    assert a.text == "\n\n".join(PARAS)


def test_labels_counters_and_widgets_inside_the_body_go():
    body = ("<div class='td-a-rec'><span>- Advertisement -</span><img alt='spot_img' src='/a.jpg'></div>"
            + ps(PARAS[0], "spot_img", "- Advertisement -", PARAS[1], "visibility 41", "Tinggalkan Balasan",
                 PARAS[2])
            + "<div class='jp-relatedposts'><h3>Berita Terkait</h3><a href='/a-b-c/'>Lain</a></div>")
    assert extract(page(body), "https://x.id/a-b-c/").text == "\n\n".join(PARAS)


def test_an_outlets_drop_selectors_remove_what_no_generic_rule_knows():
    body = ps(*PARAS) + "<div class='kotak-promo'><p>Dapatkan promo langganan koran digital kami setiap pagi hanya " \
        "dengan sepuluh ribu rupiah per bulan untuk seluruh pembaca setia di Sumatera Utara dan sekitarnya.</p></div>"
    outlet = Outlet(id="contoh", name="Contoh", url="https://x.id/", platform="wordpress", regions=("Kota Binjai",),
                    drop=(".kotak-promo",))
    assert "promo" in extract(page(body), "https://x.id/a-b-c/").text
    a = extract(page(body), "https://x.id/a-b-c/", outlet)
    assert a.text == "\n\n".join(PARAS) and a.outlet == "contoh" and a.outlet_regions == ("Kota Binjai",)


def test_blogger_div_and_br_paragraphs_survive():
    body = (f"<div style='text-align: justify;'>{PARAS[0]}</div><div><br /></div>{PARAS[1]}<br /><br />"
            f"<span>{PARAS[2]}</span>")
    html = page("").replace("<div class='entry-content'></div>",
                            f"<div class='post-body entry-content' itemprop='articleBody'>{body}</div>")
    assert extract(html, "https://x.blogspot.com/2025/08/a.html").text == "\n\n".join(PARAS)


def test_windows_1252_bytes_are_read_by_their_declared_charset():
    html = page(ps(*PARAS, "“Pelayanan harus lebih cepat,” ujarnya."))
    html = html.replace("charset='utf-8'", "charset='windows-1252'")
    a = extract(html.encode("windows-1252"), "https://x.id/a-b-c/")
    assert "“Pelayanan harus lebih cepat,” ujarnya." in a.text


@pytest.mark.parametrize("html, reason", [
    ("", "empty"),
    ("   \n", "empty"),
    (page(ps(PARAS[0])), "too-short"),
    (page(ps("The city government of Binjai held a joint assembly of civil servants on Monday morning at the mayor's "
             "office, and the mayor asked every department head to improve public services for residents.",
             "He also asked the regional hospital to open complaint services for the public, both in person and "
             "online, and to answer every complaint within three days of its filing.")), "not-indonesian"),
    ("<html><head><title>404 Halaman tidak ditemukan</title></head><body class='error404'>Maaf</body></html>",
     "error-page"),
])
def test_what_is_not_an_article_is_rejected_with_a_reason(html, reason):
    with pytest.raises(Rejected) as verdict:
        extract(html, "https://x.id/a-b-c/")
    assert str(verdict.value) == reason


def test_listing_urls_are_rejected_even_when_the_page_looks_like_one_post():
    html = page(ps(*PARAS))
    for url in ("https://x.blogspot.com/search/label/Pemko", "https://x.go.id/berita?page=2",
                "https://x.id/category/pemerintahan/", "https://x.id/?s=binjai"):
        with pytest.raises(Rejected, match="listing-page"):
            extract(html, url)


def test_metadata_wins_over_text_and_the_url_fills_in():
    head = ("<meta property='article:published_time' content='2025-08-25T10:15:00+07:00'>"
            "<meta property='og:image' content='https://x.id/a.jpg'>"
            "<meta property='article:tag' content='Pemko Binjai'>"
            "<meta property='article:tag' content='ASN'>")
    a = extract(page(ps(*PARAS), head=head), "https://x.id/2024/01/02/a-b-c/")
    assert a.published.isoformat() == "2025-08-25T10:15:00+07:00"
    assert a.image == "https://x.id/a.jpg" and a.tags == ("Pemko Binjai", "ASN")
    assert extract(page(ps(*PARAS)), "https://x.id/2024/01/02/a-b-c/").published.isoformat() \
        == "2024-01-02T00:00:00+07:00"


# -- page kinds by structure, furniture rules that spare the article --------------------------
LONG = " ".join(PARAS * 6)  # one long text block (> 150 words)
TEASERS = "".join(f"<article class='post'><h2><a href='/b-{i}/'>Judul berita lain nomor {i}</a></h2>"
                  f"<p>Ringkasan singkat {i}.</p></article>" for i in range(6))


def test_a_page_that_declares_an_article_is_never_a_listing():
    head = ("<meta property='og:type' content='article'>"
            "<meta property='article:published_time' content='2025-08-25T10:15:00+07:00'>")
    html = page(ps(*PARAS) + "<aside>" + TEASERS + "</aside>", head=head).replace(
        "<body>", "<body class='post-template-default category-pemerintahan tag-asn'>")
    assert extract(html, "https://x.id/a-b-c/").text == "\n\n".join(PARAS)


def test_one_headline_over_one_long_block_is_an_article_even_beside_teasers():
    html = page(f"<p>{LONG}</p>" + TEASERS.replace("article", "div"))
    html = html.replace("</body>", f"<div>{TEASERS}</div></body>")
    assert LONG in extract(html, "https://x.id/news_view.php?idx=12&page=1").text


def test_many_short_linked_teasers_without_article_signals_are_a_listing():
    html = f"<html><head><title>Berita</title></head><body><h1>Berita Terbaru</h1>{TEASERS}</body></html>"
    with pytest.raises(Rejected, match="listing-page"):
        extract(html, "https://x.id/berita/")


def test_a_page_wrapped_in_one_form_keeps_its_article():
    html = page(f"<p>{LONG}</p>").replace("<body>", "<body><form id='aspnetForm' action='/x'>").replace(
        "</body>", "</form></body>")
    assert LONG in extract(html, "https://x.id/a-b-c/").text


def test_a_pages_body_does_not_depend_on_the_pages_extracted_before_it():
    html = (f"<html lang='id'><head><title>Wali Kota Binjai Minta OPD Tingkatkan Pelayanan</title></head><body>"
            f"<h1>Wali Kota Binjai Minta OPD Tingkatkan Pelayanan</h1><div class='isi'>{ps(*PARAS * 3)}</div>"
            f"</body></html>")  # no known container: the general path
    first = extract(html, "https://x.id/a-b-c/").text
    assert all(extract(html, "https://x.id/a-b-c/").text == first for _ in range(3))


def test_short_all_link_paragraphs_in_a_container_are_teasers_not_article():
    body = ps(*PARAS) + "<p><a href='/lain/'>Bupati Langkat Resmikan Jembatan Baru</a></p>" \
        + "<div>- <a href='/next/'>Berita Berikutnya</a></div>" \
        + ps("Warga menyambut baik kebijakan itu, kata <a href='/tag/lurah/'>lurah</a> setempat kepada wartawan.")
    text = extract(page(body), "https://x.id/a-b-c/").text
    assert "Jembatan Baru" not in text and "Berikutnya" not in text
    assert "kata lurah setempat" in text  # a link inside a sentence stays


def test_a_container_far_shorter_than_the_pages_article_block_gives_way_to_the_general_path():
    html = page(ps(PARAS[0] + " " + PARAS[1])).replace(
        "</article>", f"<div class='story'><p>{LONG}</p><p>{LONG}</p></div></article>")
    assert LONG in extract(html, "https://x.id/a-b-c/").text


def test_an_error_in_the_metadata_code_falls_back_to_trafilatura_for_that_part(monkeypatch):
    from crawler import extract as module

    def broken(tree):
        raise AttributeError("'list' object has no attribute 'strip'")

    monkeypatch.setattr(module.metadata, "read", broken)
    before = module.ERRORS["metadata"]
    a = extract(page(ps(*PARAS)), "https://x.id/a-b-c/")
    assert a.title == "Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik" and a.text == "\n\n".join(PARAS)
    assert module.ERRORS["metadata"] == before + 1


def test_an_error_nothing_can_mend_is_a_rejection_not_a_traceback(monkeypatch):
    from crawler import extract as module

    monkeypatch.setattr(module, "page_info", lambda *a: 1 / 0)
    with pytest.raises(Rejected, match="extract-error"):
        extract(page(ps(*PARAS)), "https://x.id/a-b-c/")


def test_a_short_news_flash_that_declares_itself_an_article_is_kept():
    head = "<meta property='article:published_time' content='2025-08-25T10:15:00+07:00'>"
    assert extract(page(ps(PARAS[0], PARAS[1]), head=head), "https://x.id/a-b-c/").text
    with pytest.raises(Rejected, match="too-short"):
        extract(page(ps(PARAS[0], PARAS[1])), "https://x.id/a-b-c/")


def test_teaser_cards_go_wherever_they_sit_but_linked_words_in_sentences_stay():
    card = ("<li><figure><a href='/lain/'><img src='/a.jpg'></a></figure><div class='text'>"
            "<h3><a href='/lain/'>Pengamat Nilai Langkah Pemko Tepat</a></h3><span>11/6/2025 10:54</span>"
            "<p>Menurutnya penting keberadaan negara dalam menjaga keseimbangan.</p></div></li>")
    box = ("<div class='card-1'><div class='text'><h5>Headline</h5><div><a href='/e/'>Vonis Dinilai Mengecewakan"
           "</a></div><p>Seharusnya lebih berani dalam memutus perkara.</p></div></div>")
    html = (f"<html lang='id'><head><title>Wali Kota Binjai Minta OPD Tingkatkan Pelayanan</title></head><body>"
            f"<h1>Wali Kota Binjai Minta OPD Tingkatkan Pelayanan</h1><div class='isi'>{ps(*PARAS * 3)}</div>"
            f"<section><ul>{card * 4}</ul></section>{box}<div class='kaki'><p>Copyright @ 2025 Media Group. "
            f"All Rights Reserved</p></div></body></html>")
    text = extract(html, "https://x.id/a-b-c/").text
    assert "Pengamat" not in text and "keseimbangan" not in text and "Copyright" not in text
    assert text.count(PARAS[0]) >= 1


@pytest.mark.parametrize("line", ["Copyright @ 2025 Media Group - mediaindonesia. All Rights Reserved",
                                  "© 2025 Pemkab Langkat", "Hak Cipta Dilindungi Undang-Undang"])
def test_copyright_lines_are_boilerplate(line):
    from crawler.boilerplate import is_boilerplate

    assert is_boilerplate(line)


def test_a_data_table_in_the_body_is_read_row_by_row_but_a_caption_box_is_not():
    table = ("<table><tr><th>Kecamatan</th><th>Anggaran</th></tr><tr><td>Binjai Kota</td><td>Rp 1,2 miliar</td></tr>"
             "<tr><td>Binjai Utara</td><td>Rp 900 juta</td></tr></table>")
    caption = ("<table class='tr-caption-container'><tr><td><img src='/a.jpg'></td></tr>"
               "<tr><td class='tr-caption'>Wali kota meninjau lokasi</td></tr></table>")
    text = extract(page(ps(*PARAS) + table + caption), "https://x.id/a-b-c/").text
    assert "Kecamatan Anggaran\n\nBinjai Kota Rp 1,2 miliar\n\nBinjai Utara Rp 900 juta" in text
    assert "meninjau lokasi" not in text


def test_a_short_paragraph_linking_to_another_site_is_the_articles_own():
    body = ps(*PARAS) + ("<p><a href='https://jdih.binjaikota.go.id/perwal-12-2025.pdf'>Perwal Nomor 12 Tahun 2025"
                         "</a></p>")
    assert "Perwal Nomor 12 Tahun 2025" in extract(page(body), "https://x.id/a-b-c/").text


def test_lines_an_article_itself_repeats_stay_but_a_body_printed_twice_goes():
    items = ["Pasal 28:", "Setiap warga berhak atas pelayanan publik yang cepat dan mudah di kantor kelurahan."]
    body = ps(PARAS[0], *items, PARAS[1], *items, PARAS[2])
    assert extract(page(body), "https://x.id/a-b-c/").text.count("Pasal 28:") == 2
    assert extract(page(ps(*PARAS, PARAS[2], *PARAS)), "https://x.id/a-b-c/").text.count(PARAS[0]) == 1


def test_a_comment_inside_a_paragraph_does_not_split_it():
    body = ps(PARAS[0].replace("apel gabungan", "apel <!-- iklan --> gabungan"), PARAS[1], PARAS[2])
    assert extract(page(body), "https://x.id/a-b-c/").text == "\n\n".join(PARAS)


@pytest.mark.parametrize("line", [
    "Oleh Rudi Hartono Senin, 3 November 2025 - 14:20 WIB 1.204 Dibaca",
    "Penulis: Budi | Kamis, 14 April 2022 10:15 WIB",
    "1.204 Dibaca",
    "FacebookTwitterWhatsApp",
    "Facebook Twitter WhatsApp Telegram",
    "Tags: Pemko Binjai, ASN, Pelayanan Publik",
    "Jurnalis Rudi Hartono untuk wilayah Kabupaten Langkat dan sekitarnya",
    "Artikel ini telah tayang di Kompas.com dengan judul \"Pemko Binjai Raih Predikat Baik\"",
    "Simak berita terkini lainnya di Google News",
    "Foto 1 dari 5", "Image 1 of / 23", "1 / 23", "Caption", "Back to Gallery",
    # reader-reaction widgets and teaser headings (liputan6's, in the real set)
    "- Rate artikel ini", "- Like (0)", "- Dislike (0)", "Suka 12", "Bagaimana reaksi Anda?",
    "News Flash: Ini Komentar Ahok Mengenai Daeng Aziz Pentolan Kalijodo",
    "Berita Terkini: Pemko Binjai Gelar Apel Gabungan",
    # date stamps, section menus, advertising contacts (detik's, in the real set)
    "Selasa, 23/02/2016 15:32 WIB", "Kamis, 14 April 2022 - 10:15 WIB", "3 November 2025",
    "SolusiUKM · Iklan Baris · Blog · Forum · Sindikasi", "Beranda • Nasional • Daerah • Ekonomi • Olahraga",
    "Informasi pemasangan iklan", "hubungi : sales[at]detik.com", "BeritaTerbaru Index »",
])
def test_indonesian_furniture_lines_go_from_any_container(line):
    from crawler.boilerplate import is_boilerplate

    assert is_boilerplate(line)
    assert line not in extract(page(ps(PARAS[0], line, PARAS[1], PARAS[2])), "https://x.id/a-b-c/").text


@pytest.mark.parametrize("line", [
    "Oleh karena itu pada 3 November 2025 warga diminta waspada terhadap banjir kiriman.",
    "Oleh warga setempat, jembatan itu dibangun pada 3 November 2025.",
    "Tags yang dipasang petugas di pohon itu menandai batas lahan milik pemerintah kota.",
    "Suka atau tidak, warga harus mengurus izin usaha sebelum berjualan di pasar kota.",
    "Headline surat kabar lokal pagi itu memuat foto banjir di Kecamatan Binjai Timur.",
    "Senin, 3 November 2025 menjadi hari bersejarah bagi warga yang menerima sertifikat tanah.",
    "Tiga kecamatan terdampak: Binjai Utara | Binjai Timur | Binjai Kota, menurut data BPBD.",
    "DL | Larry Ogunjobi | 63 | 85% | 1 tackle (1 combined)",  # a data table's row
])
def test_sentences_that_merely_start_like_furniture_stay(line):
    from crawler.boilerplate import is_boilerplate

    assert not is_boilerplate(line)


def test_photo_credits_are_credits_not_body():
    a = extract(page(ps(PARAS[0], "Foto: ANTARA/Budi", PARAS[1], "Photo: Damian Dovarganes, AP", PARAS[2],
                        "Fotografer: Grandyos Zafna", "Redaksi: redaksi[at]contoh.id")), "https://x.id/a-b-c/")
    assert a.text == "\n\n".join(PARAS)


def test_the_list_under_a_closing_latest_news_heading_goes_but_a_long_paragraph_after_it_stays():
    teasers = ("Berita Terbaru", "Selasa, 23/02/2016 15:35 WIB", "Cegah Byar Pet, PLN Bangun Jaringan Listrik Baru")
    assert extract(page(ps(*PARAS, *teasers)), "https://x.id/a-b-c/").text == "\n\n".join(PARAS)
    own = "Berita terkait banjir itu " + " ".join(["disampaikan kepala pelaksana BPBD kepada wartawan"] * 3) + "."
    assert own in extract(page(ps(*PARAS, "Berita Terkait", own)), "https://x.id/a-b-c/").text


def test_the_headline_repeated_under_the_furniture_above_the_article_goes():
    top = ("Selasa, 23/02/2016 15:32 WIB", "Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik")
    assert extract(page(ps(*top, *PARAS)), "https://x.id/a-b-c/").text == "\n\n".join(PARAS)


def test_og_type_article_with_its_own_publication_date_may_be_short():
    head = ("<meta property='og:type' content='article'>"
            "<meta name='pubdate' itemprop='datePublished' content='2016-02-23 T16:00:20Z'>")
    assert extract(page(ps(PARAS[0], PARAS[1]), head=head), "https://x.id/a-b-c/").text
    with pytest.raises(Rejected, match="too-short"):  # og:type alone is what many listings say too
        extract(page(ps(PARAS[0], PARAS[1]), head="<meta property='og:type' content='article'>"),
                "https://x.id/a-b-c/")


@pytest.mark.parametrize("title, expected", [
    ("Kapanlagi.com: Pemerintahan - Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik",
     "Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik"),
    ("Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik | Sumut",
     "Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik"),
])
def test_a_section_label_around_the_printed_headline_goes(title, expected):
    assert extract(page(ps(*PARAS, *PARAS), title=title), "https://x.id/a-b-c/").title == expected


def test_regions_and_actors_come_from_the_article_not_the_outlet():
    outlet = Outlet(id="contoh", name="Contoh", url="https://x.id/", platform="wordpress",
                    regions=("Kota Medan", "Provinsi Sumatera Utara"))
    a = extract(page(ps(*PARAS)), "https://x.id/a-b-c/", outlet)
    assert a.outlet_regions == ("Kota Medan", "Provinsi Sumatera Utara")
    assert a.regions == ("Kota Binjai", "Provinsi Sumatera Utara")
    assert a.actors == ("Pemerintah Kota Binjai",)


def test_a_government_websites_own_head_named_without_the_region_is_its_government():
    said = ("Sekdako menegaskan seluruh OPD wajib menyusun laporan kinerja tepat waktu tahun ini.",
            "Hal itu disampaikan dalam rapat koordinasi di aula kantor, Senin pagi bersama para camat.",
            "Menurut Sekdako, laporan yang terlambat akan dicatat dalam penilaian kinerja setiap OPD.",
            "Para kepala OPD diminta memeriksa kembali data capaian program sebelum laporan dikirim.")
    html = page(ps(*said)).replace("Wali Kota Binjai Minta OPD Tingkatkan Pelayanan Publik",
                                   "Sekdako Minta OPD Tepat Waktu")
    portal = Outlet(id="siantar", name="Pemko Siantar", url="https://x.go.id/", platform="goid",
                    regions=("Kota Pematangsiantar", "Provinsi Sumatera Utara"))
    paper = Outlet(id="koran", name="Koran", url="https://x.id/", platform="wordpress",
                   regions=("Kota Pematangsiantar", "Provinsi Sumatera Utara"))
    assert extract(html, "https://x.go.id/berita/1", portal).actors == ("Pemerintah Kota Pematangsiantar",)
    assert extract(html, "https://x.id/a-b-c/", paper).actors == ()  # a newspaper covers many
    dinkes = Outlet(id="dinkes", name="Dinkes Siantar", url="https://dinkes.x.go.id/", platform="goid",
                    regions=("Kota Pematangsiantar",), office="Dinas Kesehatan")
    said_by_dinkes = html.replace("Sekdako", "Kadinkes")
    assert extract(said_by_dinkes, "https://dinkes.x.go.id/berita/1", dinkes).actors == (
        "Dinas Kesehatan Kota Pematangsiantar",)
    assert extract(said_by_dinkes, "https://x.go.id/berita/1", portal).actors == ()


def test_short_container_lines_that_trafilatura_reads_as_furniture_go_but_short_sentences_stay():
    widget = ("<div class='newsletter-signup'><span>Berita Pilihan Harian</span><button>Daftar</button></div>"
              "<div class='byline'><span>Rabu, 20 November 2019 09.28 UTC</span></div>")
    quote = "Kami berharap predikat ini bertahan, katanya."
    text = extract(page(ps(PARAS[0]) + widget + ps(PARAS[1], quote, PARAS[2])), "https://x.id/a-b-c/").text
    assert "Berita Pilihan Harian" not in text and "09.28 UTC" not in text
    assert quote in text


def test_subheadings_and_list_items_are_the_articles_structure_and_stay():
    body = ps(PARAS[0]) + "<h3>Ringkasan</h3>" + ps(PARAS[1]) + "<ul><li>Binjai Kota</li><li>Binjai Utara</li></ul>" \
        + ps(PARAS[2])
    text = extract(page(body), "https://x.id/a-b-c/").text
    assert "Ringkasan" in text and "Binjai Kota\n\nBinjai Utara" in text


def test_captions_galleries_newsletter_boxes_and_byline_boxes_go_by_their_class_names():
    widgets = ("<ul class='hst-resgallery'><li><div class='caption'><p>Wali kota meninjau lokasi banjir di "
               "Kecamatan Binjai Utara bersama camat dan lurah setempat pada Senin sore.</p></div></li></ul>"
               "<div class='article-body__newsletter'><h2>Berita Pilihan</h2><p>Dapatkan berita terbaik setiap "
               "pagi langsung di kotak masuk Anda tanpa biaya apa pun.</p></div>"
               "<div class='articleByline'><p>Rudi Hartono adalah wartawan yang meliput Binjai.</p></div>"
               "<div class='grid-container next-prev'><p class='row-excerpt'>Bupati Langkat meresmikan jembatan "
               "baru yang menghubungkan dua kecamatan di wilayah pesisir.</p></div>")
    text = extract(page(ps(PARAS[0]) + widgets + ps(PARAS[1], PARAS[2])), "https://x.id/a-b-c/").text
    assert text == "\n\n".join(PARAS)


def test_a_run_the_article_repeats_further_down_stays_but_a_body_repeated_from_its_opening_goes():
    menu = ["Sarapan", "Nasi uduk, telur rebus, dan sayur bayam untuk seluruh siswa sekolah dasar negeri.", "Minum"]
    body = ps(*PARAS, "Menu hari Senin:", *menu, "Menu hari Selasa:", *menu, "Menu hari Rabu:", *menu)
    assert extract(page(body), "https://x.id/a-b-c/").text.count("Nasi uduk") == 3
    assert extract(page(ps(*PARAS, "Menu hari Senin:", *PARAS)), "https://x.id/a-b-c/").text.count(PARAS[1]) == 1


def test_an_article_header_inside_the_container_is_not_body():
    header = ("<header class='m-detail-header'><h2>Wali Kota Minta OPD Tingkatkan Pelayanan</h2>"
              "<div class='dek'>Pemko menggelar apel gabungan dan meminta pelayanan publik ditingkatkan.</div>"
              "</header>")
    assert extract(page(header + ps(*PARAS)), "https://x.id/a-b-c/").text == "\n\n".join(PARAS)


def test_popular_and_trending_teasers_inside_the_article_container_go_but_a_popular_tag_does_not():
    """liputan6's "popular video" boxes (in the real set) sit inside the article's container."""
    def item(n: int, title: str) -> str:
        return (f"<div class='popular__item'><article class='popular--video'><figure><a href='/v/{n}' title='{title}'>"
                f"<img src='/t/{n}.jpg' alt='{title}'></a></figure><span class='popular--video__view-count'>telah "
                f"dilihat 11746 kali</span><p class='popular--video__title'><a href='/v/{n}'>{title}</a></p>"
                "</article></div>")
    titles = ["Artis Cantik yang Dinikahi Pengusaha Kaya hingga Di-Bully Netizen",
              "Deretan Bintang dengan Busana Menggoda di Ajang Penghargaan 2016",
              "Inilah Proses yang Dijalani Pria Muda untuk Nikahi Pasangannya"]
    box = "<div class='popular'>" + "".join(item(n, t) for n, t in enumerate(titles)) + "</div>"
    more = ["Dalam kunjungan itu rombongan juga meninjau ruang pelayanan terpadu di lantai dua gedung baru kantor "
            "camat, yang kini dilengkapi antrean elektronik, ruang tunggu ber-AC dan loket khusus bagi lansia.",
            "Menurut data kelurahan, jumlah warga yang mengurus dokumen kependudukan naik hampir dua kali lipat "
            "sejak pelayanan daring dibuka, terutama untuk akta kelahiran dan perubahan kartu keluarga."]
    declared = "<meta property='article:published_time' content='2025-08-25T10:00:00+07:00'>"
    html = (f"<html lang='id'><head><meta charset='utf-8'><title>Wali Kota Binjai Minta OPD Tingkatkan Pelayanan"
            f"</title>{declared}</head><body><article class='post tag-popular'><h1>Wali Kota Binjai Minta OPD "
            f"Tingkatkan Pelayanan</h1><div class='read-page__content-body'>{ps(*PARAS, *more)}{box}</div>"
            "</article></body></html>")  # a container warta does not know: the general path reads it
    text = extract(html, "https://x.id/a-b-c/").text
    assert not any(t[:20] in text for t in titles), text
    assert all(p in text for p in (*PARAS, *more))


_BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def test_a_news_tickers_headline_is_not_the_title():
    """A ticker ("Breaking") above the article marks its items like headlines; the page's own <title> and
    h1.entry-title agree on another."""
    html = (f"<html lang='id'><head><title>Pemko Binjai Gelar Apel Gabungan - Kabar Binjai</title></head><body>"
            f"<div class='breaking-news-ticker'><span>Breaking</span><h1 class='post-title'><a href='/x/'>Harga "
            f"Cabai Naik Tajam Jelang Lebaran</a></h1></div><article class='category-berita-terkini'>"
            f"<header class='entry-header'><h1 class='entry-title'>Pemko Binjai Gelar Apel Gabungan</h1></header>"
            f"<div class='entry-content'>{_BODY}</div></article></body></html>")
    assert extract(html, "https://kabarbinjai.example/berita/pemko-binjai-gelar-apel-gabungan/").title == \
        "Pemko Binjai Gelar Apel Gabungan"


@pytest.mark.parametrize("line", [
    '<p><i class="fa fa-clock-o"></i> Rabu, 17 September 2025 · <i class="fa fa-user"></i> Admin · '
    '<i class="fa fa-eye"></i> Dilihat 387 kali</p>',
    '<small class="text-muted"><i class="bi bi-calendar"></i>&nbsp;Rabu, 17 September 2025 &middot; Admin '
    '&middot; Dilihat 387 kali</small>',
    '<div class="d-flex"><div><i class="fas fa-calendar-alt"></i> Rabu, 17 September 2025</div><div><i '
    'class="fas fa-user"></i> Admin</div><div><i class="fas fa-eye"></i> Dilihat 387 kali</div></div>',
])
def test_a_go_id_date_line_with_icons_byline_and_view_counter_is_read(line):
    html = (f"<html lang='id'><head><title>Wali Kota Tinjau Pasar Baru - Portal Kota</title></head><body>"
            f"<div class='card'><div class='card-header'><h1>Wali Kota Tinjau Pasar Baru</h1></div><div "
            f"class='card-body'><div class='row'><div class='col'>{line}</div></div><div class='isi-berita'>"
            f"{_BODY}</div></div></div></body></html>")
    article = extract(html, "https://binjaikota.go.id/berita/detail/wali-kota-tinjau-pasar-baru-kota")
    assert article.published is not None and article.published.date().isoformat() == "2025-09-17"
    assert "Rabu" not in article.author and "Dilihat" not in article.text and "387" not in article.text


def test_an_upload_path_is_no_date():
    """A page that states no date has none, whatever month its images were uploaded in."""
    html = (f"<html lang='id'><head><title>Pemko Binjai Gelar Apel - Kabar</title><meta property='og:image' "
            f"content='https://kabar.example/wp-content/uploads/2022/10/apel.jpg'></head><body><article><h1 "
            f"class='entry-title'>Pemko Binjai Gelar Apel</h1><img src='/wp-content/uploads/2022/10/apel.jpg'>"
            f"<div class='entry-content'>{_BODY}</div></article></body></html>")
    assert extract(html, "https://kabar.example/berita/pemko-binjai-gelar-apel/").published is None
    assert from_url("https://kabar.example/wp-content/uploads/2022/10/apel-gabungan-pemko.html") is None
    assert from_url("https://kabar.example/2022/10/05/apel-gabungan-pemko/").date().isoformat() == "2022-10-05"
